"""Adapter: the desired state (`generator.model.DesiredState`) as a policy set.

Offline, the org's own objects below ours are unknown; they are modelled by Okta's documented
defaults for a fresh org (named in `FRESH_ORG_ASSUMPTION`, shown with every offline result).
"""

from __future__ import annotations

from dataclasses import replace

from generator.model import AppRule as ModelAppRule
from generator.model import DesiredState, SessionRule
from generator.model import Zone as ModelZone
from generator.model_mfa import DefaultRule
from generator.okta.platform import (
    ADMIN_CONSOLE_POLICY,
    CATCH_ALL_PRIORITY,
    CATCH_ALL_RULE,
    DEFAULT_SIGN_ON_POLICY,
    DEFAULT_SIGN_ON_RULE,
)
from generator.simulate.addresses import AddressSet
from generator.simulate.policyset import (
    EVERYONE,
    AppPolicy,
    AppRule,
    NetworkCondition,
    NetZone,
    PeopleCondition,
    PolicySet,
    SignOnPolicy,
    SignOnRule,
)

ADMIN_APP_RULE_NAME = "Admin App Policy"
FRESH_ORG_ASSUMPTION = (
    "offline: the org's objects outside egress-guard are unknown and modelled by a fresh org's "
    "defaults — Global Session Policy 'Default Policy' (Everyone, last) / 'Default Rule' (allow "
    "anywhere, no MFA, or as generate read it with mfa.everyone); Admin Console policy rule "
    "'Admin App Policy' (allow anywhere, 2FA) below "
    "ours and 'Catch-all Rule' (priority 99, deny, or as generate read it with mfa.app_policies). "
    "Use --live to evaluate the real tenant."
)
MEMBERSHIP_ASSUMPTION = (
    "offline: group membership is only known from the config (admin groups, break-glass users "
    "and group); other memberships are what --group says."
)


def policy_set_from_state(state: DesiredState) -> PolicySet:
    zones = tuple(_zone(zone) for zone in state.zones)
    # Enhanced dynamic zones (anonymizers): membership is Okta's classification, unknown here.
    zones += tuple(NetZone(id=z.key, name=z.name, kind="DYNAMIC") for z in state.dynamic_zones)
    # Okta's own zones, looked up: as in a fresh org (BlockedIpZone: a blocklist, no entries)
    zones += tuple(NetZone(id=z.key, name=z.name, usage="BLOCKLIST") for z in state.system_zones)
    policy = state.session_policy
    ours = SignOnPolicy(
        id=policy.key,
        name=policy.name,
        priority=policy.priority,
        groups_include=policy.groups_included,
        rules=tuple(_session_rule(rule) for rule in policy.rules),
        status=policy.status,
        managed=True,
    )
    default_policy = SignOnPolicy(
        id="default_policy",
        name=DEFAULT_SIGN_ON_POLICY,
        priority=max(policy.priority, 1) + 1_000_000,  # always evaluated last
        groups_include=(EVERYONE,),
        rules=default_policy_rules(state),
        system=True,
    )
    return PolicySet(
        zones=zones,
        signon_policies=(ours, default_policy),
        admin_console=_admin_console(state),
        source="desired",
        assumptions=(FRESH_ORG_ASSUMPTION, MEMBERSHIP_ASSUMPTION),
    )


def default_policy_rules(state: DesiredState) -> tuple[SignOnRule, ...]:
    """The Default Policy's rules as the desired state knows them: egress-guard's rule for
    Everyone (mfa.everyone) directly above the Default Rule, as generate recorded it (a fresh
    org's otherwise: ALLOW anywhere, idle 120 minutes, no lifetime limit). The org's own rules
    of that policy are not known offline (use --live)."""
    mfa = state.mfa
    recorded = mfa.default_policy if mfa is not None else None
    ours = (_session_rule(mfa.everyone_rule),) if mfa and mfa.everyone_rule else ()
    found = recorded.default_rule if recorded is not None else DefaultRule("ALLOW")
    allowed = found.access == "ALLOW"
    default_rule = SignOnRule(
        id="default_rule",
        name=DEFAULT_SIGN_ON_RULE,
        priority=max((r.priority for r in ours), default=0) + 1,
        access=found.access,
        mfa_required=found.mfa_required,
        session_lifetime_minutes=found.session_lifetime_minutes if allowed else None,
        session_idle_minutes=found.session_idle_minutes if allowed else None,
    )
    return (*ours, default_rule)


