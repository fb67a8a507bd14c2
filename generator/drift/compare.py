"""Per-attribute comparison of an expected API object with the live one.

Both sides are flattened to the attributes egress-guard manages, normalising the forms Okta
treats as equal: a single IP `a-a` or a range vs CIDRs, `null` vs `[]`, omitted vs defaulted
fields, set order. Id lists are shown by name (zones, groups) or login (users).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import netaddr

from generator.drift.findings import AttributeDiff, Value
from generator.okta.snapshot import LiveOrg

Flat = dict[str, Value]


@dataclass(frozen=True)
class Spec:
    path: str
    kind: str = "scalar"  # scalar | cidrs | zones | groups | users | json
    default: Value = None


ZONE_SPECS = (
    Spec("name"),
    Spec("status", default="ACTIVE"),
    Spec("usage", default="POLICY"),
    Spec("gateways", "cidrs"),
    Spec("proxies", "cidrs"),
)
POLICY_SPECS = (
    Spec("name"),
    Spec("description", default=""),
    Spec("status", default="ACTIVE"),
    Spec("priority"),
    Spec("conditions.people.groups.include", "groups"),
)
_NETWORK = (
    Spec("conditions.network.connection", default="ANYWHERE"),
    Spec("conditions.network.include", "zones"),
    Spec("conditions.network.exclude", "zones"),
)
SESSION_RULE_SPECS = (
    Spec("name"),
    Spec("status", default="ACTIVE"),
    Spec("priority"),
    Spec("actions.signon.access", default="ALLOW"),
    Spec("actions.signon.requireFactor", default=False),
    Spec("actions.signon.factorPromptMode"),
    Spec("actions.signon.session.maxSessionIdleMinutes", default=120),
    Spec("actions.signon.session.maxSessionLifetimeMinutes", default=0),
    Spec("actions.signon.session.usePersistentCookie", default=False),
    *_NETWORK,
    Spec("conditions.people.users.exclude", "users"),
)
APP_RULE_SPECS = (
    Spec("name"),
    Spec("status", default="ACTIVE"),
    Spec("priority"),
    Spec("actions.appSignOn.access", default="ALLOW"),
    Spec("actions.appSignOn.verificationMethod.factorMode", default="2FA"),
    Spec("actions.appSignOn.verificationMethod.reauthenticateIn"),
    Spec("actions.appSignOn.verificationMethod.constraints", "json"),
    *_NETWORK,
    Spec("conditions.people.groups.include", "groups"),
    Spec("conditions.people.groups.exclude", "groups"),
    Spec("conditions.people.users.exclude", "users"),
)
SPECS: Mapping[str, tuple[Spec, ...]] = {
    "zone": ZONE_SPECS,
    "session_policy": POLICY_SPECS,
    "session_rule": SESSION_RULE_SPECS,
    "app_rule": APP_RULE_SPECS,
}


def dig(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(part)
    return obj


def canonical_cidrs(entries: Any) -> tuple[str, ...]:
    """Gateway/proxy entries (`{type, value}` or strings; CIDR, `a-b` range or single IP) as
    the sorted minimal CIDR list covering exactly the same addresses."""
    ipset = address_set(entries)
    return tuple(str(cidr) for cidr in ipset.iter_cidrs())


def address_set(entries: Any) -> netaddr.IPSet:
    ipset = netaddr.IPSet()
    for entry in entries or ():
        value = str(entry.get("value") if isinstance(entry, Mapping) else entry).strip()
        try:
            if "-" in value:
                first, last = (part.strip() for part in value.split("-", 1))
                ipset.add(netaddr.IPRange(first, last))
            else:
                ipset.add(netaddr.IPNetwork(value).cidr)
        except (netaddr.AddrFormatError, ValueError):
            ipset.add(netaddr.IPNetwork("0.0.0.0/0"))  # unparsable: treat as widest, flagged
    return ipset


def _canonical_json(items: Any) -> tuple[str, ...]:
    return tuple(sorted(json.dumps(i, sort_keys=True, separators=(",", ":")) for i in items or ()))


def normalise(spec: Spec, raw: Any, live: LiveOrg) -> Value:
    if spec.kind == "cidrs":
        return canonical_cidrs(raw)
    if spec.kind == "json":
        return _canonical_json(raw)
    if spec.kind in ("zones", "groups", "users"):
        kind = spec.kind[:-1]
        return tuple(sorted({_display(live, kind, str(i)) for i in raw or ()}))
    if raw is None:
        return spec.default
    if isinstance(raw, str | int | bool):
        return raw
    return json.dumps(raw, sort_keys=True)


def _display(live: LiveOrg, kind: str, object_id: str) -> str:
    if object_id.startswith("unresolved:"):
        return object_id.removeprefix("unresolved:")
    return live.display_name(kind, object_id)


def flatten(kind: str, obj: Mapping[str, Any], live: LiveOrg) -> Flat:
    flat = {spec.path: normalise(spec, dig(obj, spec.path), live) for spec in SPECS[kind]}
    # Prompt mode only matters (and is only kept by Okta) when a factor is required.
    if flat.get("actions.signon.requireFactor") is False:
        flat["actions.signon.factorPromptMode"] = None
    if flat.get("conditions.network.connection") == "ANYWHERE":
        flat["conditions.network.include"] = ()
        flat["conditions.network.exclude"] = ()
    return flat


_PROMPT_STRENGTH = {"ALWAYS": 3, "SESSION": 2, "DEVICE": 1}
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def duration_seconds(value: Value) -> float | None:
    match = _DURATION.match(str(value or ""))
    if not match:
        return None
    d, h, m, s = (int(x or 0) for x in match.groups())
    return float(((d * 24 + h) * 60 + m) * 60 + s)


def _minutes(value: Value) -> float:
    # 0 means "no limit" for session lifetime.
    return float("inf") if value in (0, None) else float(value)  # type: ignore[arg-type]


def _more(a: Value, b: Value, key: Callable[[Value], float | None]) -> bool:
    ka, kb = key(a), key(b)
    return ka is not None and kb is not None and ka > kb


def weakens(path: str, expected: Value, actual: Value, access: Value, cidr_widened: bool) -> bool:
    """Does the live value weaken the control (the high-severity cases)?"""
    leaf = path.rsplit(".", 1)[-1]
    removed = bool(set(_items(expected)) - set(_items(actual)))
    added = bool(set(_items(actual)) - set(_items(expected)))
    rules: dict[str, Callable[[], bool]] = {
        "gateways": lambda: cidr_widened,
        "proxies": lambda: cidr_widened,
        "status": lambda: access == "DENY" and actual != "ACTIVE",
        "access": lambda: expected == "DENY" and actual != "DENY",
        "requireFactor": lambda: expected is True and actual is not True,
        "factorMode": lambda: expected == "2FA" and actual != "2FA",
        "constraints": lambda: removed,
        "factorPromptMode": lambda: (
            _PROMPT_STRENGTH.get(str(actual), 0) < _PROMPT_STRENGTH.get(str(expected), 0)
        ),
        "maxSessionLifetimeMinutes": lambda: _minutes(actual) > _minutes(expected),
        "maxSessionIdleMinutes": lambda: _minutes(actual) > _minutes(expected),
        "usePersistentCookie": lambda: actual is True and expected is not True,
        "reauthenticateIn": lambda: _more(actual, expected, duration_seconds),
        "connection": lambda: (
            (access == "ALLOW" and actual == "ANYWHERE")
            or (access == "DENY" and expected == "ANYWHERE")
        ),
    }
    if path == "conditions.network.include":
        return (access == "ALLOW" and added) or (access == "DENY" and removed)
    if path == "conditions.network.exclude":
        return access == "DENY" and added
    if path.endswith("users.exclude") or path.endswith("groups.exclude"):
        return access == "DENY" and (added or removed)  # break-glass exclusion changed
    if path.endswith("groups.include"):
        return removed and access != "ALLOW"  # admins no longer covered by the policy / deny
    check = rules.get(leaf)
    return bool(check and check())


def _items(value: Value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def compare(
    kind: str, expected: Mapping[str, Any], actual: Mapping[str, Any], live: LiveOrg
) -> tuple[AttributeDiff, ...]:
    want, have = flatten(kind, expected, live), flatten(kind, actual, live)
    access = want.get("actions.signon.access") or want.get("actions.appSignOn.access")
    diffs: list[AttributeDiff] = []
    for path, value in want.items():
        if have[path] == value:
            continue
        widened = False
        if kind == "zone" and path in ("gateways", "proxies"):
            widened = bool(address_set(dig(actual, path)) - address_set(dig(expected, path)))
        diffs.append(
            AttributeDiff(
                path=path,
                expected=value,
                actual=have[path],
                added=tuple(sorted(set(_items(have[path])) - set(_items(value)))),
                removed=tuple(sorted(set(_items(value)) - set(_items(have[path])))),
                weakens=weakens(path, value, have[path], access, widened),
            )
        )
    return tuple(diffs)
