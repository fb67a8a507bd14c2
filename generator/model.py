"""The desired state: the single source of truth that rendering, simulation and drift read.

Pure values (frozen dataclasses) built from the validated config and the sharded trusted IP sets.
Nothing here talks to Okta or Terraform; no other module re-derives these policy decisions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from generator.okta.platform import (
    ADMIN_CONSOLE_APP,
    ADMIN_CONSOLE_LABEL,
    BLOCKED_ZONE,
)
from generator.settings import Config, Mode

if TYPE_CHECKING:
    from generator.model_mfa import CatchAll, DefaultPolicy, MfaState

Access = Literal["ALLOW", "DENY"]
Status = Literal["ACTIVE", "INACTIVE"]
NetworkConnection = Literal["ANYWHERE", "ZONE"]

MANAGED_DESCRIPTION = "Managed by egress-guard; do not edit in the Okta Admin Console."


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
    mfa_default_policy: DefaultPolicy | None = None,
) -> DesiredState:
    """The default shape (see README "Policy model"): trusted zones, the admins' Global Session
    Policy (allow trusted + MFA, deny elsewhere) and two rules on each protected app's policy."""
    # late imports: these parts of the model build on this module's values
    from generator.model_anonymizers import with_anonymizer_deny
    from generator.model_apps import app_policy
    from generator.model_mfa import build_mfa_state, with_mfa

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
        app_policy(config, key, label, app_name, zone_keys, deny_status)
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
    mfa = build_mfa_state(config, mfa_app_policies, mfa_catch_alls, mfa_default_policy)
    return with_mfa(state, mfa)


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
