"""The desired state: the single source of truth that rendering, simulation and drift read.

Pure values (frozen dataclasses) built from the validated config and the sharded trusted IP sets.
Nothing here talks to Okta or Terraform; no other module re-derives these policy decisions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, TypeVar

from generator.okta.platform import (
    ADMIN_CONSOLE_APP,
    ADMIN_CONSOLE_LABEL,
    BLOCKED_ZONE,
)
from generator.settings import Config, Mode

if TYPE_CHECKING:
    from generator.model_mfa import CatchAll, MfaState

Access = Literal["ALLOW", "DENY"]
Status = Literal["ACTIVE", "INACTIVE"]
NetworkConnection = Literal["ANYWHERE", "ZONE"]

MANAGED_DESCRIPTION = "Managed by egress-guard; do not edit in the Okta Admin Console."
# `required` is explicit: the provider parses constraints into typed structs whose `required`
# is not omitempty, so a constraint without it would be sent as `required: false`
# (okta/terraform-provider-okta sdk/v2_possessionConstraint.go:10, v6.12.0).
PHISHING_RESISTANT_CONSTRAINT = json.dumps(
    {"possession": {"phishingResistant": "REQUIRED", "required": True}},
    sort_keys=True,
    separators=(",", ":"),
)


@dataclass(frozen=True)
class Shard:
    """One zone's worth (≤150 entries) of a source group's collapsed CIDRs, from `ipsets`."""

    group: str  # source group slug: netskope-shared, netskope-dedicated, corporate, feed-<name>
    index: int  # 1-based, stable across runs (see ipsets)
    gateways: tuple[str, ...]  # canonical CIDRs, sorted
    proxies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Zone:
    """An Okta IP network zone (`okta_network_zone`, type IP, usage POLICY)."""

    key: str  # Terraform resource name and stable identity, e.g. "netskope_shared_01"
    name: str  # Okta zone name (carries the ownership prefix)
    group: str  # source group this zone was sharded from
    gateways: tuple[str, ...]
    proxies: tuple[str, ...] = ()
    status: Status = "ACTIVE"
    usage: Literal["POLICY"] = "POLICY"


@dataclass(frozen=True)
class DynamicZone:
    """An enhanced dynamic zone (`okta_network_zone`, type DYNAMIC_V2, usage POLICY): addresses
    Okta classifies by IP service category, e.g. anonymizers; no address list of its own."""

    key: str
    name: str
    categories: tuple[str, ...]  # ipServiceCategories.include
    status: Status = "ACTIVE"
    usage: Literal["POLICY"] = "POLICY"


ANONYMIZER_CATEGORIES = ("ALL_ANONYMIZERS",)


@dataclass(frozen=True)
class SystemZone:
    """One of Okta's own zones, looked up by name (`data "okta_network_zone"`), never managed:
    a rule that must apply from anywhere still names a zone (BlockedIpZone, excluded), as the
    STIG's V-279693 asks of every app rule. Keys start with `system_`, which no source group's
    zone key can (netskope_..., corporate_..., feed_...)."""

    key: str
    name: str


BLOCKED = SystemZone("system_blocked", BLOCKED_ZONE)


@dataclass(frozen=True)
class SessionRule:
    """A Global Session Policy rule (`okta_policy_rule_signon`, API type SIGN_ON)."""

    key: str
    name: str
    priority: int
    access: Access
    network_connection: NetworkConnection
    network_includes: tuple[str, ...] = ()  # zone keys
    network_excludes: tuple[str, ...] = ()  # zone keys
    users_excluded: tuple[str, ...] = ()  # user logins
    groups_members_excluded: tuple[str, ...] = ()  # group names: their members are excluded
    status: Status = "ACTIVE"
    mfa_required: bool = False
    mfa_prompt: Literal["ALWAYS", "SESSION", "DEVICE"] | None = None
    session_lifetime_minutes: int = 120
    session_idle_minutes: int = 120
    session_persistent: bool = False


@dataclass(frozen=True)
class SessionPolicy:
    """The admins' Global Session Policy (`okta_policy_signon`, API type OKTA_SIGN_ON)."""

    key: str
    name: str
    description: str
    priority: int
    groups_included: tuple[str, ...]  # group names
    rules: tuple[SessionRule, ...]
    status: Status = "ACTIVE"


