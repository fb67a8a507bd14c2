"""MFA for every user, as drift posture (`mfa:` in the config): every one-factor path as a
finding with its fix, the MFA rules egress-guard declares (missing / changed), and break-glass
accounts with no factor once `mfa.everyone` requires one.

Findings (class `posture`, severity high; the ignore file accepts one path by
`posture:one-factor-session:<policy>` or `posture:one-factor-app:<policy>`):
- `one-factor-session` — a Global Session Policy rule lets a group (or Everyone, or a user a
  rule names) establish a session without MFA, from the ranges named;
- `one-factor-app` — with such a session, an app's authentication policy rule lets them in with
  one factor (factor mode 1FA, the Catch-all Rule included);
- `break-glass-mfa` (critical) — a break-glass account without an active factor while
  `mfa.everyone` requires MFA: it could not sign in.
Admins and break-glass accounts are not principals here: the effective-access posture checks
them. In `monitor` mode, a path egress-guard's (INACTIVE) MFA rules will close is a note, not a
finding: the dry run must be able to read as in sync.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.drift.findings import Finding, ObjectKind
from generator.drift.posture import PostureCheck
from generator.mfa.catch_all import placement_notes
from generator.mfa.declared import declared_findings
from generator.mfa.factors import FactorRules, grade_factors
from generator.mfa.org import MfaOrg, groups_of, read_mfa_org
from generator.mfa.paths import OneFactorPath, org_paths, org_policies, principals
from generator.model import DesiredState
from generator.okta.client import OktaClient
from generator.okta.errors import OktaNotFoundError, OktaScopeError
from generator.okta.paths import api_path
from generator.okta.platform import CATCH_ALL_RULE, DEFAULT_SIGN_ON_POLICY, DEFAULT_SIGN_ON_RULE
from generator.okta.snapshot import LiveOrg

SESSION_CHECK = "one-factor-session"
APP_CHECK = "one-factor-app"
BREAK_GLASS_CHECK = "break-glass-mfa"


@dataclass(frozen=True)
class MfaFacts:
    """What the check needs beyond drift's `LiveOrg`, read before the checks run."""

    org: MfaOrg
    user_groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # included users
    # break-glass login -> whether it has an active MFA factor (read with mfa.everyone only)
    break_glass_mfa: Mapping[str, bool] = field(default_factory=dict)


def _apps(path: OneFactorPath) -> str:
    shown = ", ".join(repr(app) for app in path.apps[:5])
    more = len(path.apps) - 5
    return shown + (f" (+{more} more apps)" if more > 0 else "")


def _closed_by_us(path: OneFactorPath, state: DesiredState) -> bool:
    """Does a rule egress-guard renders (INACTIVE in monitor mode) close this path?"""
    mfa = state.mfa
    if mfa is None:
        return False
    if path.surface == "session":  # ours sits directly above the Default Rule: it replaces
        # only the Default Rule's decision, not that of another rule of the Default Policy
        return (
            mfa.everyone_rule is not None
            and path.policy == DEFAULT_SIGN_ON_POLICY
            and path.rule == DEFAULT_SIGN_ON_RULE
        )
    # ours sits directly above the Catch-all Rule: it replaces only the Catch-all's decision
    return path.rule == CATCH_ALL_RULE and path.policy in mfa.closing_policies


def _fix(path: OneFactorPath, state: DesiredState) -> str:
    if _closed_by_us(path, state):
        return (
            "egress-guard's MFA rule on this policy should apply first: it is missing or "
            "INACTIVE (terraform apply; mode: enforce)"
        )
    if path.surface == "session":
        if path.policy == DEFAULT_SIGN_ON_POLICY and path.rule == DEFAULT_SIGN_ON_RULE:
            return (
                "set mfa.everyone: true (egress-guard adds a rule requiring MFA directly above "
                f"the {DEFAULT_SIGN_ON_POLICY}'s {path.rule!r})"
            )
        return (
            f"require MFA in that rule (Security > Global Session Policy > {path.policy!r} > "
            f"{path.rule!r}: 'Multifactor authentication (MFA) is required')"
        )
    fix = (
        f"set 'User must authenticate with: Any 2 factor types' on that rule (Security > "
        f"Authentication Policies > {path.policy!r} > {path.rule!r})"
    )
    if path.rule != CATCH_ALL_RULE:
        return fix  # mfa.app_policies adds a rule below it, which never decides this path
    return (
        f"{fix}, or list {path.policy!r} in mfa.app_policies (egress-guard adds a two-factor "
        "rule directly above the Catch-all Rule)"
    )


def path_finding(path: OneFactorPath, state: DesiredState) -> Finding:
    kind: ObjectKind
    if path.surface == "session":
        check, kind = SESSION_CHECK, "session_rule"
        what = "can establish an Okta session with one factor (no MFA)"
        responsible = f"Global Session Policy {path.policy!r}, rule {path.rule!r}"
    else:
        check, kind = APP_CHECK, "app_rule"
        what = f"can reach {_apps(path)} with one factor"
        responsible = f"authentication policy {path.policy!r}, rule {path.rule!r} (factor mode 1FA)"
    return Finding(
        "posture",
        "high",
        kind,
        f"{path.policy} / {path.rule}",
        f"[{check}] {path.who.label} {what} {path.where()}: {responsible}. "
        f"Fix: {_fix(path, state)}",
        object_id=path.rule_id,
        check=f"{check}:{path.policy}",
    )


