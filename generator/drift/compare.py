"""Per-attribute comparison of an expected API object with the live one, and which
differences weaken the control (see `generator.drift.normalise` for what is compared).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from generator.drift.findings import AttributeDiff, Value
from generator.drift.normalise import (
    ID_LISTS,
    TOP_LEVEL,
    ZONE_ATTRIBUTES,
    canonical_cidrs,
    dig,
    flatten_pair,
    widens,
)
from generator.okta.snapshot import LiveOrg

__all__ = ["canonical_cidrs", "compare", "duration_seconds", "weakens"]

# Attributes whose change has a known direction (weaker or stronger, see `weakens`). Any other
# condition or action attribute that differs is a weakening: an undeclared condition narrows a
# deny rule (or changes who an allow rule lets in), an undeclared action changes how.
_GRADED = frozenset(
    {
        *ZONE_ATTRIBUTES,
        *(path for paths in TOP_LEVEL.values() for path in paths),
        *(path for path in ID_LISTS if path != "conditions.people.users.include"),
        "conditions.network.connection",
        "actions.signon.access",
        "actions.signon.requireFactor",
        "actions.signon.factorPromptMode",
        "actions.signon.session.maxSessionIdleMinutes",
        "actions.signon.session.maxSessionLifetimeMinutes",
        "actions.signon.session.usePersistentCookie",
        "actions.appSignOn.access",
        "actions.appSignOn.verificationMethod.factorMode",
        "actions.appSignOn.verificationMethod.reauthenticateIn",
        "actions.appSignOn.verificationMethod.constraints",
    }
)


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


def _deactivation_weakens(kind: str, access: Value, expected: Value, actual: Value) -> bool:
    """Deactivating our session policy or any of our Admin Console rules lets admins fall
    through to whatever comes next (the next sign-on policy, the app policy's other rules);
    deactivating a session deny rule lets them in. A deactivated session allow rule only
    locks admins out (our deny matches next): not a weakening."""
    if expected != "ACTIVE" or actual == "ACTIVE":
        return False
    return kind in ("session_policy", "app_rule") or access == "DENY"


def weakens(
    kind: str, path: str, expected: Value, actual: Value, access: Value, cidr_widened: bool
) -> bool:
    """Does the live value weaken the control (the high-severity cases)?"""
    if path not in _GRADED:
        return True
    if kind == "zone":
        return path in ("gateways", "proxies") and cidr_widened
    leaf = path.rsplit(".", 1)[-1]
    removed = bool(set(_items(expected)) - set(_items(actual)))
    added = bool(set(_items(actual)) - set(_items(expected)))
    rules: dict[str, Callable[[], bool]] = {
        "status": lambda: _deactivation_weakens(kind, access, expected, actual),
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
    want, have = flatten_pair(kind, expected, actual, live)
    access = want.get("actions.signon.access") or want.get("actions.appSignOn.access")
    diffs: list[AttributeDiff] = []
    for path, value in want.items():
        if have[path] == value:
            continue
        widened = False
        if kind == "zone" and path in ("gateways", "proxies"):
            widened = widens(dig(actual, path), dig(expected, path))
        diffs.append(
            AttributeDiff(
                path=path,
                expected=value,
                actual=have[path],
                added=tuple(sorted(set(_items(have[path])) - set(_items(value)))),
                removed=tuple(sorted(set(_items(value)) - set(_items(have[path])))),
                weakens=weakens(kind, path, value, have[path], access, widened),
            )
        )
    return tuple(diffs)