@dataclass(frozen=True)
class AppRule:
    """An authentication-policy rule (`okta_app_signon_policy_rule`, policy type ACCESS_POLICY)."""

    key: str
    name: str
    priority: int
    access: Access
    network_connection: NetworkConnection
    network_includes: tuple[str, ...] = ()  # zone keys
    network_excludes: tuple[str, ...] = ()  # zone keys
    groups_included: tuple[str, ...] = ()  # group names; none (and no users): every user
    groups_excluded: tuple[str, ...] = ()  # group names
    users_excluded: tuple[str, ...] = ()  # user logins
    users_included: tuple[str, ...] = ()  # user logins
    status: Status = "ACTIVE"
    factor_mode: Literal["1FA", "2FA"] = "2FA"
    re_authentication_frequency: str = "PT2H"
    constraints: tuple[str, ...] = ()  # JSON strings, as the provider takes them


@dataclass(frozen=True)
class AppPolicyRules:
    """Our rules on an app's authentication policy: the policy the app has (looked up), or,
    when `dedicated_policy` names one, a policy of our own assigned to the app."""

    key: str  # e.g. "admin_console"
    app_label: str
    app_name: str | None  # Okta app name when known (saasure for the Admin Console)
    rules: tuple[AppRule, ...]
    everyone: bool = False  # the rules cover every user (but break-glass), not admin groups
    dedicated_policy: str | None = None  # name of our own policy for the app (opt-in)
    description: str = ""  # of the dedicated policy


@dataclass(frozen=True)
class BreakGlass:
    users: tuple[str, ...]
    group: str | None


@dataclass(frozen=True)
class ApiTokenRestriction:
    """An API token Terraform confines to the trusted zones (`okta_api_token`, import-only)."""

    key: str  # Terraform resource name
    name: str | None  # as configured
    token_id: str | None  # None: to be resolved by `generate` with credentials (the lock's)

    @property
    def label(self) -> str:
        return repr(self.name) if self.name else str(self.token_id)


@dataclass(frozen=True)
class Controls:
    """What drift's `controls` checks expect of Okta's own post-breach controls (from the
    config's `controls` section; the defaults are the DISA Okta STIG's values where it has one)."""

    console_idle_minutes: int = 15  # Admin Console session (STIG V-273187)
    console_lifetime_minutes: int = 720  # Okta's default
    console_session_configured: bool = False  # the `admin-console` step applies the two above
    threat_action: Literal["audit", "block"] = "block"  # weakest ThreatInsight action accepted
    # Terraform sets ThreatInsight to `threat_action`, excluding exactly the trusted zones.
    threat_insight_managed: bool = False
    # API tokens Terraform restricts to the trusted zones (network ZONE, include = every zone).
    api_tokens: tuple[ApiTokenRestriction, ...] = ()
    token_owners: tuple[str, ...] = ()  # logins allowed to own API tokens; empty: not checked
    exempt_allowed: tuple[str, ...] = ()  # CIDRs DefaultExemptIpZone may hold


@dataclass(frozen=True)
class DesiredState:
    name_prefix: str
    mode: Mode
    zones: tuple[Zone, ...]
    session_policy: SessionPolicy
    app_policies: tuple[AppPolicyRules, ...]
    admin_groups: tuple[str, ...]
    break_glass: BreakGlass
    operator_ips: tuple[str, ...]
    controls: Controls = Controls()
    dynamic_zones: tuple[DynamicZone, ...] = ()  # e.g. anonymizers (controls.anonymizer_deny)
    mfa: MfaState | None = None  # None: no `mfa:` section
    system_zones: tuple[SystemZone, ...] = ()  # Okta's own, looked up (dedicated policy)

    @property
    def trusted_gateways(self) -> tuple[str, ...]:
        return tuple(cidr for zone in self.zones for cidr in zone.gateways)

    def zone(self, key: str) -> Zone | DynamicZone | SystemZone:
        zones: tuple[Zone | DynamicZone | SystemZone, ...] = (
            *self.zones,
            *self.dynamic_zones,
            *self.system_zones,
        )
        for zone in zones:
            if zone.key == key:
                return zone
        raise KeyError(key)

    @property
    def group_names(self) -> tuple[str, ...]:
        """Every group the state refers to, in a stable order (for data-source lookups)."""
        names = list(self.admin_groups)
        if self.break_glass.group:
            names.append(self.break_glass.group)
        return tuple(dict.fromkeys(names))


def slug(text: str) -> str:
    """A Terraform-identifier-safe slug: lowercase letters, digits and underscores, never
    starting with a digit (Terraform names must start with a letter or underscore)."""
    text_slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "x"
    return f"_{text_slug}" if text_slug[0].isdigit() else text_slug


