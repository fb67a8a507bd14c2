"""Adapter: raw Okta Management API JSON (as `/api/v1/zones`, `/api/v1/policies` and
`/api/v1/policies/{id}/rules` return it) as a policy set.

Group ids in conditions become group names when `group_names` knows them (the principal then
carries names); unknown ids stay ids. User ids stay ids: live principals carry id and login.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from generator.okta.platform import EXEMPT_ZONE, zone_entries
from generator.simulate.addresses import AddressSet
from generator.simulate.policyset import (
    AppPolicy,
    AppRule,
    NetworkCondition,
    NetZone,
    PeopleCondition,
    PolicySet,
    SignOnPolicy,
    SignOnRule,
)

Json = Mapping[str, Any]
log = logging.getLogger(__name__)
LIVE_ASSUMPTION = "live: policies, rules and zones as read from the tenant"


def policy_set_from_okta(
    zones: Sequence[Json],
    signon_policies: Sequence[Json],
    rules_by_policy: Mapping[str, Sequence[Json]],
    console_policy: Json | None,
    group_names: Mapping[str, str] | None = None,
    managed_marker: str | None = None,
) -> PolicySet:
    """`managed_marker`: a name prefix or description marking egress-guard's own objects."""
    names = dict(group_names or {})
    adapter = _Adapter(names, managed_marker)
    policies = tuple(
        adapter.signon_policy(policy, rules_by_policy.get(str(policy.get("id")), ()))
        for policy in signon_policies
        if policy.get("type", "OKTA_SIGN_ON") == "OKTA_SIGN_ON"
    )
    console = None
    if console_policy is not None:
        console = adapter.app_policy(
            console_policy, rules_by_policy.get(str(console_policy.get("id")), ())
        )
    notes = [LIVE_ASSUMPTION]
    if console is None:
        notes.append("live: the Okta Admin Console's authentication policy was not found")
    return PolicySet(
        zones=tuple(_zone(zone) for zone in zones),
        signon_policies=policies,
        admin_console=console,
        source="live",
        assumptions=tuple(notes),
    )


def app_policy_from_okta(
    policy: Json,
    rules: Sequence[Json],
    group_names: Mapping[str, str] | None = None,
    managed_marker: str | None = None,
) -> AppPolicy:
    """Any authentication policy (ACCESS_POLICY) and its rules, as the simulator reads them."""
    return _Adapter(dict(group_names or {}), managed_marker).app_policy(policy, rules)


def zones_from_okta(zones: Sequence[Json]) -> tuple[NetZone, ...]:
    return tuple(_zone(zone) for zone in zones)


def _addresses(entries: Any, zone_name: str) -> AddressSet:
    addresses, unreadable = zone_entries(entries if isinstance(entries, list | tuple) else ())
    if unreadable:
        # Such an entry matches no address here; drift reports it on managed zones.
        log.warning("zone %s: %d unreadable entries ignored", zone_name, len(unreadable))
    return AddressSet.of_ranges(addresses.iter_ipranges())


def _zone(zone: Json) -> NetZone:
    name = str(zone.get("name", zone.get("id", "?")))
    kind: Literal["IP", "DYNAMIC"] = "IP" if zone.get("type") == "IP" else "DYNAMIC"
    return NetZone(
        id=str(zone.get("id", name)),
        name=name,
        kind=kind,
        status="ACTIVE" if zone.get("status", "ACTIVE") == "ACTIVE" else "INACTIVE",
        usage="BLOCKLIST" if zone.get("usage") == "BLOCKLIST" else "POLICY",
        gateways=_addresses(zone.get("gateways"), name),
        proxies=_addresses(zone.get("proxies"), name),
        exempt=name == EXEMPT_ZONE or bool(zone.get("useAsExemptList")),
    )


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence):
        return tuple(str(item) for item in value)
    return ()


def _status(value: Any) -> Literal["ACTIVE", "INACTIVE"]:
    return "INACTIVE" if value == "INACTIVE" else "ACTIVE"


def _access(value: Any) -> Literal["ALLOW", "DENY"]:
    return "DENY" if value == "DENY" else "ALLOW"


def _priority(value: Any) -> int:
    return int(value) if isinstance(value, int) else 1_000_000


