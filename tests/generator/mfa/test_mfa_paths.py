"""One-factor paths as drift posture, against the sandbox: each path (who, policy, rule, apps,
where) a finding with its fix, failing and passing; the declared MFA rules; monitor mode; the
break-glass accounts' factors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drift_support import make_client
from mfa_support import (
    DASHBOARD_APP,
    EVERYONE_SESSION,
    OrgAdmin,
    drift_notes,
    mfa_config,
    mfa_findings,
    paths_of,
    synced,
)

from generator.drift.apply_expected import apply_expected
from generator.model_mfa import CatchAll


def test_a_fresh_org_lets_everyone_in_with_a_password(tmp_path: Path) -> None:
    desired = mfa_config(tmp_path, {})
    with synced(desired) as org:
        findings = mfa_findings(org, desired)
    assert paths_of(findings) == {EVERYONE_SESSION, DASHBOARD_APP}
    session = next(f for f in findings if f.check == EVERYONE_SESSION[0])
    assert session.severity == "high" and session.kind == "session_rule"
    assert "every user (Everyone) can establish an Okta session with one factor" in session.message
    assert "from anywhere" in session.message and "set mfa.everyone: true" in session.message
    app = next(f for f in findings if f.check == DASHBOARD_APP[0])
    assert "can reach 'Okta Dashboard' with one factor" in app.message
    assert "list 'Okta Dashboard' in mfa.app_policies" in app.message


def test_mfa_for_everyone_closes_the_paths(tmp_path: Path) -> None:
    desired = mfa_config(tmp_path, {"everyone": True, "app_policies": ["Okta Dashboard"]})
    with synced(desired) as org:
        assert mfa_findings(org, desired) == []
        admin = OrgAdmin(org)
        policy = admin.policy("Default Policy")
        ours = admin.rule(policy["id"], "egress-guard require MFA")
        admin.call(
            "POST", f"/api/v1/policies/{policy['id']}/rules/{ours['id']}/lifecycle/deactivate"
        )
        findings = mfa_findings(org, desired)
    changed = [f for f in findings if f.finding_class == "changed"]
    assert [(f.name, [d.path for d in f.diffs]) for f in changed] == [
        ("egress-guard require MFA", ["status"])
    ]
    # the session path is back; the app still needs two factors (its rule is ours)
    assert paths_of(findings) == {EVERYONE_SESSION}
    assert "egress-guard's MFA rule on this policy should apply first" in next(
        f.message for f in findings if f.check == EVERYONE_SESSION[0]
    )


def test_a_group_policy_without_mfa_is_its_own_path(tmp_path: Path) -> None:
    desired = mfa_config(tmp_path, {"everyone": True})
    with synced(desired) as org:
        admin = OrgAdmin(org)
        contractors = admin.group("Contractors")
        admin.sign_on_policy("Contractors", contractors, mfa=False)
        engineers = admin.group("Engineers")
        admin.sign_on_policy("Engineers", engineers, mfa=True, priority=2)
        office = admin.call(
            "POST",
            "/api/v1/zones",
            {
                "type": "IP",
                "name": "Office",
                "gateways": [{"type": "CIDR", "value": "192.0.2.0/24"}],
            },
        )
        kiosks = admin.group("Kiosks")
        network = {"connection": "ZONE", "include": [office["id"]]}
        admin.sign_on_policy("Kiosks", kiosks, mfa=False, network=network, priority=3)
        findings = mfa_findings(org, desired)
    assert paths_of(findings) == {
        ("one-factor-session:Contractors", "Contractors / Contractors rule"),
        ("one-factor-session:Kiosks", "Kiosks / Kiosks rule"),
        DASHBOARD_APP,  # with a one-factor session, the Dashboard's Catch-all lets them on
    }
    dashboard = [f.message for f in findings if f.check == DASHBOARD_APP[0]]
    assert len(dashboard) == 2 and not any("Everyone" in m or "Engineers" in m for m in dashboard)
    contractors_finding = next(f for f in findings if "Contractors" in f.name)
    assert "members of group 'Contractors'" in contractors_finding.message
    assert "require MFA in that rule" in contractors_finding.message
    kiosk = next(f for f in findings if "Kiosks" in f.name)
    assert "from 192.0.2.0/24:" in kiosk.message  # only where the rule's zone matches


def test_an_app_rule_for_a_group_and_one_for_a_user(tmp_path: Path) -> None:
    desired = mfa_config(tmp_path, {"everyone": False, "posture": True})
    with synced(desired) as org:
        admin = OrgAdmin(org)
        kiosk = admin.access_policy("Kiosk apps", catch_all_mode="2FA")
        frontdesk = admin.group("Front desk")
        admin.app_rule(kiosk["id"], "front desk 1FA", "1FA", {"groups": {"include": [frontdesk]}})
        pat = admin.user_id("pat@example.com")
        admin.app_rule(kiosk["id"], "pat 1FA", "1FA", {"users": {"include": [pat]}})
        admin.assign("okta_enduser", kiosk["id"])  # the Okta Dashboard now uses it
        findings = mfa_findings(org, desired)
    assert paths_of(findings) == {
        EVERYONE_SESSION,
        ("one-factor-app:Kiosk apps", "Kiosk apps / front desk 1FA"),
        ("one-factor-app:Kiosk apps", "Kiosk apps / pat 1FA"),
    }
    by_name = {f.name: f.message for f in findings}
    assert (
        "members of group 'Front desk' can reach 'Okta Dashboard'"
        in by_name["Kiosk apps / front desk 1FA"]
    )
    assert "user 'pat@example.com' can reach 'Okta Dashboard'" in by_name["Kiosk apps / pat 1FA"]


def test_monitor_mode_notes_what_the_inactive_rules_will_close(tmp_path: Path) -> None:
    desired = mfa_config(
        tmp_path, {"everyone": True, "app_policies": ["Okta Dashboard"]}, mode="monitor"
    )
    with synced(desired) as org:
        assert mfa_findings(org, desired) == []
        notes = drift_notes(org, desired)
    assert any(n.startswith("monitor mode: every user (Everyone) can sign in") for n in notes)


def test_a_break_glass_account_without_a_factor(tmp_path: Path) -> None:
    desired = mfa_config(tmp_path, {"everyone": True})
    with synced(desired) as org:
        admin = OrgAdmin(org)
        user_id = admin.user_id("breakglass@example.com")
        for factor in admin.call("GET", f"/api/v1/users/{user_id}/factors"):
            admin.call("DELETE", f"/api/v1/users/{user_id}/factors/{factor['id']}")
        findings = mfa_findings(org, desired)
    [finding] = [f for f in findings if f.check == "break-glass-mfa"]
    assert finding.severity == "critical" and finding.name == "breakglass@example.com"
    assert "exempt from the network rule, not from MFA" in finding.message


def _dashboard(admin: OrgAdmin) -> tuple[str, dict[str, Any]]:
    policy = admin.policy("Okta Dashboard", "ACCESS_POLICY")
    return str(policy["id"]), admin.rule(policy["id"], "egress-guard require MFA")


def test_the_two_factor_rule_sits_directly_above_the_catch_all(tmp_path: Path) -> None:
    desired = mfa_config(tmp_path, {"app_policies": ["Okta Dashboard"]})
    with synced(desired) as org:
        _, ours = _dashboard(OrgAdmin(org))
        findings = mfa_findings(org, desired)
    assert ours["priority"] == 98 and ours["status"] == "ACTIVE"
    assert paths_of(findings) == {EVERYONE_SESSION}  # the Catch-all's one-factor path is closed


def test_a_catch_all_that_now_denies_under_our_allow_rule_is_critical(tmp_path: Path) -> None:
    desired = mfa_config(tmp_path, {"app_policies": ["Okta Dashboard"]})
    with synced(desired) as org:
        admin = OrgAdmin(org)
        policy_id, _ = _dashboard(admin)
        catch_all = admin.rule(policy_id, "Catch-all Rule")
        catch_all["actions"]["appSignOn"]["access"] = "DENY"
        body = {k: catch_all[k] for k in ("type", "name", "actions")}
        admin.call("PUT", f"/api/v1/policies/{policy_id}/rules/{catch_all['id']}", body)
        findings = mfa_findings(org, desired)
    [finding] = [f for f in findings if (f.check or "").startswith("mfa-catch-all")]
    assert finding.severity == "critical" and finding.check == "mfa-catch-all:Okta Dashboard"
    assert "is DENY; generate recorded ALLOW 1FA" in finding.message
    assert "now lets in whoever the Catch-all denies" in finding.message
    assert "run `egress-guard generate` with Okta credentials" in finding.message


def test_a_rule_below_ours_is_reported_its_deny_bypassed(tmp_path: Path) -> None:
    desired = mfa_config(tmp_path, {"everyone": True, "app_policies": ["Okta Dashboard"]})
    with synced(desired) as org:
        admin = OrgAdmin(org)
        policy_id, ours = _dashboard(admin)
        deny = admin.call(
            "POST",
            f"/api/v1/policies/{policy_id}/rules",
            {
                "type": "ACCESS_POLICY",
                "name": "deny contractors",
                "priority": 1,
                "conditions": {"network": {"connection": "ANYWHERE"}},
                "actions": {"appSignOn": {"access": "DENY"}},
            },
        )
        assert mfa_findings(org, desired) == []  # above ours: it still decides first
        admin.put_rule(policy_id, {**ours, "priority": 1})  # ours moved to the top by hand
        findings = mfa_findings(org, desired)
    below = [f for f in findings if (f.check or "").startswith("mfa-rule-below")]
    assert [(f.severity, f.object_id) for f in below] == [("critical", deny["id"])]
    assert "sits below egress-guard's two-factor rule (priority 1)" in below[0].message
    assert "its deny is bypassed" in below[0].message
    changed = [f for f in findings if f.finding_class == "changed"]
    assert [[d.path for d in f.diffs] for f in changed] == [["priority"]]


def test_a_rule_of_ours_where_none_is_declared(tmp_path: Path) -> None:
    """The Admin Console's Catch-all denies in a new org: no two-factor rule there (a note says
    why); one left there (the earlier placement at the top) is reported."""
    everything = {"everyone": True, "app_policies": ["Okta Admin Console", "Okta Dashboard"]}
    desired = mfa_config(tmp_path, everything)
    with synced(desired) as org:
        assert mfa_findings(org, desired) == []
        notes = drift_notes(org, desired)
        admin = OrgAdmin(org)
        console = admin.policy("Okta Admin Console", "ACCESS_POLICY")
        admin.app_rule(console["id"], "egress-guard require MFA", "2FA", {})
        findings = mfa_findings(org, desired)
    assert any("no two-factor rule on 'Okta Admin Console': its Catch-all Rule denies" in n
               for n in notes)  # fmt: skip
    [left] = [f for f in findings if f.finding_class == "unmanaged"]  # reported once
    assert (
        left.severity == "critical" and left.name == "Okta Admin Console / egress-guard require MFA"
    )
    assert "`terraform apply` removes it" in left.message


def test_rules_above_the_catch_all_stay_one_factor_findings(tmp_path: Path) -> None:
    """A policy in mfa.app_policies: our rule closes the Catch-all's path only; a one-factor
    rule above it stays a finding, whose fix is that rule's own factor mode."""
    catch_alls = {"Kiosk apps": CatchAll("ALLOW", "1FA")}
    desired = mfa_config(tmp_path / "a", {"app_policies": ["Kiosk apps"]}, catch_alls)
    without = mfa_config(tmp_path / "b", {})
    with synced(without) as org:
        admin = OrgAdmin(org)
        kiosk = admin.access_policy("Kiosk apps", catch_all_mode="1FA")
        frontdesk = admin.group("Front desk")
        admin.app_rule(kiosk["id"], "front desk 1FA", "1FA", {"groups": {"include": [frontdesk]}})
        admin.assign("okta_enduser", kiosk["id"])
        with make_client(org) as client:
            apply_expected(client, desired.state)  # our rule: above the Kiosk Catch-all
        findings = mfa_findings(org, desired)
    assert paths_of(findings) == {
        EVERYONE_SESSION,
        ("one-factor-app:Kiosk apps", "Kiosk apps / front desk 1FA"),
    }
    fix = next(f.message for f in findings if f.name == "Kiosk apps / front desk 1FA")
    assert "set 'User must authenticate with: Any 2 factor types' on that rule" in fix
    assert "mfa.app_policies" not in fix  # our rule below it never decides this path
