"""Load `egress-policy.yaml`: parse YAML, validate against `schemas/config.schema.json`, check
what a schema cannot express, and build the frozen `generator.settings.Config`.

Every problem becomes an `InputError` naming the file, the path (`egress.corporate[2]`) and the
reason; malformed YAML names the file and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema

from generator.cidrs import parse_cidr
from generator.config_build import build_config
from generator.config_yaml import read_yaml
from generator.errors import InputError
from generator.model import slug
from generator.okta.platform import ADMIN_CONSOLE_LABEL, ADMINS_GROUP, EVERYONE_GROUP
from generator.scaffold import PLACEHOLDER
from generator.schemas import schema_path
from generator.settings import Config
from generator.sources.secrets import redact_urls_in

SCHEMA_PATH = schema_path("config.schema.json")
MAX_REPORTED_ERRORS = 20
MAX_REASON_CHARS = 240  # a reason quotes the offending value: never a whole (huge) value
# The longest re-authentication interval Okta offers: PT43800H means "once per session" (the
# Terraform provider's re_authentication_frequency docs; PT0S means "every sign-in attempt").
MAX_REAUTHENTICATE_HOURS = 43_800
_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")
CIDR_LIST_PATHS: tuple[tuple[str, ...], ...] = (
    ("egress", "netskope", "dedicated"),
    ("egress", "corporate"),
    ("okta", "operator_ips"),
    ("controls", "exempt_zone", "allowed"),
    ("safety", "allow_ranges"),
    ("watch", "trusted_extra"),
)


@cache
def load_schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return cast(dict[str, Any], json.load(handle))


def format_path(parts: Iterable[str | int]) -> str:
    """`("egress", "corporate", 2)` → `egress.corporate[2]`; the document root → `(top level)`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def load_config(path: Path | str) -> Config:
    """Read, validate and type the config at `path`. Raises `InputError` on any problem."""
    path = Path(path)
    document = _read_yaml(path)
    _refuse_placeholders(path, document)
    _validate_schema(path, document)
    _check_semantics(path, document)
    return build_config(path, document)


def _read_yaml(path: Path) -> dict[str, Any]:
    document = read_yaml(path)
    if document is None:
        raise InputError(f"{path}: config is empty")
    if not isinstance(document, dict):
        raise InputError(f"{path}: (top level): expected a mapping, got {type(document).__name__}")
    return document


def _placeholders(node: Any, parts: list[str | int]) -> Iterable[tuple[str, str]]:
    if isinstance(node, str):
        if PLACEHOLDER in node:
            yield format_path(parts), node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            if PLACEHOLDER in str(key):  # an unquoted `<CHANGE ME: ...>` reads as a mapping
                yield format_path(parts), str(key)
            yield from _placeholders(value, [*parts, str(key)])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _placeholders(value, [*parts, index])


def _refuse_placeholders(path: Path, document: dict[str, Any]) -> None:
    """`egress-guard init` leaves `<CHANGE ME ...>` values to fill in; generating from them
    would deploy a policy nobody wrote, so every one left is named."""
    found = list(_placeholders(document, []))
    if found:
        lines = [f"{path}: {where}: replace the placeholder {value!r}" for where, value in found]
        raise InputError(
            f"config still has {len(found)} placeholder(s) from `egress-guard init`; edit "
            "them first:\n  " + "\n  ".join(lines)
        )


def _describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    """(path, reason) for one schema error, in words a config author understands. Messages
    quote values (a feed entry, a list of them): a credential in any URL there is masked."""
    path, reason = _explain(error)
    return _truncated(redact_urls_in(path)), _truncated(redact_urls_in(reason))


def _truncated(text: str) -> str:
    text = "".join(" " if char in "\r\n\t" else char for char in text)
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


def _whole_number(checker: Any, instance: object) -> bool:
    """JSON Schema counts 1.0 as an integer; a config means a whole number written as one."""
    return isinstance(instance, int) and not isinstance(instance, bool)


_VALIDATOR = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _whole_number),
)