class MfaCheck(PostureCheck):
    """Every one-factor path, the declared MFA rules, break-glass accounts' factors."""

    name = "mfa-every-user"

    def __init__(self, facts: MfaFacts) -> None:
        self.facts = facts
        self.notes: list[str] = []

    def report_notes(self) -> Sequence[str]:
        return tuple(self.notes)

    def findings(self, state: DesiredState, live: LiveOrg) -> list[Finding]:
        mfa = state.mfa
        if mfa is None:
            return []
        findings = declared_findings(state, self.facts.org, live)
        self.notes += placement_notes(state)
        if mfa.posture:
            findings += self._paths(state)
        for login, has_factor in sorted(self.facts.break_glass_mfa.items()):
            if not has_factor:
                findings.append(break_glass_finding(login))
        return findings

    def _paths(self, state: DesiredState) -> list[Finding]:
        policies = org_policies(self.facts.org)
        self.notes += policies.notes
        skip = [*state.admin_groups, *filter(None, [state.break_glass.group])]
        paths = org_paths(policies, principals(self.facts.org, skip, self.facts.user_groups))
        findings = []
        for path in paths:
            if state.mode == "monitor" and _closed_by_us(path, state):
                self.notes.append(
                    f"monitor mode: {path.who.label} can sign in with one factor through "
                    f"{path.policy!r} / {path.rule!r}; egress-guard's MFA rule (INACTIVE) "
                    "closes it in mode enforce"
                )
                continue
            findings.append(path_finding(path, state))
        return findings


def break_glass_finding(login: str) -> Finding:
    return Finding(
        "posture",
        "critical",
        "user",
        login,
        f"[{BREAK_GLASS_CHECK}] break-glass account {login!r} has no active MFA factor, and "
        "mfa.everyone requires MFA: it could not sign in. Break-glass accounts are exempt "
        "from the network rule, not from MFA: enrol a factor (a security key kept with the "
        "account's password)",
        check=BREAK_GLASS_CHECK,
    )


# ---- reading -----------------------------------------------------------------------------------


def break_glass_logins(state: DesiredState, live: LiveOrg | None) -> list[str]:
    logins = list(state.break_glass.users)
    group = state.break_glass.group
    if live is not None and group:
        for member in live.group_members.get(group, ()):
            logins.append(str((member.get("profile") or {}).get("login") or member.get("id")))
    return list(dict.fromkeys(logins))


def break_glass_factors(client: OktaClient, logins: Sequence[str]) -> dict[str, bool]:
    """login -> has an active MFA factor (recovery-only authenticators not counted); a login
    Okta does not know is left out (drift reports it as a missing user)."""
    rules = _factor_rules(client)

    def one(login: str) -> tuple[str, bool | None]:
        try:
            factors = client.list_all(api_path("users", login, "factors"))
        except OktaNotFoundError:
            return login, None
        return login, grade_factors(factors, rules).grade != "none"

    answers = client.map_concurrent(one, logins)
    return {login: has for login, has in answers if has is not None}


def _factor_rules(client: OktaClient) -> FactorRules:
    try:
        return FactorRules.from_authenticators(client.list_all("/api/v1/authenticators"))
    except (OktaScopeError, OktaNotFoundError):
        return FactorRules()


def read_facts(client: OktaClient, state: DesiredState, live: LiveOrg | None) -> MfaFacts:
    named = [p.policy_name for p in state.mfa.placements if p.recorded] if state.mfa else []
    org = read_mfa_org(client, named)
    included = _included_users(org)
    user_groups = dict(
        zip(
            included,
            client.map_concurrent(lambda uid: _group_names(client, uid), included),
            strict=True,
        )
    )
    factors: dict[str, bool] = {}
    if state.mfa is not None and state.mfa.everyone_rule is not None:
        factors = break_glass_factors(client, break_glass_logins(state, live))
    return MfaFacts(org, user_groups, factors)


def _included_users(org: MfaOrg) -> list[str]:
    """Users a rule names in its people include condition (principals of their own)."""
    found: set[str] = set()
    for rules in org.rules.values():
        for rule in rules:
            people = (rule.get("conditions") or {}).get("people") or {}
            found.update(str(i) for i in ((people.get("users") or {}).get("include") or ()))
    return sorted(found & set(org.user_logins))


def _group_names(client: OktaClient, user_id: str) -> tuple[str, ...]:
    return tuple(
        str((g.get("profile") or {}).get("name") or g.get("id")) for g in groups_of(client, user_id)
    )


def mfa_posture_checks(
    client: OktaClient, state: DesiredState, live: LiveOrg | None = None
) -> list[PostureCheck]:
    """The MFA check with what it needs read (none without an `mfa:` section)."""
    if state.mfa is None:
        return []
    return [MfaCheck(read_facts(client, state, live))]