def zones_from_shards(prefix: str, shards: Sequence[Shard]) -> tuple[Zone, ...]:
    return tuple(
        Zone(
            key=f"{slug(shard.group)}_{shard.index:02d}",
            name=f"{prefix}-{shard.group}-{shard.index:02d}",
            group=shard.group,
            gateways=shard.gateways,
            proxies=shard.proxies,
        )
        for shard in sorted(shards, key=lambda s: (s.group, s.index))
    )


def build_desired_state(
    config: Config,
    shards: Sequence[Shard],
    token_ids: Mapping[str, str] | None = None,
    mfa_app_policies: Sequence[str] | None = None,
    mfa_catch_alls: Mapping[str, CatchAll] | None = None,
) -> DesiredState:
    """The default shape (see README "Policy model"): trusted zones, the admins' Global Session
    Policy (allow trusted + MFA, deny elsewhere) and two rules on each protected app's policy."""
    prefix = config.output.name_prefix
    zones = zones_from_shards(prefix, shards)
    zone_keys = tuple(zone.key for zone in zones)
    deny_status: Status = "INACTIVE" if config.mode == "monitor" else "ACTIVE"
    okta = config.okta
    break_glass = BreakGlass(users=okta.break_glass.users, group=okta.break_glass.group)
    bg_groups = (break_glass.group,) if break_glass.group else ()
    gsp = okta.global_session_policy

    session_policy = SessionPolicy(
        key="admins",
        name=f"{prefix} {gsp.name}",
        description=MANAGED_DESCRIPTION,
        priority=gsp.priority,
        groups_included=okta.admin_groups,
        rules=(
            SessionRule(
                key="admins_allow_trusted",
                name=f"{prefix} allow trusted egress",
                priority=1,
                access="ALLOW",
                network_connection="ZONE",
                network_includes=zone_keys,
                mfa_required=True,
                mfa_prompt=gsp.mfa_prompt,
                session_lifetime_minutes=gsp.session_lifetime_minutes,
                session_idle_minutes=gsp.session_idle_minutes,
                session_persistent=False,
            ),
            SessionRule(
                key="admins_deny_other",
                name=f"{prefix} deny other networks",
                priority=2,
                access="DENY",
                network_connection="ANYWHERE",
                users_excluded=break_glass.users,
                groups_members_excluded=bg_groups,
                status=deny_status,
            ),
        ),
    )

    app_policies = tuple(
        _app_policy(config, key, label, app_name, zone_keys, deny_status)
        for key, label, app_name in [
            ("admin_console", ADMIN_CONSOLE_LABEL, ADMIN_CONSOLE_APP),
            *((f"app_{slug(label)}", label, None) for label in okta.extra_apps),
        ]
    )
    state = DesiredState(
        name_prefix=prefix,
        mode=config.mode,
        zones=zones,
        session_policy=session_policy,
        app_policies=app_policies,
        admin_groups=okta.admin_groups,
        break_glass=break_glass,
        operator_ips=okta.operator_ips,
        controls=_controls(config, token_ids or {}),
        system_zones=(BLOCKED,) if any(a.dedicated_policy for a in app_policies) else (),
    )
    if config.controls.anonymizer_deny:
        state = with_anonymizer_deny(state, deny_status)
    # last: the two-factor rules sit directly above the Catch-all Rule, below every other rule
    from generator.model_mfa import build_mfa_state, with_mfa  # it builds on this module's values

    return with_mfa(state, build_mfa_state(config, mfa_app_policies, mfa_catch_alls))


def with_anonymizer_deny(state: DesiredState, status: Status) -> DesiredState:
    """A deny rule for anonymizers (an enhanced dynamic zone of ALL_ANONYMIZERS) at priority 2,
    right after the allow-trusted rule (so the trusted egress never reaches it, whatever Okta
    classifies as an anonymizer: the lockout preflight proves it), break-glass accounts
    excluded: in the admins' session policy; on the Admin Console for everyone reaching it (it
    serves only admins; the admin groups under `admin_console.applies_to: admin_groups`); on the
    extra apps for the admin groups (their other users' access is
    not egress-guard's). The deny rules after it move down one priority."""
    zone = DynamicZone("anonymizers", f"{state.name_prefix}-anonymizers", ANONYMIZER_CATEGORIES)
    name = f"{state.name_prefix} deny anonymizers"
    bg_groups = (state.break_glass.group,) if state.break_glass.group else ()
    session = state.session_policy
    session_rule = SessionRule(
        key=f"{session.key}_deny_anonymizers",
        name=name,
        priority=2,
        access="DENY",
        network_connection="ZONE",
        network_includes=(zone.key,),
        users_excluded=state.break_glass.users,
        groups_members_excluded=bg_groups,
        status=status,
    )
    session = replace(session, rules=_inserted(session.rules, session_rule))
    apps = []
    for app in state.app_policies:
        app_rule = AppRule(
            key=f"{app.key}_deny_anonymizers",
            name=name,
            priority=2,
            access="DENY",
            network_connection="ZONE",
            network_includes=(zone.key,),
            groups_included=() if app.everyone else state.admin_groups,
            groups_excluded=bg_groups,
            users_excluded=state.break_glass.users,
            status=status,
        )
        apps.append(replace(app, rules=_inserted(app.rules, app_rule)))
    return replace(state, dynamic_zones=(zone,), session_policy=session, app_policies=tuple(apps))


