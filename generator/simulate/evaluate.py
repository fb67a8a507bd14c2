"""Point evaluation: Okta's Global Session Policy and Admin Console decisions for one request.

Order modelled (see docs/simulate.md): blocklist zones first; then Global Session Policies by
priority — the first active policy whose group condition matches the principal is considered, its
active rules by priority, the first matching rule decides; when none of its rules matches, the next
policy is considered (Default Policy / Default Rule last). Then the Admin Console's authentication
policy: active rules by priority, first match decides (the Catch-all Rule last); no match = deny.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.simulate.addresses import parse_address
from generator.simulate.network import matched_zone_ids, usable
from generator.simulate.policyset import (
    ALL_ZONES_TOKENS,
    Access,
    AppPolicy,
    NetworkCondition,
    PeopleCondition,
    PolicySet,
    Principal,
)


@dataclass(frozen=True)
class SessionDecision:
    access: Access
    policy: str | None  # name of the matched Global Session Policy
    rule: str | None  # name of the matched rule (or why none matched)
    mfa_required: bool = False
    mfa_prompt: str | None = None
    session_lifetime_minutes: int | None = None
    session_idle_minutes: int | None = None
    policy_id: str | None = None
    rule_id: str | None = None


@dataclass(frozen=True)
class ConsoleDecision:
    access: Access
    policy: str | None
    rule: str | None
    factor_mode: str | None = None
    reauthenticate_in: str | None = None
    policy_id: str | None = None
    rule_id: str | None = None


@dataclass(frozen=True)
class Decision:
    session: SessionDecision
    admin_console: ConsoleDecision
    uncertain: tuple[str, ...] = ()  # dynamic zones consulted on the way (treated as no match)

    @property
    def can_sign_in(self) -> bool:
        return self.session.access == "ALLOW"

    @property
    def can_reach_console(self) -> bool:
        return self.can_sign_in and self.admin_console.access == "ALLOW"


def evaluate(
    policy_set: PolicySet, principal: Principal, address: str, via: Sequence[str] = ()
) -> Decision:
    """The decision for `principal` signing in from `address` (through the proxies in `via`)."""
    chain = [parse_address(address), *(parse_address(hop) for hop in via)]
    return decide(policy_set, principal, matched_zone_ids(policy_set, chain))


def decide(policy_set: PolicySet, principal: Principal, matched: frozenset[str]) -> Decision:
    """The decision for a request that is inside exactly the zones `matched` (zone ids)."""
    context = _Context(policy_set, matched)
    blocked = context.blocklisted()
    if blocked is not None:
        reason = f"blocked by blocklist zone {blocked!r}"
        return Decision(
            SessionDecision("DENY", None, reason), ConsoleDecision("DENY", None, reason)
        )
    session = context.session(principal)
    console = context.console(principal)
    return Decision(session, console, tuple(sorted(context.uncertain)))


def app_decision(
    policy_set: PolicySet, app: AppPolicy, principal: Principal, matched: frozenset[str]
) -> ConsoleDecision:
    """Any app's authentication policy (`app`) for a request inside the zones `matched`; the
    zones and blocklists are `policy_set`'s (a blocklisted request never gets this far)."""
    return _Context(policy_set, matched).app(app, principal)


class _Context:
    def __init__(self, policy_set: PolicySet, matched: frozenset[str]) -> None:
        self.policy_set = policy_set
        self.matched = matched
        self.uncertain: set[str] = set()
        self.ip_zone_ids = frozenset(
            zone.id for zone in policy_set.zones if usable(zone) and zone.usage == "POLICY"
        )
        self.dynamic = {zone.id: zone.name for zone in policy_set.zones if zone.kind != "IP"}

    def blocklisted(self) -> str | None:
        zones = self.policy_set.zones
        if any(zone.exempt and zone.id in self.matched for zone in zones):
            return None
        for zone in zones:
            if zone.usage == "BLOCKLIST" and zone.id in self.matched:
                return zone.name
        return None

    def session(self, principal: Principal) -> SessionDecision:
        policies = sorted(self.policy_set.signon_policies, key=lambda p: (p.priority, p.name))
        for policy in policies:
            if policy.status != "ACTIVE":
                continue
            if not _groups_match(policy.groups_include, policy.groups_exclude, principal):
                continue
            for rule in sorted(policy.rules, key=lambda r: (r.priority, r.name)):
                if rule.status != "ACTIVE" or not _people_match(rule.people, principal):
                    continue
                if self.network_match(rule.network):
                    return SessionDecision(
                        rule.access,
                        policy.name,
                        rule.name,
                        rule.mfa_required if rule.access == "ALLOW" else False,
                        rule.mfa_prompt if rule.access == "ALLOW" and rule.mfa_required else None,
                        rule.session_lifetime_minutes if rule.access == "ALLOW" else None,
                        rule.session_idle_minutes if rule.access == "ALLOW" else None,
                        policy.id,
                        rule.id,
                    )
        return SessionDecision("DENY", None, "no Global Session Policy rule matched")

    def console(self, principal: Principal) -> ConsoleDecision:
        app = self.policy_set.admin_console
        if app is None:
            return ConsoleDecision("DENY", None, "Admin Console policy unknown")
        return self.app(app, principal)

    def app(self, app: AppPolicy, principal: Principal) -> ConsoleDecision:
        """An authentication policy's decision: its active rules by priority, first match."""
        for rule in sorted(app.rules, key=lambda r: (r.priority, r.name)):
            if rule.status != "ACTIVE" or not _people_match(rule.people, principal):
                continue
            if self.network_match(rule.network):
                allowed = rule.access == "ALLOW"
                return ConsoleDecision(
                    rule.access,
                    app.name,
                    rule.name,
                    rule.factor_mode if allowed else None,
                    rule.reauthenticate_in if allowed else None,
                    app.id,
                    rule.id,
                )
        return ConsoleDecision(
            "DENY", app.name, "no authentication-policy rule matched", policy_id=app.id
        )

    def network_match(self, condition: NetworkCondition) -> bool:
        if condition.connection == "ANYWHERE":
            return True
        if condition.include and not self._hit(condition.include):
            return False
        return not (condition.exclude and self._hit(condition.exclude))

    def _hit(self, zone_ids: Iterable[str]) -> bool:
        for zone_id in zone_ids:
            if zone_id in ALL_ZONES_TOKENS:
                if self.matched & self.ip_zone_ids:
                    return True
            elif zone_id in self.matched:
                return True
            elif zone_id in self.dynamic:
                self.uncertain.add(self.dynamic[zone_id])
        return False


def _groups_match(include: Sequence[str], exclude: Sequence[str], principal: Principal) -> bool:
    if exclude and principal.groups.intersection(exclude):
        return False
    return not include or bool(principal.groups.intersection(include))


def _people_match(people: PeopleCondition, principal: Principal) -> bool:
    if people.users_exclude and principal.users.intersection(people.users_exclude):
        return False
    if people.groups_exclude and principal.groups.intersection(people.groups_exclude):
        return False
    if not people.users_include and not people.groups_include:
        return True
    return bool(
        principal.users.intersection(people.users_include)
        or principal.groups.intersection(people.groups_include)
    )
