"""The desired state's MFA part (`mfa:`, MFA for every user): the rule requiring MFA for
Everyone and the two-factor rules on authentication policies, as pure values built from the
validated config and what `generate` read from the org (recorded in the lock). Part of the
desired-state model (`generator.model`, which calls `build_mfa_state` and `with_mfa` last).

Placement principle: enforcing MFA never grants access that was denied before. The Everyone
rule goes into the Global Session Policy's Default Policy (evaluated after every other policy)
directly above its Default Rule, and only where that allows without MFA, with the Default
Rule's session settings; an authentication policy's two-factor rule goes directly above its
Catch-all Rule, and only where that allows with one factor. Each replaces the one-factor
decision of whatever falls through to the system rule, and nothing else: every other rule of
the policy keeps deciding first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from generator.errors import InputError
from generator.model import Access, AppRule, DesiredState, SessionRule, Status, slug
from generator.okta.platform import ADMIN_CONSOLE_LABEL, ADMIN_CONSOLE_POLICY, CATCH_ALL_PRIORITY
from generator.settings import Config


@dataclass(frozen=True)
class CatchAll:
    """An authentication policy's Catch-all Rule (system, priority 99): Okta's decision for
    whatever no other rule of the policy matches. Read by `generate` with credentials and
    recorded in the lock (`mfa_catch_all`); a DENY has no factor mode or constraints."""

    access: Access
    factor_mode: Literal["1FA", "2FA"] | None = None
    constraints: tuple[str, ...] = ()  # canonical JSON strings, as the provider takes them

    @classmethod
    def of(
        cls, access: Access, factor_mode: str | None, constraints: Sequence[str] = ()
    ) -> CatchAll:
        if access == "DENY":
            return cls("DENY")
        mode: Literal["1FA", "2FA"] = "1FA" if factor_mode == "1FA" else "2FA"
        return cls("ALLOW", mode, tuple(constraints))

    @property
    def label(self) -> str:
        if self.access == "DENY":
            return "DENY"
        shown = f"ALLOW {self.factor_mode}"
        if self.constraints:
            shown += f" with constraints {', '.join(self.constraints)}"
        return shown


@dataclass(frozen=True)
class DefaultRule:
    """The Global Session Policy Default Policy's Default Rule (system, always last): Okta's
    session decision for whoever no other rule of any Global Session Policy matches. Only its
    actions can change (its conditions: everyone, anywhere)."""

    access: Access
    mfa_required: bool = False
    session_idle_minutes: int = 120
    session_lifetime_minutes: int = 0  # 0: no limit
    session_persistent: bool = False

    @property
    def label(self) -> str:
        if self.access == "DENY":
            return "DENY"
        lifetime = self.session_lifetime_minutes or "no limit"
        return (
            f"ALLOW {'with' if self.mfa_required else 'without'} MFA (session idle "
            f"{self.session_idle_minutes} min, lifetime {lifetime}, persistent cookie "
            f"{'on' if self.session_persistent else 'off'})"
        )


@dataclass(frozen=True)
class DefaultPolicy:
    """What the Everyone rule's placement rests on, read by `generate` with credentials and
    recorded in the lock (`mfa_default_policy`): the Default Rule, and the priority that puts
    our rule directly above it. Okta lowers a Global Session Policy rule's priority past the
    end to the next free one (a clamped priority is a perpetual Terraform diff,
    okta/terraform-provider-okta#1028, #1286), so it is exact: the highest priority among the
    policy's rules but the system one and ours, plus one."""

    default_rule: DefaultRule
    rule_priority: int = 1


@dataclass(frozen=True)
class MfaAppRule:
    """Our "any two factors" rule on one authentication policy (looked up by name), directly
    above its Catch-all Rule; `rule` is None where the Catch-all does not allow with one
    factor (`skipped` says why: a rule of ours there could only open or relax access)."""

    key: str  # Terraform name, e.g. "mfa_okta_dashboard"
    policy_name: str
    catch_all: CatchAll
    rule: AppRule | None
    skipped: str | None = None
    recorded: bool = True  # catch_all read from the org (False: known by construction)


@dataclass(frozen=True)
class MfaState:
    """MFA for every user (`mfa:`): what is enforced, and how drift checks it."""

    everyone_rule: SessionRule | None  # in the Global Session Policy's Default Policy
    # Named policies (or, with `all`, the org's as resolved) but the Admin Console's, whose
    # rule is among our rules there (`console_rule`, `AppPolicyRules` "admin_console").
    app_rules: tuple[MfaAppRule, ...]
    app_policy_names: tuple[str, ...] = ()  # every policy named (or resolved from `all`)
    all_app_policies: bool = False
    app_policy_exceptions: tuple[str, ...] = ()
    posture: bool = True
    report_max_names: int = 50
    console_rule: MfaAppRule | None = None  # the Admin Console's policy, when named
    # mfa.everyone: the Default Policy as generate read it, and why no rule is placed (if so)
    default_policy: DefaultPolicy | None = None
    everyone_skipped: str | None = None

    @property
    def placements(self) -> tuple[MfaAppRule, ...]:
        """Every named policy's outcome, the Admin Console's included."""
        return (*self.app_rules, *((self.console_rule,) if self.console_rule else ()))

    @property
    def closing_policies(self) -> frozenset[str]:
        """The policies whose Catch-all decision our two-factor rule replaces."""
        return frozenset(p.policy_name for p in self.placements if p.rule is not None)


EVERYONE_MFA_RULE_KEY = "everyone_mfa"
MFA_RULE_NAME = "require MFA"
# Directly above the Catch-all Rule: every rule of the policy stays above it (Okta keeps a
# requested priority past the last rule, leaving a gap: recorded PUT 98 -> 98,
# TestAccResourceOktaAppSignOnPolicyRule_crud), so only what falls through to the Catch-all
# reaches it.
MFA_APP_RULE_PRIORITY = CATCH_ALL_PRIORITY - 1
CATCH_ALL_DENIES = (
    "its Catch-all Rule denies: nothing reaches it with one factor, and an ALLOW rule above it "
    "would let in what the policy denies today"
)
CATCH_ALL_TWO_FACTORS = (
    "its Catch-all Rule already asks for two factors (a rule of ours above it could only relax "
    "its constraints)"
)
DEDICATED_DENIES = (
    "egress-guard's dedicated Admin Console policy denies in its Catch-all Rule: our rules "
    "there decide everyone's access"
)


DEFAULT_RULE_DENIES = (
    "its Default Rule denies: no one reaches it, and an ALLOW rule above it would let in whom "
    "the Default Policy denies today"
)
DEFAULT_RULE_REQUIRES_MFA = (
    "its Default Rule already requires MFA (a rule of ours above it could only loosen its "
    "session settings)"
)


def mfa_rule_name(prefix: str) -> str:
    return f"{prefix} {MFA_RULE_NAME}"


def place_mfa_app_rule(
    key: str, policy_name: str, catch_all: CatchAll, name: str, status: Status, reauth: str
) -> MfaAppRule:
    """The two-factor rule replaces only the Catch-all Rule's one-factor ALLOW: it goes directly
    above it (every other rule of the policy keeps deciding first), for everyone from anywhere,
    with the Catch-all's own constraints (two factors, and whatever kind it required). Where the
    Catch-all denies, or already asks for two factors, nothing is placed: enabling MFA never
    turns a DENY into an ALLOW."""
    if catch_all.access == "DENY":
        return MfaAppRule(key, policy_name, catch_all, None, CATCH_ALL_DENIES)
    if catch_all.factor_mode != "1FA":
        return MfaAppRule(key, policy_name, catch_all, None, CATCH_ALL_TWO_FACTORS)
    rule = AppRule(
        key=key,
        name=name,
        priority=MFA_APP_RULE_PRIORITY,
        access="ALLOW",
        network_connection="ANYWHERE",  # and no people condition: whoever falls through
        status=status,
        factor_mode="2FA",
        re_authentication_frequency=reauth,
        constraints=catch_all.constraints,
    )
    return MfaAppRule(key, policy_name, catch_all, rule)


def place_everyone_rule(
    default: DefaultPolicy,
    name: str,
    status: Status,
    prompt: Literal["ALWAYS", "SESSION", "DEVICE"] | None,
) -> tuple[SessionRule | None, str | None]:
    """The rule requiring MFA for Everyone replaces only the Default Rule's MFA-less ALLOW: it
    goes directly above it (every other rule of the Default Policy keeps deciding first), for
    everyone from anywhere, with the Default Rule's own session settings (never looser). Where
    the Default Rule denies or already requires MFA, nothing is placed (the reason is
    returned): enabling MFA never turns a DENY into an ALLOW."""
    rule = default.default_rule
    if rule.access == "DENY":
        return None, DEFAULT_RULE_DENIES
    if rule.mfa_required:
        return None, DEFAULT_RULE_REQUIRES_MFA
    placed = SessionRule(
        key=EVERYONE_MFA_RULE_KEY,
        name=name,
        priority=default.rule_priority,
        access="ALLOW",
        network_connection="ANYWHERE",  # and no people condition: whoever falls through
        status=status,
        mfa_required=True,
        mfa_prompt=prompt,
        session_lifetime_minutes=rule.session_lifetime_minutes,
        session_idle_minutes=rule.session_idle_minutes,
        session_persistent=rule.session_persistent,
    )
    return placed, None


def unknown_default_policy(config: Config) -> InputError:
    return InputError(
        f"{config.path}: mfa.everyone: the Global Session Policy's Default Policy is not "
        "known, and egress-guard places its MFA rule directly above the Default Rule (below "
        "every other rule of the policy, with the Default Rule's session settings) only where "
        "that rule allows without MFA. The lock records it when `egress-guard generate` runs "
        "with Okta credentials (OKTA_ORG_URL or OKTA_ORG_NAME/OKTA_BASE_URL and OKTA_API_TOKEN "
        "or the OAuth variables; not with --check or --locked-sources, which use the lock): run "
        "it once, or set mfa.everyone: false"
    )


def unknown_catch_all(config: Config, names: Sequence[str]) -> InputError:
    shown = ", ".join(repr(n) for n in names)
    return InputError(
        f"{config.path}: mfa.app_policies: the Catch-all Rule of {shown} is not known, and "
        "egress-guard places its two-factor rule directly above a policy's Catch-all Rule only "
        "where that rule allows with one factor. The lock records it when `egress-guard "
        "generate` runs with Okta credentials (OKTA_ORG_URL or OKTA_ORG_NAME/OKTA_BASE_URL and "
        "OKTA_API_TOKEN or the OAuth variables; not with --check or --locked-sources, which "
        "use the lock): run it once, or remove the policy from mfa.app_policies"
    )


def mfa_policy_names(config: Config, resolved: Sequence[str] | None) -> tuple[str, ...]:
    """The authentication policies that get the two-factor rule: as named, or with `all` the
    org's (`resolved`) but the exceptions."""
    mfa = config.mfa
    if mfa is None:
        return ()
    if not mfa.all_app_policies:
        return mfa.app_policies
    excluded = set(mfa.app_policy_exceptions)
    return tuple(sorted(n for n in resolved or () if n not in excluded))


def _dedicated_console(config: Config) -> str | None:
    console = config.okta.admin_console
    prefix = config.output.name_prefix
    return f"{prefix} {ADMIN_CONSOLE_LABEL}" if console.dedicated_policy else None


def catch_all_needed(config: Config, names: Sequence[str]) -> tuple[str, ...]:
    """Of `names`, those whose Catch-all Rule must be read from the org: all but the Admin
    Console's when it has egress-guard's dedicated policy (its Catch-all denies: ours)."""
    dedicated = _dedicated_console(config)
    return tuple(n for n in names if not (dedicated and n == ADMIN_CONSOLE_POLICY))


def build_mfa_state(
    config: Config,
    resolved_policies: Sequence[str] | None = None,
    catch_alls: Mapping[str, CatchAll] | None = None,
    default_policy: DefaultPolicy | None = None,
) -> MfaState | None:
    """`mfa:` as desired objects. The Everyone rule goes into the Global Session Policy's
    Default Policy (Everyone, evaluated after the admins' policy and every group's policy, so it
    shadows none of them), directly above its Default Rule where that allows without MFA
    (`place_everyone_rule`). Break-glass users are not excluded: they are exempt from the
    network rule, not from MFA. The two-factor rule of each named authentication policy goes
    directly above its Catch-all Rule, where that allows with one factor
    (`place_mfa_app_rule`; the Admin Console's joins our rules there: `with_mfa`). In `monitor`
    mode both are INACTIVE. `resolved_policies`: the org's authentication policy names when
    `app_policies: all`; `catch_alls`: each named policy's Catch-all Rule; `default_policy`:
    the Default Policy's Default Rule and our rule's priority (all resolved by `generate` with
    credentials and recorded in the lock). An unknown Catch-all or Default Policy is an
    error."""
    mfa = config.mfa
    if mfa is None:
        return None
    prefix = config.output.name_prefix
    status: Status = "INACTIVE" if config.mode == "monitor" else "ACTIVE"
    everyone, everyone_skipped = None, None
    if mfa.everyone:
        if default_policy is None:
            raise unknown_default_policy(config)
        everyone, everyone_skipped = place_everyone_rule(
            default_policy, mfa_rule_name(prefix), status, mfa.prompt
        )
    names = mfa_policy_names(config, resolved_policies)
    known = catch_alls or {}
    unknown = [n for n in catch_all_needed(config, names) if n not in known]
    if unknown:
        raise unknown_catch_all(config, unknown)
    dedicated = _dedicated_console(config)
    placed: list[MfaAppRule] = []
    console_rule = None
    for name in names:
        key = f"mfa_{slug(name)}"
        if dedicated and name == ADMIN_CONSOLE_POLICY:
            console_rule = MfaAppRule(
                key, dedicated, CatchAll("DENY"), None, DEDICATED_DENIES, recorded=False
            )
            continue
        outcome = place_mfa_app_rule(
            key, name, known[name], mfa_rule_name(prefix), status, mfa.reauthenticate_in
        )
        if name == ADMIN_CONSOLE_POLICY:
            console_rule = outcome
        else:
            placed.append(outcome)
    return MfaState(
        everyone_rule=everyone,
        app_rules=tuple(placed),
        app_policy_names=tuple(names),
        all_app_policies=mfa.all_app_policies,
        app_policy_exceptions=mfa.app_policy_exceptions,
        posture=mfa.posture,
        report_max_names=mfa.report_max_names,
        console_rule=console_rule,
        default_policy=default_policy if mfa.everyone else None,
        everyone_skipped=everyone_skipped,
    )


def with_mfa(state: DesiredState, mfa: MfaState | None) -> DesiredState:
    """The MFA state; the Admin Console policy's two-factor rule joins egress-guard's rules
    there (one rule set per policy), directly above the Catch-all Rule like the others: below
    our admin rules (which, by default, decide for every user but break-glass) and below the
    policy's own rules."""
    state = replace(state, mfa=mfa)
    rule = mfa.console_rule.rule if mfa is not None and mfa.console_rule is not None else None
    if rule is None:
        return state
    apps = tuple(
        replace(app, rules=(*app.rules, rule)) if app.key == "admin_console" else app
        for app in state.app_policies
    )
    return replace(state, app_policies=apps)