def _explain(error: jsonschema.ValidationError) -> tuple[str, str]:
    parts = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(cast(Mapping[str, Any], error.schema).get("properties", {}))
        unknown = sorted(str(key) for key in error.instance if key not in known)
        allowed = ", ".join(sorted(known)) or "none"
        return format_path([*parts, unknown[0]]), f"unknown key (allowed here: {allowed})"
    if error.validator == "required":
        return format_path(parts), error.message.replace("is a required property", "is required")
    if error.validator == "enum":
        options = ", ".join(json.dumps(v) for v in cast(Sequence[Any], error.validator_value))
        return format_path(parts), f"must be one of {options}, got {json.dumps(error.instance)}"
    description = cast(Mapping[str, Any], error.schema).get("description")
    if error.validator == "pattern" and description and isinstance(error.instance, str):
        return format_path(parts), f"{error.instance!r} is not valid here: {description}"
    return format_path(parts), error.message


def _validate_schema(path: Path, document: dict[str, Any]) -> None:
    validator = _VALIDATOR(load_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.path])
    if not errors:
        return
    lines = [f"{path}: {where}: {reason}" for where, reason in map(_describe, errors)]
    if len(lines) > MAX_REPORTED_ERRORS:
        lines = [*lines[:MAX_REPORTED_ERRORS], f"... and {len(lines) - MAX_REPORTED_ERRORS} more"]
    raise InputError("invalid config:\n  " + "\n  ".join(lines))


def _get(document: Mapping[str, Any], *keys: str) -> Any:
    node: Any = document
    for key in keys:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _check_semantics(path: Path, document: dict[str, Any]) -> None:
    """What the schema cannot say: each check lists its problems; all are reported together."""
    checks = (
        _cidr_problems,
        _feed_problems,
        _policy_problems,
        _app_problems,
        _token_problems,
        _mfa_problems,
    )
    problems = [problem for check in checks for problem in check(document)]
    if problems:
        raise InputError("invalid config:\n  " + "\n  ".join(f"{path}: {p}" for p in problems))


