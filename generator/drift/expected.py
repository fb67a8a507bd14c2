"""The API objects the desired state implies, as Okta's Management API would hold them.

Everything comes from `generator.model` (no policy decision is made here); names are resolved to
the live org's ids (zones by the id a Terraform plan/state records for them, else by name; groups
by name, users by login, members of member groups).
The bodies are valid request payloads, so `apply_expected` can PUT/POST them unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.drift.findings import ObjectKind
from generator.drift.plan import PlanIndex
from generator.model import AppRule, DesiredState, DynamicZone, SessionRule, Zone
from generator.okta.snapshot import LiveOrg
from generator.render import addresses as tf

ADDRESS_PREFIX = tf.MODULE_ADDRESS + "."
UNRESOLVED = "unresolved:"  # prefix of a placeholder id for a name that does not exist live


@dataclass(frozen=True)
class ExpectedObject:
    kind: ObjectKind  # zone | session_policy | session_rule | app_rule
    key: str  # model key (also the Terraform resource name)
    name: str
    address: str
    body: dict[str, Any]
    parent: str | None = None  # session policy key or app key, for rules
    # Groups whose members the rule excludes (the break-glass group on the session deny rule),
    # and the excluded ids that come only from those members (not named in the config).
    member_groups: tuple[str, ...] = ()
    member_excludes: tuple[str, ...] = ()


class Resolver:
    """Names → live ids; unknown names become visible `unresolved:<name>` placeholders."""

    def __init__(self, live: LiveOrg, plan: PlanIndex | None = None) -> None:
        self.live = live
        self.plan = plan

    def zone(self, state: DesiredState, key: str) -> str:
        # A zone renamed by hand keeps its id: the plan's id keeps the rules that use it in
        # sync (the rename itself is reported on the zone).
        planned = self.plan.id_of(address(tf.ZONE, key)) if self.plan else None
        if planned and self.live.zone_by_id(planned) is not None:
            return planned
        name = state.zone(key).name
        zone = self.live.zone_named(name)
        return str(zone["id"]) if zone else UNRESOLVED + name

    def group(self, name: str) -> str:
        group = self.live.groups.get(name)
        return str(group["id"]) if group else UNRESOLVED + name

    def user(self, login: str) -> str:
        user = self.live.users.get(login)
        return str(user["id"]) if user else UNRESOLVED + login

    def members(self, group_names: Sequence[str]) -> list[str]:
        return [member for name in group_names for member in self.live.member_ids(name)]


def address(resource: str, name: str) -> str:
    return f"{ADDRESS_PREFIX}{resource}.{name}"


def dynamic_zone_body(zone: DynamicZone) -> dict[str, Any]:
    return {
        "type": "DYNAMIC_V2",
        "name": zone.name,
        "status": zone.status,
        "usage": zone.usage,
        "ipServiceCategories": {"include": list(zone.categories), "exclude": []},
    }


def zone_body(zone: Zone) -> dict[str, Any]:
    return {
        "type": "IP",
        "name": zone.name,
        "status": zone.status,
        "usage": zone.usage,
        "gateways": [{"type": "CIDR", "value": cidr} for cidr in zone.gateways],
        "proxies": [{"type": "CIDR", "value": cidr} for cidr in zone.proxies] or None,
    }


def _network(state: DesiredState, r: Resolver, rule: SessionRule | AppRule) -> dict[str, Any]:
    network: dict[str, Any] = {"connection": rule.network_connection}
    if rule.network_connection == "ZONE":
        if rule.network_includes:
            network["include"] = [r.zone(state, key) for key in rule.network_includes]
        if rule.network_excludes:
            network["exclude"] = [r.zone(state, key) for key in rule.network_excludes]
    return network


def _member_only_excludes(r: Resolver, rule: SessionRule) -> tuple[str, ...]:
    declared = {r.user(login) for login in rule.users_excluded}
    members = r.members(rule.groups_members_excluded)
    return tuple(m for m in dict.fromkeys(members) if m not in declared)


def session_rule_body(state: DesiredState, r: Resolver, rule: SessionRule) -> dict[str, Any]:
    excluded = [r.user(login) for login in rule.users_excluded]
    excluded += r.members(rule.groups_members_excluded)
    signon: dict[str, Any] = {
        "access": rule.access,
        "requireFactor": rule.mfa_required,
        "rememberDeviceByDefault": False,
        "session": {
            "maxSessionIdleMinutes": rule.session_idle_minutes,
            "maxSessionLifetimeMinutes": rule.session_lifetime_minutes,
            "usePersistentCookie": rule.session_persistent,
        },
    }
    if rule.mfa_required and rule.mfa_prompt:
        signon["factorPromptMode"] = rule.mfa_prompt
    conditions: dict[str, Any] = {"network": _network(state, r, rule)}
    if excluded:
        conditions["people"] = {"users": {"exclude": list(dict.fromkeys(excluded))}}
    return {
        "type": "SIGN_ON",
        "name": rule.name,
        "priority": rule.priority,
        "status": rule.status,
        "conditions": conditions,
        "actions": {"signon": signon},
    }


def _included_excluded(
    resolve: Callable[[str], str], included: Sequence[str], excluded: Sequence[str]
) -> dict[str, list[str]]:
    """`{"include": [ids], "exclude": [ids]}` of the names given, each part only when named."""
    return {
        part: [resolve(name) for name in names]
        for part, names in (("include", included), ("exclude", excluded))
        if names
    }


def app_rule_body(state: DesiredState, r: Resolver, rule: AppRule) -> dict[str, Any]:
    people: dict[str, Any] = {}
    groups = _included_excluded(r.group, rule.groups_included, rule.groups_excluded)
    if groups:
        people["groups"] = groups
    users = _included_excluded(r.user, rule.users_included, rule.users_excluded)
    if users:
        people["users"] = users
    conditions: dict[str, Any] = {"network": _network(state, r, rule)}
    if people:
        conditions["people"] = people
    method: dict[str, Any] = {
        "type": "ASSURANCE",
        "factorMode": rule.factor_mode,
        "reauthenticateIn": rule.re_authentication_frequency,
    }
    if rule.constraints:
        method["constraints"] = [json.loads(c) for c in rule.constraints]
    return {
        "type": "ACCESS_POLICY",
        "name": rule.name,
        "priority": rule.priority,
        "status": rule.status,
        "conditions": conditions,
        "actions": {"appSignOn": {"access": rule.access, "verificationMethod": method}},
    }


def expected_objects(
    state: DesiredState, live: LiveOrg, plan: PlanIndex | None = None
) -> list[ExpectedObject]:
    """Every object the repository manages, in dependency order (zones, policy, rules)."""
    r = Resolver(live, plan)
    objects = [
        ExpectedObject("zone", z.key, z.name, address(tf.ZONE, z.key), zone_body(z))
        for z in state.zones
    ]
    objects += [
        ExpectedObject("zone", z.key, z.name, address(tf.ZONE, z.key), dynamic_zone_body(z))
        for z in state.dynamic_zones
    ]
    policy = state.session_policy
    objects.append(
        ExpectedObject(
            "session_policy",
            policy.key,
            policy.name,
            address(tf.SESSION_POLICY, policy.key),
            {
                "type": "OKTA_SIGN_ON",
                "name": policy.name,
                "description": policy.description,
                "priority": policy.priority,
                "status": policy.status,
                "conditions": {
                    "people": {"groups": {"include": [r.group(g) for g in policy.groups_included]}}
                },
            },
        )
    )
    objects += [
        ExpectedObject(
            "session_rule",
            rule.key,
            rule.name,
            address(tf.SESSION_RULE, rule.key),
            session_rule_body(state, r, rule),
            parent=policy.key,
            member_groups=rule.groups_members_excluded,
            member_excludes=_member_only_excludes(r, rule),
        )
        for rule in policy.rules
    ]
    objects += [
        ExpectedObject(
            "app_rule",
            rule.key,
            rule.name,
            ADDRESS_PREFIX + tf.app_rule(app, rule),
            app_rule_body(state, r, rule),
            parent=app.key,
        )
        for app in state.app_policies
        for rule in app.rules
    ]
    return objects
