"""The Global Session Policy's Default Policy, read from the API as the model's `DefaultPolicy`
(what `generate` records in the lock and drift compares with the live policy): its Default Rule
and the priority that puts egress-guard's Everyone rule directly above it.

Requests (generate with credentials, `mfa.everyone`): the OKTA_SIGN_ON policies (the Default
Policy is the system one) and the Default Policy's rules.

What the Everyone rule's placement rests on (drift posture findings, `default_policy_findings`):
- `mfa-default-rule:Default Policy` — the Default Rule is no longer what `generate` recorded
  (critical when our active ALLOW rule sits above a Default Rule that now denies);
- `mfa-rule-below:Default Policy` — an active rule of the Default Policy sits below our active
  rule, which decides for everyone first (critical for a DENY rule: its deny is bypassed);
- an `unmanaged` rule of ours where none is declared (e.g. left by the earlier placement at
  priority 1, or where the Default Rule denies or already requires MFA)."""

from __future__ import annotations

from collections.abc import Sequence

from generator.drift.findings import Finding
from generator.errors import InputError
from generator.model_mfa import DefaultPolicy, DefaultRule, MfaState, mfa_rule_name
from generator.okta.client import OktaClient
from generator.okta.paths import api_path
from generator.okta.platform import DEFAULT_SIGN_ON_POLICY, DEFAULT_SIGN_ON_RULE
from generator.okta.snapshot import JsonObject
from generator.settings import Config


def default_sign_on_policy(policies: Sequence[JsonObject]) -> JsonObject | None:
    """The Default Policy among the OKTA_SIGN_ON policies: the system one."""
    system = [p for p in policies if p.get("system")]
    named = [p for p in system if p.get("name") == DEFAULT_SIGN_ON_POLICY]
    found = named or system
    return found[0] if found else None


def default_rule(rules: Sequence[JsonObject]) -> JsonObject | None:
    """The Default Policy's Default Rule: its system rule (named "Default Rule")."""
    system = [r for r in rules if r.get("system")]
    named = [r for r in system if r.get("name") == DEFAULT_SIGN_ON_RULE]
    found = named or system
    return found[0] if found else None


def default_rule_from_okta(rule: JsonObject) -> DefaultRule:
    """A Default Rule as the API returns it (`actions.signon`)."""
    signon = (rule.get("actions") or {}).get("signon") or {}
    session = signon.get("session") or {}
    if signon.get("access") == "DENY":
        return DefaultRule("DENY")
    return DefaultRule(
        "ALLOW",
        mfa_required=bool(signon.get("requireFactor")),
        session_idle_minutes=_minutes(session.get("maxSessionIdleMinutes"), 120),
        session_lifetime_minutes=_minutes(session.get("maxSessionLifetimeMinutes"), 0),
        session_persistent=bool(session.get("usePersistentCookie")),
    )