RuleT = TypeVar("RuleT", SessionRule, AppRule)


def _inserted(rules: tuple[RuleT, ...], new: RuleT) -> tuple[RuleT, ...]:
    moved: list[RuleT] = [
        replace(rule, priority=rule.priority + 1) if rule.priority >= new.priority else rule
        for rule in rules
    ]
    moved.append(new)
    return tuple(sorted(moved, key=lambda rule: rule.priority))


def _token(
    name: str | None, token_id: str | None, token_ids: Mapping[str, str]
) -> ApiTokenRestriction:
    resolved = token_id or (token_ids.get(name) if name else None)
    key = slug(name) if name else "token_" + slug(str(token_id)).lstrip("_")
    return ApiTokenRestriction(key=key, name=name, token_id=resolved)


def _controls(config: Config, token_ids: Mapping[str, str]) -> Controls:
    controls = config.controls
    session = controls.admin_console_session
    return Controls(
        console_idle_minutes=session.idle_minutes,
        console_lifetime_minutes=session.lifetime_minutes,
        console_session_configured=session.configured,
        threat_action=controls.threat_insight.action,
        threat_insight_managed=controls.threat_insight.manage,
        token_owners=controls.api_tokens.owners,
        exempt_allowed=controls.exempt_zone.allowed,
        api_tokens=tuple(
            _token(ref.name, ref.id, token_ids) for ref in controls.api_tokens.restrict
        ),
    )


def _app_policy(
    config: Config,
    key: str,
    label: str,
    app_name: str | None,
    zone_keys: tuple[str, ...],
    deny_status: Status,
) -> AppPolicyRules:
    """Two rules on the app's policy: allow from the trusted zones, deny elsewhere (break-glass
    excepted). The Admin Console's cover every user by default (only admins use it: an admin
    however granted is confined the moment they get the role); other apps' the admin groups.
    A dedicated Admin Console policy also gets a break-glass rule, its Catch-all denying."""
    okta, prefix = config.okta, config.output.name_prefix
    console = okta.admin_console
    is_console = key == "admin_console"
    everyone = is_console and console.applies_to == "everyone"
    groups = () if everyone else okta.admin_groups
    bg_groups = (okta.break_glass.group,) if okta.break_glass.group else ()
    constraints = (PHISHING_RESISTANT_CONSTRAINT,) if console.phishing_resistant else ()
    dedicated = is_console and console.dedicated_policy
    rules = [
        AppRule(
            key=f"{key}_allow_trusted",
            name=f"{prefix} admins from trusted egress",
            priority=1,
            access="ALLOW",
            network_connection="ZONE",
            network_includes=zone_keys,
            groups_included=groups,
            factor_mode=console.factor_mode,
            re_authentication_frequency=console.reauthenticate_in,
            constraints=constraints,
        ),
        AppRule(
            key=f"{key}_deny_other",
            name=f"{prefix} deny admins elsewhere",
            priority=2,
            access="DENY",
            network_connection="ZONE",
            network_excludes=zone_keys,
            groups_included=groups,
            groups_excluded=bg_groups,
            users_excluded=okta.break_glass.users,
            status=deny_status,
        ),
    ]
    if dedicated:
        rules.append(
            AppRule(
                key=f"{key}_break_glass",
                name=f"{prefix} break-glass from anywhere",
                priority=3,
                access="ALLOW",
                # anywhere but Okta's blocklist (blocked before any policy anyway): a zone named
                network_connection="ZONE",
                network_excludes=(BLOCKED.key,),
                groups_included=bg_groups,
                users_included=okta.break_glass.users,
                factor_mode=console.factor_mode,
                re_authentication_frequency=console.reauthenticate_in,
                constraints=constraints,
            )
        )
    return AppPolicyRules(
        key=key,
        app_label=label,
        app_name=app_name,
        rules=tuple(rules),
        everyone=everyone,
        dedicated_policy=f"{prefix} {ADMIN_CONSOLE_LABEL}" if dedicated else None,
        description=MANAGED_DESCRIPTION if dedicated else "",
    )
