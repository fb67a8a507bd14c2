"""The MFA rules egress-guard declares (`mfa.everyone`, `mfa.app_policies`) against the live
org: `missing` when a rule (or the policy it belongs on) is not there, `changed` with the
attribute differences otherwise, as drift reports its other objects. Compared with the same
expected bodies and comparison (`drift.expected`, `drift.compare`), matched by name.

And what the two-factor rules' placement rests on (posture findings):
- `mfa-catch-all:<policy>` — the policy's Catch-all Rule is no longer what `generate` recorded
  in the lock (critical when our ALLOW rule is active above a Catch-all that now denies: it
  lets in whoever the policy would deny);
- `mfa-rule-below:<policy>` — an active rule of the policy sits below our active two-factor
  rule, which decides for everyone first (critical for a DENY rule: its deny is bypassed);
- an `unmanaged` rule of ours where none is declared (e.g. left by an earlier
  placement at the top of the policy).
The same for the Global Session Policy's Default Policy (`mfa.everyone`, our rule directly
above its Default Rule): `mfa-default-rule`, `mfa-rule-below:Default Policy`, an undeclared
rule of ours (`mfa.default_policy`)."""

from __future__ import annotations

from collections.abc import Sequence

from generator.drift.compare import compare
from generator.drift.expected import Resolver, address, app_rule_body, session_rule_body
from generator.drift.findings import Finding, ObjectKind, diff_severity
from generator.mfa.catch_all import catch_all_from_okta, catch_all_rule
from generator.mfa.default_policy import RULE_BELOW_CHECK, default_policy_findings
from generator.mfa.default_policy import default_sign_on_policy as default_policy_of
from generator.mfa.org import MfaOrg, read_mfa_org
from generator.model import DesiredState
from generator.model_mfa import MFA_APP_RULE_PRIORITY, CatchAll, MfaAppRule, mfa_rule_name
from generator.okta.client import OktaClient
from generator.okta.paths import api_path, under
from generator.okta.platform import ADMIN_CONSOLE_APP, DEFAULT_SIGN_ON_POLICY
from generator.okta.snapshot import JsonObject, LiveOrg
from generator.render import addresses as tf


def default_sign_on_policy(org: MfaOrg) -> JsonObject | None:
    return default_policy_of(org.sign_on_policies)


def _address(kind: str, key: str) -> str:
    """The Terraform address of a declared MFA rule: a rule resource in the Default Policy, or
    the one `rule` block of its policy's `okta_app_signon_policy_rules`."""
    if kind == "session":
        return address(tf.SESSION_RULE, key)
    return address(tf.APP_RULES, key) + ".rule[0]"


CATCH_ALL_CHECK = "mfa-catch-all"


def _missing(kind: str, name: str, what: str, where: str, key: str) -> Finding:
    return Finding(
        "missing",
        "high",
        "session_rule" if kind == "session" else "app_rule",
        name,
        f"{what} {name!r} is declared but does not exist in {where}",
        address=_address(kind, key),
        key=key,
    )


def _changed(
    kind: str, name: str, what: str, body: dict[str, object], live_rule: JsonObject, key: str,
    live: LiveOrg,
) -> list[Finding]:  # fmt: skip
    rule_kind: ObjectKind = "session_rule" if kind == "session" else "app_rule"
    diffs = compare(rule_kind, body, live_rule, live)
    if not diffs:
        return []
    return [
        Finding(
            "changed",
            diff_severity(diffs),
            rule_kind,
            name,
            f"{what} {name!r} differs from the declared state: " + ", ".join(d.path for d in diffs),
            object_id=str(live_rule.get("id")),
            address=_address(kind, key),
            key=key,
            diffs=diffs,
        )
    ]