def _cidr_problems(document: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for keys in CIDR_LIST_PATHS:
        for index, value in enumerate(_get(document, *keys) or ()):
            try:
                parse_cidr(value)
            except ValueError as error:
                problems.append(f"{format_path([*keys, index])}: {value!r}: {error}")
    return problems


def _feed_problems(document: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    seen_feeds: set[str] = set()
    for index, feed in enumerate(_get(document, "egress", "feeds") or ()):
        where = format_path(["egress", "feeds", index])
        if ("url" in feed) == ("file" in feed):
            problems.append(f"{where}: give exactly one of 'url' or 'file'")
        if "pointer" in feed and feed.get("format", "lines") != "json":
            problems.append(f"{where}.pointer: only valid with format: json")
        for key in ("headers", "timeout_seconds"):
            if key in feed and "url" not in feed:
                problems.append(f"{where}.{key}: only valid with 'url'")
        lowered = [name.lower() for name in feed.get("headers", {})]
        if len(set(lowered)) != len(lowered):
            problems.append(f"{where}.headers: a header is listed twice (names ignore case)")
        if feed["name"] in seen_feeds:
            problems.append(f"{where}.name: duplicate feed name {feed['name']!r}")
        seen_feeds.add(feed["name"])
    return problems


def _policy_problems(document: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    break_glass = _get(document, "okta", "break_glass") or {}
    if not break_glass.get("users") and not break_glass.get("group"):
        problems.append(
            "okta.break_glass: list at least one break-glass user (okta.break_glass.users) or "
            "a break-glass group (okta.break_glass.group); without one the deny rules exempt "
            "nobody, and losing the trusted egress IPs would lock every admin out"
        )
    group = break_glass.get("group")
    if isinstance(group, str) and group.casefold() == ADMINS_GROUP.casefold():
        problems.append(
            f"okta.break_glass.group: {group!r} is Okta's built-in group of every administrator: "
            "exempting it would exempt every admin from the trusted-egress rules, and Okta does "
            "not list its members (the deny rules exclude the break-glass group's members one "
            "by one). Name a group holding only the break-glass accounts"
        )
    admin_groups = _get(document, "okta", "admin_groups") or []
    everyone = [g for g in admin_groups if g.casefold() == EVERYONE_GROUP.casefold()]
    if everyone and not _get(document, "okta", "confine_everyone"):
        problems.append(
            f"okta.admin_groups: {everyone[0]!r} is every user of the org: the session policy "
            "and the Admin Console rules would confine everyone to the trusted egress ranges. "
            "Name the admin groups instead, or set okta.confine_everyone: true if that is "
            "intended"
        )
    reauthenticate = _get(document, "okta", "admin_console", "reauthenticate_in")
    problems += _reauthenticate_problems("okta.admin_console.reauthenticate_in", reauthenticate)
    gsp = _get(document, "okta", "global_session_policy") or {}
    problems += _idle_problems(
        "okta.global_session_policy",
        gsp,
        ("session_idle_minutes", 15),
        ("session_lifetime_minutes", 120),
    )
    console = _get(document, "controls", "admin_console_session") or {}
    problems += _idle_problems(
        "controls.admin_console_session", console, ("idle_minutes", 15), ("lifetime_minutes", 720)
    )
    return problems


def _idle_problems(
    where: str, section: Mapping[str, Any], idle: tuple[str, int], lifetime: tuple[str, int]
) -> list[str]:
    """A session's idle timeout longer than its lifetime: `idle`/`lifetime` are (key, default)."""
    idle_minutes, lifetime_minutes = section.get(*idle), section.get(*lifetime)
    if idle_minutes <= lifetime_minutes:
        return []
    return [f"{where}.{idle[0]}: {idle_minutes} is longer than {lifetime[0]} ({lifetime_minutes})"]


def _reauthenticate_problems(where: str, reauthenticate: Any) -> list[str]:
    hours = _duration_hours(reauthenticate) if isinstance(reauthenticate, str) else None
    if hours is None or hours <= MAX_REAUTHENTICATE_HOURS:
        return []
    return [
        f"{where}: {reauthenticate!r} is longer than "
        f"PT{MAX_REAUTHENTICATE_HOURS}H, Okta's longest interval ('once per session')"
    ]


def _duration_hours(text: str) -> float | None:
    """Hours of an ISO 8601 duration as the schema accepts it (days, hours, minutes, seconds)."""
    found = _DURATION.fullmatch(text)
    if found is None:
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return days * 24 + hours + minutes / 60 + seconds / 3600


def _app_problems(document: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    app_slugs = {slug(ADMIN_CONSOLE_LABEL): ADMIN_CONSOLE_LABEL}
    for index, label in enumerate(_get(document, "okta", "extra_apps") or ()):
        clash = app_slugs.get(slug(label))
        if clash is not None:
            problems.append(
                f"{format_path(['okta', 'extra_apps', index])}: {label!r} clashes with {clash!r} "
                "(the Admin Console is always protected; labels must differ in letters/digits)"
            )
        app_slugs[slug(label)] = label
    return problems


def _token_problems(document: dict[str, Any]) -> list[str]:
    """Each restricted API token listed once (by name or id), so each is one Terraform resource."""
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    entries = _get(document, "controls", "api_tokens", "restrict") or ()
    for index, entry in enumerate(entries):
        for key in ("name", "id"):
            value = entry.get(key)
            if value is None:
                continue
            first = seen.setdefault((key, value), index)
            if first != index:
                where = format_path(["controls", "api_tokens", "restrict", index, key])
                problems.append(f"{where}: {value!r} is listed twice (first at [{first}])")
    return problems


def _mfa_problems(document: dict[str, Any]) -> list[str]:
    mfa = _get(document, "mfa")
    if not isinstance(mfa, Mapping):
        return []
    problems: list[str] = []
    exceptions = mfa.get("app_policy_exceptions") or []
    if exceptions and mfa.get("app_policies") != "all":
        problems.append(
            "mfa.app_policy_exceptions: only with mfa.app_policies: all (a list of policies "
            "names exactly the ones that get the rule)"
        )
    problems += _reauthenticate_problems("mfa.reauthenticate_in", mfa.get("reauthenticate_in"))
    return problems