def _minutes(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def priority_of(rule: JsonObject) -> int:
    value = rule.get("priority")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def others(rules: Sequence[JsonObject], ours: str) -> list[JsonObject]:
    """The Default Policy's rules but its Default Rule and egress-guard's (named `ours`),
    INACTIVE ones included (they keep their priority, and decide once activated)."""
    return [r for r in rules if not r.get("system") and r.get("name") != ours]


def default_policy_from_rules(rules: Sequence[JsonObject], ours: str) -> DefaultPolicy | None:
    """The Default Rule, and our rule's priority: directly above it, below every other rule."""
    found = default_rule(rules)
    if found is None:
        return None
    top = max((priority_of(r) for r in others(rules, ours)), default=0)
    return DefaultPolicy(default_rule_from_okta(found), top + 1)


def read_default_policy(client: OktaClient, config: Config) -> DefaultPolicy:
    policies = client.list_all("/api/v1/policies", {"type": "OKTA_SIGN_ON"})
    policy = default_sign_on_policy(policies)
    if policy is None:
        raise InputError(
            f"{config.path}: mfa.everyone: {client.org_url} shows no Global Session Policy "
            f"{DEFAULT_SIGN_ON_POLICY!r} (the system OKTA_SIGN_ON policy)"
        )
    rules = client.list_all(api_path("policies", policy.get("id"), "rules"))
    found = default_policy_from_rules(rules, mfa_rule_name(config.output.name_prefix))
    if found is None:
        raise InputError(
            f"{config.path}: mfa.everyone: the Global Session Policy {DEFAULT_SIGN_ON_POLICY!r} "
            f"of {client.org_url} shows no {DEFAULT_SIGN_ON_RULE!r} (its system rule)"
        )
    return found


DEFAULT_RULE_CHECK = "mfa-default-rule"
RULE_BELOW_CHECK = "mfa-rule-below"
NOT_SET = "mfa.everyone is not set"
REGENERATE = (
    "run `egress-guard generate` with Okta credentials (it records the Default Rule as it is "
    "and places the MFA rule directly above it, only where it allows without MFA), review, apply"
)


def default_policy_findings(
    mfa: MfaState, rules: Sequence[JsonObject], ours: JsonObject | None
) -> list[Finding]:
    """Does what `generate` placed the Everyone rule on still hold? The Default Rule as
    recorded in the lock, no rule of the Default Policy below ours, and no rule of ours where
    none is declared."""
    findings: list[Finding] = []
    ours_active = ours is not None and ours.get("status", "ACTIVE") == "ACTIVE"
    live_rule = default_rule(rules)
    recorded = mfa.default_policy
    if recorded is not None and live_rule is not None:
        now = default_rule_from_okta(live_rule)
        if now != recorded.default_rule:
            findings.append(_changed(mfa, recorded.default_rule, now, live_rule, ours_active))
    if ours is None:
        return findings
    if mfa.everyone_rule is None:
        findings.append(_undeclared(mfa, ours, live_rule))
    if not ours_active:
        return findings  # an INACTIVE rule of ours decides nothing: the rules below apply
    for rule in rules:
        below = priority_of(rule) > priority_of(ours)
        if below and not rule.get("system") and rule.get("status", "ACTIVE") == "ACTIVE":
            findings.append(_rule_below(rule, ours))
    return findings


def _changed(
    mfa: MfaState, recorded: DefaultRule, now: DefaultRule, rule: JsonObject, ours_active: bool
) -> Finding:
    placed = mfa.everyone_rule is not None
    if placed:
        basis = "and placed egress-guard's MFA rule directly above it, with its session settings"
        if now.access == "DENY":
            effect = (
                ": that rule (ALLOW with MFA) now lets in whoever the Default Rule denies"
                if ours_active
                else ": once active, that rule would let in whoever the Default Rule denies"
            )
        else:
            effect = ": that rule replaces the Default Rule's decision as it was, not as it is"
    else:
        basis = f"and placed no rule ({mfa.everyone_skipped})"
        effect = (
            ": whoever falls through to it now signs in without MFA"
            if now.access == "ALLOW" and not now.mfa_required
            else ""
        )
    critical = placed and now.access == "DENY" and ours_active
    return Finding(
        "posture",
        "critical" if critical else "high",
        "session_rule",
        f"{DEFAULT_SIGN_ON_POLICY} / {rule.get('name')}",
        f"[{DEFAULT_RULE_CHECK}] the {DEFAULT_SIGN_ON_RULE} of the Global Session Policy "
        f"{DEFAULT_SIGN_ON_POLICY!r} is {now.label}; generate recorded {recorded.label} "
        f"{basis}{effect}. Fix: {REGENERATE}",
        object_id=str(rule.get("id")),
        check=f"{DEFAULT_RULE_CHECK}:{DEFAULT_SIGN_ON_POLICY}",
    )


def _access(rule: JsonObject) -> str:
    signon = (rule.get("actions") or {}).get("signon") or {}
    return "DENY" if signon.get("access") == "DENY" else "ALLOW"


def _rule_below(rule: JsonObject, ours: JsonObject) -> Finding:
    access = _access(rule)
    bypassed = "its deny is bypassed" if access == "DENY" else "its conditions are bypassed"
    return Finding(
        "posture",
        "critical" if access == "DENY" else "high",
        "session_rule",
        f"{DEFAULT_SIGN_ON_POLICY} / {rule.get('name')}",
        f"[{RULE_BELOW_CHECK}] rule {rule.get('name')!r} (priority {priority_of(rule)}, "
        f"{access}) of the Global Session Policy {DEFAULT_SIGN_ON_POLICY!r} sits below "
        f"egress-guard's MFA rule for Everyone (priority {priority_of(ours)}), which decides "
        f"for everyone first: it no longer applies ({bypassed}). Fix: {REGENERATE} (the rule "
        "moves directly above the Default Rule, below every other rule)",
        object_id=str(rule.get("id")),
        check=f"{RULE_BELOW_CHECK}:{DEFAULT_SIGN_ON_POLICY}",
    )


def _undeclared(mfa: MfaState, ours: JsonObject, live_rule: JsonObject | None) -> Finding:
    now = default_rule_from_okta(live_rule) if live_rule is not None else None
    opens = now is not None and now.access == "DENY" and _access(ours) == "ALLOW"
    return Finding(
        "unmanaged",
        "critical" if opens else "high",
        "session_rule",
        f"{DEFAULT_SIGN_ON_POLICY} / {ours.get('name')}",
        f"rule {ours.get('name')!r} (priority {priority_of(ours)}, {_access(ours)}) in the "
        f"Global Session Policy {DEFAULT_SIGN_ON_POLICY!r} is egress-guard's but declared "
        f"nowhere: {mfa.everyone_skipped or NOT_SET}. Fix: `terraform apply` removes it (or "
        "delete it in Okta if Terraform no longer tracks it)",
        object_id=str(ours.get("id")),
    )