def declared_findings(state: DesiredState, org: MfaOrg, live: LiveOrg) -> list[Finding]:
    mfa = state.mfa
    if mfa is None:
        return []
    resolver = Resolver(live)
    findings: list[Finding] = []
    rule = mfa.everyone_rule
    policy = default_sign_on_policy(org)
    rules = org.rules.get(str(policy.get("id")), ()) if policy else ()
    found = next((r for r in rules if r.get("name") == mfa_rule_name(state.name_prefix)), None)
    findings += default_policy_findings(mfa, rules, found)
    if rule is not None:
        what = "MFA rule for Everyone"
        if found is None:
            where = f"the Global Session Policy {DEFAULT_SIGN_ON_POLICY!r}"
            findings.append(_missing("session", rule.name, what, where, rule.key))
        else:
            body = session_rule_body(state, resolver, rule)
            findings += _changed("session", rule.name, what, body, found, rule.key, live)
    for placement in mfa.placements:
        if not placement.recorded:
            continue  # egress-guard's own dedicated policy: drift checks it with our rules
        console = placement is mfa.console_rule
        policy = _console_policy(org) if console else org.policy_named(placement.policy_name)
        if policy is None:
            if not console:  # the Admin Console app's policy: drift's app check reports it
                findings.append(_missing_policy(placement))
            continue
        rules = org.rules.get(str(policy.get("id")), ())
        name = mfa_rule_name(state.name_prefix)
        found = next((r for r in rules if r.get("name") == name), None)
        findings += placement_findings(placement, rules, found)
        if console or placement.rule is None:
            continue  # the console's rule is among ours there: drift's app check compares it
        what = f"two-factor rule on {placement.policy_name!r}"
        if found is None:
            where = f"authentication policy {placement.policy_name!r}"
            findings.append(_missing("app", name, what, where, placement.key))
            continue
        body = app_rule_body(state, resolver, placement.rule)
        findings += _changed("app", name, what, body, found, placement.key, live)
    return findings


def _console_policy(org: MfaOrg) -> JsonObject | None:
    app = next((a for a in org.apps if a.get("name") == ADMIN_CONSOLE_APP), None)
    policy_id = org.app_policy_id(app) if app is not None else None
    return org.access_policy(policy_id) if policy_id else None


def _missing_policy(placement: MfaAppRule) -> Finding:
    return Finding(
        "missing",
        "high",
        "policy",
        placement.policy_name,
        f"authentication policy {placement.policy_name!r} named by mfa.app_policies "
        "does not exist in Okta",
        address=address("data." + tf.POLICY_DATA, placement.key),
        key=placement.key,
    )


def placement_findings(
    placement: MfaAppRule, rules: Sequence[JsonObject], ours: JsonObject | None
) -> list[Finding]:
    """Does what `generate` placed the two-factor rule on still hold? The Catch-all Rule as
    recorded in the lock (`mfa-catch-all`), no rule of the policy below ours
    (`mfa-rule-below`), and no rule of ours where none is declared (`mfa-rule-undeclared`)."""
    findings: list[Finding] = []
    ours_active = ours is not None and ours.get("status", "ACTIVE") == "ACTIVE"
    catch_all = catch_all_rule(rules)
    if catch_all is not None:
        now = catch_all_from_okta(catch_all)
        if now != placement.catch_all:
            findings.append(_catch_all_changed(placement, now, catch_all, ours_active))
    if ours is None:
        return findings
    if placement.rule is None:
        findings.append(_undeclared(placement, ours))
    if not ours_active:
        return findings  # an INACTIVE rule of ours decides nothing: the rules below apply
    for rule in rules:
        below = _priority(rule) > _priority(ours)
        if below and not rule.get("system") and rule.get("status", "ACTIVE") == "ACTIVE":
            findings.append(_rule_below(placement, rule, ours))
    return findings


def _priority(rule: JsonObject) -> int:
    value = rule.get("priority")
    return value if isinstance(value, int) else 0


