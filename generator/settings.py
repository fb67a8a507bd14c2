"""Typed, validated configuration values (the parsed form of egress-policy.yaml).

`generator.config` loads and validates the YAML against `schemas/config.schema.json` and builds
these frozen dataclasses; everything downstream reads only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Mode = Literal["enforce", "monitor"]
FeedFormat = Literal["lines", "json"]


@dataclass(frozen=True)
class FeedConfig:
    name: str
    url: str | None = None
    file: Path | None = None  # resolved relative to the config file's directory
    format: FeedFormat = "lines"
    pointer: str | None = None  # RFC 6901 JSON pointer, for format=json
    as_proxies: bool = False
    # (header name, environment variable name): values are read at fetch time, never stored
    headers: tuple[tuple[str, str], ...] = ()
    timeout_seconds: float = 60.0  # deadline for one whole fetch attempt (connect to last byte)


@dataclass(frozen=True)
class NetskopeConfig:
    shared: bool = True
    dedicated: tuple[str, ...] = ()
    page: str | None = None  # URL or file path of the "NewEdge IP Ranges for Allowlisting" page
    as_proxies: bool = False  # also list Netskope ranges as trusted proxies (NewEdge adds XFF)


@dataclass(frozen=True)
class EgressConfig:
    netskope: NetskopeConfig = field(default_factory=NetskopeConfig)
    corporate: tuple[str, ...] = ()
    feeds: tuple[FeedConfig, ...] = ()


@dataclass(frozen=True)
class BreakGlassConfig:
    # The loader requires at least one user or the group; the empty default serves code that
    # builds a Config directly (tests, other tools).
    users: tuple[str, ...] = ()  # Okta logins
    group: str | None = None  # Okta group name


@dataclass(frozen=True)
class GlobalSessionPolicyConfig:
    name: str = "Admins - trusted egress only"
    priority: int = 1
    session_lifetime_minutes: int = 120
    session_idle_minutes: int = 15
    mfa_prompt: Literal["ALWAYS", "SESSION", "DEVICE"] = "ALWAYS"


ConsoleScope = Literal["everyone", "admin_groups"]


@dataclass(frozen=True)
class AdminConsoleConfig:
    factor_mode: Literal["1FA", "2FA"] = "2FA"
    reauthenticate_in: str = "PT2H"  # ISO 8601 duration
    phishing_resistant: bool = False
    # Who the Admin Console rules cover: every user except break-glass (an admin however
    # granted, today or tomorrow, is confined), or only the admin groups' members.
    applies_to: ConsoleScope = "everyone"
    # An authentication policy of our own for the Admin Console (created and assigned to it)
    # instead of our rules on the policy it has: opt-in, Okta's acceptance is unverified.
    dedicated_policy: bool = False


@dataclass(frozen=True)
class OktaConfig:
    admin_groups: tuple[str, ...] = ("Okta Administrators",)
    break_glass: BreakGlassConfig = field(default_factory=BreakGlassConfig)
    global_session_policy: GlobalSessionPolicyConfig = field(
        default_factory=GlobalSessionPolicyConfig
    )
    admin_console: AdminConsoleConfig = field(default_factory=AdminConsoleConfig)
    extra_apps: tuple[str, ...] = ()  # app labels whose authentication policy gets the same rules
    operator_ips: tuple[str, ...] = ()  # ranges that must never lose access (e.g. CI egress)


@dataclass(frozen=True)
class AdminConsoleSessionConfig:
    """The Okta Admin Console's own session (first-party app settings): the maxima drift checks
    (STIG V-273187: idle 15 minutes) and, when given in the config, the values the
    `admin-console` step applies."""

    idle_minutes: int = 15  # 5..720 (Okta's limits)
    lifetime_minutes: int = 720  # 5..10080
    configured: bool = False  # given in the config (the step applies it)


@dataclass(frozen=True)
class ThreatInsightConfig:
    action: Literal["audit", "block"] = "block"  # the weakest action drift accepts
    manage: bool = False  # render okta_threat_insight_settings (action, trusted zones excluded)


@dataclass(frozen=True)
class TokenRef:
    """An API token to restrict, by name (its id resolved by `generate` with credentials and
    kept in the lock file) or by id."""

    name: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class ApiTokensConfig:
    # Logins allowed to own API tokens (dedicated service accounts, STIG V-279690); empty: any
    # owner that is not a super admin passes.
    owners: tuple[str, ...] = ()
    # Tokens Terraform restricts to the trusted zones (imported, never destroyed).
    restrict: tuple[TokenRef, ...] = ()


@dataclass(frozen=True)
class ExemptZoneConfig:
    allowed: tuple[str, ...] = ()  # CIDRs DefaultExemptIpZone may hold (none by default)


@dataclass(frozen=True)
class ControlsConfig:
    """Okta's own post-breach controls: what drift's `controls` checks expect."""

    admin_console_session: AdminConsoleSessionConfig = field(
        default_factory=AdminConsoleSessionConfig
    )
    threat_insight: ThreatInsightConfig = field(default_factory=ThreatInsightConfig)
    api_tokens: ApiTokensConfig = field(default_factory=ApiTokensConfig)
    exempt_zone: ExemptZoneConfig = field(default_factory=ExemptZoneConfig)
    # A deny rule for anonymizer IPs (an enhanced dynamic zone) on the admin policies.
    anonymizer_deny: bool = False


@dataclass(frozen=True)
class SafetyConfig:
    max_shrink_percent: float = 30.0
    allow_private: bool = False
    allow_ipv6: bool = False
    # CIDRs exempt from the special-range refusal (documentation ranges in examples, a lab, ...)
    allow_ranges: tuple[str, ...] = ()
    # breadth rail: the union of every source may cover less than one IPv4 /N (IPv6 /N+24)
    max_breadth_prefix: int = 8


@dataclass(frozen=True)
class OutputConfig:
    dir: Path = Path("terraform/generated")  # resolved relative to the config file's directory
    name_prefix: str = "egress-guard"


@dataclass(frozen=True)
class WatchConfig:
    trusted_extra: tuple[str, ...] = ()  # CIDRs beyond the egress sources
    automation_actors: tuple[str, ...] = ()  # the Terraform apply identity (ids, logins)
    disabled: tuple[str, ...] = ()  # detection ids not to run
    # detection id -> ((parameter, value), ...)
    parameters: tuple[tuple[str, tuple[tuple[str, int | bool], ...]], ...] = ()


@dataclass(frozen=True)
class MfaConfig:
    """`mfa:` — MFA for every user (README "MFA for every user"). Present at all: drift checks
    who can sign in with one factor (`posture`); `everyone` and `app_policies` enforce it."""

    everyone: bool = False  # a Global Session Policy rule for Everyone that requires MFA
    prompt: Literal["ALWAYS", "SESSION", "DEVICE"] = "SESSION"
    # Authentication policies (by name) that get an "any two factors" rule for Everyone.
    app_policies: tuple[str, ...] = ()
    all_app_policies: bool = False  # `app_policies: all`: every authentication policy, except
    app_policy_exceptions: tuple[str, ...] = ()  # these (only with `all`)
    reauthenticate_in: str = "PT12H"  # ISO 8601, the 2FA rules' re-authentication interval
    posture: bool = True  # drift: report every one-factor path (group, policy, rule, app)
    report_max_names: int = 50  # user names at most in a report that may be published


@dataclass(frozen=True)
class Config:
    path: Path  # the file it was loaded from (for messages and relative paths)
    version: int = 1
    mode: Mode = "enforce"
    egress: EgressConfig = field(default_factory=EgressConfig)
    okta: OktaConfig = field(default_factory=OktaConfig)
    controls: ControlsConfig = field(default_factory=ControlsConfig)
    safety: SafetyConfig = field(default_factory=SafetyConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    watch: WatchConfig = field(default_factory=WatchConfig)
    mfa: MfaConfig | None = None  # None: no `mfa:` section (MFA is checked for admins only)
