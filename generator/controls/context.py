"""What a control check reads: the desired state, drift's `LiveOrg`, the extra control reads,
and the admins' effective access computed once (the simulator over the live policies)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property

from generator.controls.reads import ControlData
from generator.model import DesiredState
from generator.okta.platform import EXEMPT_ZONE
from generator.okta.snapshot import JsonObject, LiveApp, LiveOrg
from generator.simulate.evaluate import ConsoleDecision, SessionDecision
from generator.simulate.live import policy_set_from_live
from generator.simulate.preflight import admin_principals
from generator.simulate.symbolic import Segment, partition


@dataclass(frozen=True)
class AdminAccess:
    """For each admin group: the decisions that let its members in, from any address."""

    group: str
    segments: tuple[Segment, ...]

    def sign_ins(self) -> Iterator[tuple[Segment, SessionDecision]]:
        for segment in self.segments:
            if segment.decision.session.access == "ALLOW":
                yield segment, segment.decision.session

    def console_access(self) -> Iterator[tuple[Segment, ConsoleDecision]]:
        for segment in self.segments:
            if segment.decision.can_reach_console:
                yield segment, segment.decision.admin_console


@dataclass
class ControlContext:
    state: DesiredState
    live: LiveOrg
    data: ControlData

    @cached_property
    def admin_access(self) -> tuple[AdminAccess, ...]:
        # Only the zones a decision can depend on are turned into address sets: reading every
        # zone's entries (up to 25,000 across an org) would cost more than the rest of drift.
        live = replace(self.live, zones=deciding_zones(self.live))
        policy_set = policy_set_from_live(live, self.state.name_prefix)
        return tuple(
            AdminAccess(group, partition(policy_set, principal))
            for group, principal in zip(
                self.state.admin_groups, admin_principals(self.state), strict=True
            )
        )

    @cached_property
    def trusted_zone_ids(self) -> frozenset[str]:
        """Live ids of the zones egress-guard manages (the trusted egress)."""
        names = {zone.name for zone in self.state.zones}
        return frozenset(str(z.get("id")) for z in self.live.zones if z.get("name") in names)

    @cached_property
    def sign_on_rules_by_id(self) -> Mapping[str, JsonObject]:
        return {
            str(rule.get("id")): rule
            for rules in self.live.sign_on_rules.values()
            for rule in rules
        }

    def app_rule(self, app: LiveApp, rule_id: str | None) -> JsonObject | None:
        return next((r for r in app.rules if str(r.get("id")) == rule_id), None)

    def zone_name(self, zone_id: str) -> str:
        return self.live.display_name("zone", zone_id)

    def user_name(self, user_id: str) -> str:
        owners = self.data.token_owners
        if isinstance(owners, Mapping) and user_id in owners:
            login = (owners[user_id].get("profile") or {}).get("login")
            if login:
                return str(login)
        return self.live.display_name("user", user_id)


ANY_ZONE = frozenset({"ALL_ZONES", "ALL_IP_ZONES"})


def _networks(rules: Iterable[JsonObject]) -> Iterator[Mapping[str, object]]:
    for rule in rules:
        network = (rule.get("conditions") or {}).get("network")
        if isinstance(network, Mapping):
            yield network


def deciding_zones(live: LiveOrg) -> tuple[JsonObject, ...]:
    """The zones a sign-in or Admin Console decision of the read policies can depend on: those
    their rules name, the blocklists and the exempt zone; every IP zone when a rule names "any
    zone" (ALL_IP_ZONES, ON_NETWORK / OFF_NETWORK)."""
    rules = [r for group in live.sign_on_rules.values() for r in group]
    rules += [r for app in live.apps for r in app.rules]
    named: set[str] = set()
    for network in _networks(rules):
        if network.get("connection") in ("ON_NETWORK", "OFF_NETWORK"):
            return live.zones
        for part in ("include", "exclude"):
            ids = network.get(part)
            if isinstance(ids, list):
                named.update(str(i) for i in ids)
    if named & ANY_ZONE:
        return live.zones
    return tuple(
        zone
        for zone in live.zones
        if str(zone.get("id")) in named
        or zone.get("usage") == "BLOCKLIST"
        or zone.get("name") == EXEMPT_ZONE
        or zone.get("useAsExemptList") is True
    )
