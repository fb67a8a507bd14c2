"""The MFA rules egress-guard declares (`mfa.everyone`, `mfa.app_policies`) against the live
org: `missing` when a rule (or the policy it belongs on) is not there, `changed` with the
attribute differences otherwise, as drift reports its other objects. Compared with the same
expected bodies and comparison (`drift.expected`, `drift.compare`), matched by name."""

from __future__ import annotations

from generator.drift.compare import compare
from generator.drift.expected import Resolver, address, app_rule_body, session_rule_body
from generator.drift.findings import Finding, ObjectKind, diff_severity
from generator.mfa.org import MfaOrg, read_mfa_org
from generator.model import DesiredState
from generator.okta.client import OktaClient
from generator.okta.platform import DEFAULT_SIGN_ON_POLICY
from generator.okta.snapshot import JsonObject, LiveOrg
from generator.render import addresses as tf


def default_sign_on_policy(org: MfaOrg) -> JsonObject | None:
    system = [p for p in org.sign_on_policies if p.get("system")]
    named = [p for p in system if p.get("name") == DEFAULT_SIGN_ON_POLICY]
    found = named or system
    return found[0] if found else None


def _address(kind: str, key: str) -> str:
    """The Terraform address of a declared MFA rule: a rule resource in the Default Policy, or
    the one `rule` block of its policy's `okta_app_signon_policy_rules`."""
    if kind == "session":
        return address(tf.SESSION_RULE, key)
    return address(tf.APP_RULES, key) + ".rule[0]"


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
    if rule is not None:
        policy = default_sign_on_policy(org)
        rules = org.rules.get(str(policy.get("id")), ()) if policy else ()
        found = next((r for r in rules if r.get("name") == rule.name), None)
        what = "MFA rule for Everyone"
        if found is None:
            where = f"the Global Session Policy {DEFAULT_SIGN_ON_POLICY!r}"
            findings.append(_missing("session", rule.name, what, where, rule.key))
        else:
            body = session_rule_body(state, resolver, rule)
            findings += _changed("session", rule.name, what, body, found, rule.key, live)
    for app_rule in mfa.app_rules:
        policy = org.policy_named(app_rule.policy_name)
        if policy is None:
            findings.append(
                Finding(
                    "missing",
                    "high",
                    "policy",
                    app_rule.policy_name,
                    f"authentication policy {app_rule.policy_name!r} named by mfa.app_policies "
                    "does not exist in Okta",
                    address=address("data." + tf.POLICY_DATA, app_rule.key),
                    key=app_rule.key,
                )
            )
            continue
        rules = org.rules.get(str(policy.get("id")), ())
        found = next((r for r in rules if r.get("name") == app_rule.rule.name), None)
        what = f"two-factor rule on {app_rule.policy_name!r}"
        if found is None:
            where = f"authentication policy {app_rule.policy_name!r}"
            findings.append(_missing("app", app_rule.rule.name, what, where, app_rule.key))
            continue
        body = app_rule_body(state, resolver, app_rule.rule)
        findings += _changed("app", app_rule.rule.name, what, body, found, app_rule.key, live)
    return findings


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
        body = app_rule_body(state, resolver, app_rule.rule)
        wanted.append((org.policy_named(app_rule.policy_name), app_rule.rule.name, body))
    for policy, name, body in wanted:
        if policy is None:
            continue
        path = f"/api/v1/policies/{policy['id']}/rules"
        existing = next(
            (r for r in org.rules.get(str(policy["id"]), ()) if r["name"] == name), None
        )
        if existing is None:
            created, _ = client.request("POST", path, json=body)
        else:
            created, _ = client.request("PUT", f"{path}/{existing['id']}", json=body)
        if created.get("status") != body.get("status"):
            verb = "activate" if body.get("status") == "ACTIVE" else "deactivate"
            client.request("POST", f"{path}/{created['id']}/lifecycle/{verb}")
