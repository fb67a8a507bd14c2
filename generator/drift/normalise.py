"""Flatten an Okta object (expected or live) into comparable attribute paths.

Zones are compared on the attributes egress-guard manages. Policies and rules are compared on
their name, status and priority and on *every* leaf under `conditions` and `actions`: a
condition nobody declared (a risk level, an auth type, a platform, an expression...) can narrow
a deny rule until it never matches, so it must show up. Okta's equivalent forms are normalised
first: a single IP `a-a` or a range vs CIDRs, `null` vs `[]` vs `{}` vs absent, set order, and
the values Okta fills in by default (OKTA_DEFAULTS). Id lists are shown by name (zones, groups)
or login (users).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from generator.drift.findings import Value
from generator.okta.platform import zone_entries
from generator.okta.snapshot import LiveOrg

Flat = dict[str, Value]


# Zone attributes and how they compare (scalar, or "cidrs": an address set).
ZONE_ATTRIBUTES: Mapping[str, str] = {
    "name": "scalar",
    "type": "scalar",
    "status": "scalar",
    "usage": "scalar",
    "gateways": "cidrs",
    "proxies": "cidrs",
    "ipServiceCategories.include": "scalar",  # enhanced dynamic zones (a list: as a set)
}
# Top-level attributes compared besides everything under `conditions` and `actions`.
TOP_LEVEL: Mapping[str, tuple[str, ...]] = {
    "session_policy": ("name", "description", "status", "priority"),
    "session_rule": ("name", "status", "priority"),
    "app_rule": ("name", "status", "priority"),
}
# Id lists, shown by name or login.
ID_LISTS: Mapping[str, str] = {
    "conditions.network.include": "zones",
    "conditions.network.exclude": "zones",
    "conditions.people.groups.include": "groups",
    "conditions.people.groups.exclude": "groups",
    "conditions.people.users.include": "users",
    "conditions.people.users.exclude": "users",
}
# What Okta stores when a field is omitted (Management API reference; the sandbox fills in the
# same). A live value equal to its default is the same as no value.
OKTA_DEFAULTS: Mapping[str, Value] = {
    "status": "ACTIVE",
    "usage": "POLICY",
    "description": "",
    "conditions.network.connection": "ANYWHERE",
    "conditions.authContext.authType": "ANY",
    "conditions.riskScore.level": "ANY",
    "conditions.identityProvider.provider": "ANY",
    "conditions.device.registered": False,
    "conditions.device.managed": False,
    "actions.signon.access": "ALLOW",
    "actions.signon.requireFactor": False,
    "actions.signon.primaryFactor": "PASSWORD_IDP_ANY_FACTOR",
    "actions.signon.rememberDeviceByDefault": False,
    "actions.signon.session.maxSessionIdleMinutes": 120,
    "actions.signon.session.maxSessionLifetimeMinutes": 0,
    "actions.signon.session.usePersistentCookie": False,
    "actions.appSignOn.access": "ALLOW",
    "actions.appSignOn.verificationMethod.type": "ASSURANCE",
    "actions.appSignOn.verificationMethod.factorMode": "2FA",
    "actions.appSignOn.keepMeSignedIn.postAuth": "NOT_ALLOWED",
}
# Fields that only mean something when another field has a given value; otherwise dropped
# (Okta keeps or drops them inconsistently).
_ONLY_WHEN: Mapping[str, tuple[str, Value]] = {
    "actions.signon.factorPromptMode": ("actions.signon.requireFactor", True),
    "actions.signon.factorLifetime": ("actions.signon.factorPromptMode", "SESSION"),
    "actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency": (
        "actions.appSignOn.keepMeSignedIn.postAuth",
        "ALLOWED",
    ),
}


def dig(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(part)
    return obj


def canonical_cidrs(entries: Any) -> tuple[str, ...]:
    """Gateway/proxy entries (`{type, value}` or strings; CIDR, `a-b` range or single IP) as
    the sorted minimal CIDR list covering exactly the same addresses; an entry that cannot be
    read stays visible as `unreadable:VALUE` (so it always differs from the declared list)."""
    addresses, unreadable = zone_entries(entries if isinstance(entries, list | tuple) else ())
    return tuple(str(cidr) for cidr in addresses.iter_cidrs()) + tuple(
        f"unreadable:{value[:80]}" for value in unreadable
    )


def widens(actual: Any, expected: Any) -> bool:
    """Whether live entries cover an address the declared ones do not; unreadable live entries
    count as widening (nothing proves they do not)."""
    live, unreadable = zone_entries(actual if isinstance(actual, list | tuple) else ())
    declared, _ = zone_entries(expected if isinstance(expected, list | tuple) else ())
    return bool(unreadable) or bool(live - declared)


def _canonical(item: Any) -> str:
    if isinstance(item, str):
        return item
    return json.dumps(item, sort_keys=True, separators=(",", ":"))


def _display(live: LiveOrg, kind: str, object_id: str) -> str:
    if object_id.startswith("unresolved:"):
        return object_id.removeprefix("unresolved:")
    return live.display_name(kind, object_id)


def normalise(path: str, kind: str, raw: Any, live: LiveOrg) -> Value:
    """One attribute's comparable value; absent, null, [] and {} all become None (or the
    empty tuple for set-valued attributes) and a defaulted value becomes its default."""
    if kind == "cidrs":
        return canonical_cidrs(raw)
    if kind in ("zones", "groups", "users"):
        return tuple(sorted({_display(live, kind[:-1], str(i)) for i in raw or ()}))
    if isinstance(raw, list):
        return tuple(sorted(_canonical(item) for item in raw)) or None
    if raw is None or raw == {} or raw == "":
        return OKTA_DEFAULTS.get(path)
    if isinstance(raw, str | int | bool):
        return raw
    return _canonical(raw)


def _leaves(obj: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if not isinstance(obj, Mapping):
        yield prefix, obj
        return
    for key, value in obj.items():
        path = f"{prefix}.{key}"
        if isinstance(value, Mapping) and value:
            yield from _leaves(value, path)
        else:
            yield path, value


def _raw_attributes(kind: str, obj: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "zone":
        return {path: dig(obj, path) for path in ZONE_ATTRIBUTES}
    raw = {path: obj.get(path) for path in TOP_LEVEL[kind]}
    for root in ("conditions", "actions"):
        if obj.get(root):
            raw.update(_leaves(obj[root], root))
    return raw


def _kind_of(kind: str, path: str) -> str:
    if kind == "zone":
        return ZONE_ATTRIBUTES[path]
    return ID_LISTS.get(path, "scalar")


def flatten_pair(
    kind: str, expected: Mapping[str, Any], actual: Mapping[str, Any], live: LiveOrg
) -> tuple[Flat, Flat]:
    """Both objects over the same attribute paths (the union of what either side has)."""
    raw_want, raw_have = _raw_attributes(kind, expected), _raw_attributes(kind, actual)
    paths = list(dict.fromkeys([*raw_want, *raw_have]))
    if kind != "zone":
        paths += [p for p in ID_LISTS if p not in raw_want and p not in raw_have]
    want = {p: normalise(p, _kind_of(kind, p), raw_want.get(p), live) for p in paths}
    have = {p: normalise(p, _kind_of(kind, p), raw_have.get(p), live) for p in paths}
    for flat in (want, have):
        _drop_meaningless(flat)
    return _without_empty(want, have)


def _drop_meaningless(flat: Flat) -> None:
    for path, (condition, value) in _ONLY_WHEN.items():
        if path in flat and flat.get(condition) != value:
            flat[path] = None
    if flat.get("conditions.network.connection") == "ANYWHERE":
        flat["conditions.network.include"] = ()
        flat["conditions.network.exclude"] = ()


def _without_empty(want: Flat, have: Flat) -> tuple[Flat, Flat]:
    """Drop paths absent on both sides (keeps reports to the attributes that exist)."""
    keep = [p for p in want if want[p] not in (None, ()) or have[p] not in (None, ())]
    return {p: want[p] for p in keep}, {p: have[p] for p in keep}