def _zone(zone: ModelZone) -> NetZone:
    return NetZone(
        id=zone.key,
        name=zone.name,
        status=zone.status,
        gateways=AddressSet.parse(zone.gateways),
        proxies=AddressSet.parse(zone.proxies),
    )


def _network(
    connection: str, include: tuple[str, ...], exclude: tuple[str, ...]
) -> NetworkCondition:
    if connection == "ANYWHERE":
        return NetworkCondition()
    return NetworkCondition("ZONE", include, exclude)


def _session_rule(rule: SessionRule) -> SignOnRule:
    return SignOnRule(
        id=rule.key,
        name=rule.name,
        priority=rule.priority,
        access=rule.access,
        network=_network(rule.network_connection, rule.network_includes, rule.network_excludes),
        people=PeopleCondition(
            groups_exclude=rule.groups_members_excluded, users_exclude=rule.users_excluded
        ),
        status=rule.status,
        mfa_required=rule.mfa_required,
        mfa_prompt=rule.mfa_prompt,
        session_lifetime_minutes=rule.session_lifetime_minutes,
        session_idle_minutes=rule.session_idle_minutes,
        managed=True,
    )


def app_rule_from_model(rule: ModelAppRule) -> AppRule:
    """One of the model's authentication-policy rules as the simulator evaluates it."""
    return AppRule(
        id=rule.key,
        name=rule.name,
        priority=rule.priority,
        access=rule.access,
        network=_network(rule.network_connection, rule.network_includes, rule.network_excludes),
        people=PeopleCondition(
            groups_include=rule.groups_included,
            groups_exclude=rule.groups_excluded,
            users_include=rule.users_included,
            users_exclude=rule.users_excluded,
        ),
        status=rule.status,
        factor_mode=rule.factor_mode,
        reauthenticate_in=rule.re_authentication_frequency,
        managed=True,
    )


def _admin_console(state: DesiredState) -> AppPolicy:
    """Our rules on the Admin Console's policy, above a fresh org's own rules; or our dedicated
    policy: our rules and its Catch-all Rule, which denies. Our two-factor rule (mfa.app_policies)
    sits directly above the Catch-all Rule, whose access is then the one generate read."""
    app = next((a for a in state.app_policies if a.key == "admin_console"), None)
    placement = state.mfa.console_rule if state.mfa is not None else None
    mfa_key = placement.rule.key if placement is not None and placement.rule is not None else None
    ours = tuple(app_rule_from_model(rule) for rule in app.rules) if app is not None else ()
    catch_all = AppRule(
        id="catch_all",
        name=CATCH_ALL_RULE,
        priority=CATCH_ALL_PRIORITY,
        access="DENY",
        system=True,
    )
    if placement is not None and placement.recorded:
        recorded = placement.catch_all
        catch_all = replace(catch_all, access=recorded.access, factor_mode=recorded.factor_mode)
    if app is not None and app.dedicated_policy is not None:
        return AppPolicy(id="admin_console", name=app.dedicated_policy, rules=(*ours, catch_all))
    below = max((rule.priority for rule in ours if rule.id != mfa_key), default=0) + 1
    org_rule = AppRule(
        id="admin_app_policy",
        name=ADMIN_APP_RULE_NAME,
        priority=below,
        access="ALLOW",
        factor_mode="2FA",
    )
    return AppPolicy(
        id="admin_console", name=ADMIN_CONSOLE_POLICY, rules=(*ours, org_rule, catch_all)
    )