def _catch_all_changed(
    placement: MfaAppRule, now: CatchAll, rule: JsonObject, ours_active: bool
) -> Finding:
    policy, recorded = placement.policy_name, placement.catch_all
    if placement.rule is not None:
        basis = "and placed egress-guard's two-factor rule above it"
        if now.access == "DENY":
            effect = (
                ": that rule (ALLOW, two factors) now lets in whoever the Catch-all denies"
                if ours_active
                else ": once active, that rule would let in whoever the Catch-all denies"
            )
        else:
            effect = ": that rule replaces the Catch-all's decision as it was, not as it is"
    else:
        basis = f"and placed no rule ({placement.skipped})"
        effect = (
            ": whoever falls through to it now gets in with one factor"
            if now.access == "ALLOW" and now.factor_mode == "1FA"
            else ""
        )
    critical = placement.rule is not None and now.access == "DENY" and ours_active
    return Finding(
        "posture",
        "critical" if critical else "high",
        "app_rule",
        f"{policy} / {rule.get('name')}",
        f"[{CATCH_ALL_CHECK}] the Catch-all Rule of authentication policy {policy!r} is "
        f"{now.label}; generate recorded {recorded.label} {basis}{effect}. Fix: run "
        "`egress-guard generate` with Okta credentials (it records the Catch-all Rule as it is "
        "and places the two-factor rule only where it allows with one factor), review, apply",
        object_id=str(rule.get("id")),
        check=f"{CATCH_ALL_CHECK}:{policy}",
    )


def _rule_below(placement: MfaAppRule, rule: JsonObject, ours: JsonObject) -> Finding:
    policy, access = placement.policy_name, _access(rule)
    bypassed = "its deny is bypassed" if access == "DENY" else "its conditions are bypassed"
    return Finding(
        "posture",
        "critical" if access == "DENY" else "high",
        "app_rule",
        f"{policy} / {rule.get('name')}",
        f"[{RULE_BELOW_CHECK}] rule {rule.get('name')!r} (priority {_priority(rule)}, {access}) "
        f"of authentication policy {policy!r} sits below egress-guard's two-factor rule "
        f"(priority {_priority(ours)}), which decides for everyone first: it no longer applies "
        f"({bypassed}). Fix: move it above the two-factor rule (priority below "
        f"{MFA_APP_RULE_PRIORITY}), then `terraform apply` puts ours back directly above the "
        "Catch-all Rule",
        object_id=str(rule.get("id")),
        check=f"{RULE_BELOW_CHECK}:{policy}",
    )


def _undeclared(placement: MfaAppRule, ours: JsonObject) -> Finding:
    policy = placement.policy_name
    return Finding(
        "unmanaged",
        "critical" if placement.catch_all.access == "DENY" else "high",
        "app_rule",
        f"{policy} / {ours.get('name')}",
        f"rule {ours.get('name')!r} (priority {_priority(ours)}, {_access(ours)}) on "
        f"authentication policy {policy!r} is egress-guard's but declared nowhere: "
        f"{placement.skipped}. Fix: `terraform apply` removes it",
        object_id=str(ours.get("id")),
    )


def _access(rule: JsonObject) -> str:
    sign_on = (rule.get("actions") or {}).get("appSignOn") or {}
    return "DENY" if sign_on.get("access") == "DENY" else "ALLOW"


def apply_mfa_rules(client: OktaClient, state: DesiredState, live: LiveOrg) -> None:
    """Create or replace the declared MFA rules through the API (tests and the sandbox, as
    `drift.apply_expected` does for the rest; Terraform applies them to real orgs)."""
    mfa = state.mfa
    if mfa is None:
        return
    org = read_mfa_org(client, [rule.policy_name for rule in mfa.app_rules])
    resolver = Resolver(live)
    wanted: list[tuple[JsonObject | None, str, dict[str, object]]] = []
    if mfa.everyone_rule is not None:
        body = session_rule_body(state, resolver, mfa.everyone_rule)
        wanted.append((default_sign_on_policy(org), mfa.everyone_rule.name, body))
    for app_rule in mfa.app_rules:
        if app_rule.rule is not None:
            body = app_rule_body(state, resolver, app_rule.rule)
            wanted.append((org.policy_named(app_rule.policy_name), app_rule.rule.name, body))
    for policy, name, body in wanted:
        if policy is None:
            continue
        path = api_path("policies", policy["id"], "rules")
        existing = next(
            (r for r in org.rules.get(str(policy["id"]), ()) if r["name"] == name), None
        )
        if existing is None:
            created, _ = client.request("POST", path, json=body)
        else:
            created, _ = client.request("PUT", under(path, existing["id"]), json=body)
        if created.get("status") != body.get("status"):
            verb = "activate" if body.get("status") == "ACTIVE" else "deactivate"
            client.request("POST", under(path, created["id"], "lifecycle", verb))