class _Adapter:
    def __init__(self, group_names: Mapping[str, str], marker: str | None) -> None:
        self.group_names = group_names
        self.marker = marker

    def managed(self, obj: Json) -> bool:
        if not self.marker:
            return False
        name, description = str(obj.get("name", "")), str(obj.get("description") or "")
        return name.startswith(self.marker) or self.marker in description

    def groups(self, ids: Any) -> tuple[str, ...]:
        return tuple(self.group_names.get(group_id, group_id) for group_id in _strings(ids))

    def people(self, conditions: Any) -> PeopleCondition:
        people = _dig(conditions, "people")
        return PeopleCondition(
            groups_include=self.groups(_dig(people, "groups", "include")),
            groups_exclude=self.groups(_dig(people, "groups", "exclude")),
            users_include=_strings(_dig(people, "users", "include")),
            users_exclude=_strings(_dig(people, "users", "exclude")),
        )

    @staticmethod
    def network(conditions: Any) -> NetworkCondition:
        network = _dig(conditions, "network")
        connection = _dig(network, "connection")
        include, exclude = _strings(_dig(network, "include")), _strings(_dig(network, "exclude"))
        # Legacy connections: ON_NETWORK = inside any IP zone, OFF_NETWORK = outside all of them.
        if connection == "ON_NETWORK":
            return NetworkCondition("ZONE", ("ALL_IP_ZONES",))
        if connection == "OFF_NETWORK":
            return NetworkCondition("ZONE", (), ("ALL_IP_ZONES",))
        if connection != "ZONE":
            return NetworkCondition()
        return NetworkCondition("ZONE", include, exclude)

    def signon_policy(self, policy: Json, rules: Sequence[Json]) -> SignOnPolicy:
        conditions = policy.get("conditions")
        return SignOnPolicy(
            id=str(policy.get("id")),
            name=str(policy.get("name")),
            priority=_priority(policy.get("priority")),
            groups_include=self.groups(_dig(conditions, "people", "groups", "include")),
            groups_exclude=self.groups(_dig(conditions, "people", "groups", "exclude")),
            rules=tuple(self.signon_rule(rule) for rule in rules),
            status=_status(policy.get("status")),
            system=bool(policy.get("system")),
            managed=self.managed(policy),
        )

    def signon_rule(self, rule: Json) -> SignOnRule:
        signon = _dig(rule, "actions", "signon")
        access = _access(_dig(signon, "access"))
        mfa = bool(_dig(signon, "requireFactor"))
        return SignOnRule(
            id=str(rule.get("id")),
            name=str(rule.get("name")),
            priority=_priority(rule.get("priority")),
            access=access,
            network=self.network(rule.get("conditions")),
            people=self.people(rule.get("conditions")),
            status=_status(rule.get("status")),
            mfa_required=mfa,
            mfa_prompt=cast(str | None, _dig(signon, "factorPromptMode")) if mfa else None,
            session_lifetime_minutes=_dig(signon, "session", "maxSessionLifetimeMinutes"),
            session_idle_minutes=_dig(signon, "session", "maxSessionIdleMinutes"),
            managed=self.managed(rule),
        )

    def app_policy(self, policy: Json, rules: Sequence[Json]) -> AppPolicy:
        return AppPolicy(
            id=str(policy.get("id")),
            name=str(policy.get("name")),
            rules=tuple(self.app_rule(rule) for rule in rules),
            status=_status(policy.get("status")),
        )

    def app_rule(self, rule: Json) -> AppRule:
        sign_on = _dig(rule, "actions", "appSignOn")
        method = _dig(sign_on, "verificationMethod")
        return AppRule(
            id=str(rule.get("id")),
            name=str(rule.get("name")),
            priority=_priority(rule.get("priority")),
            access=_access(_dig(sign_on, "access")),
            network=self.network(rule.get("conditions")),
            people=self.people(rule.get("conditions")),
            status=_status(rule.get("status")),
            factor_mode=cast(str | None, _dig(method, "factorMode")),
            reauthenticate_in=cast(str | None, _dig(method, "reauthenticateIn")),
            system=bool(rule.get("system")),
            managed=self.managed(rule),
        )
