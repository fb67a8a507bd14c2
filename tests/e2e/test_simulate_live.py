"""The simulator on a live org (the sandbox): posture findings and `simulate --live`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drift_support import (
    DENY_RULE,
    GSP,
    Admin,
    config_fixture,
    desired_fixture,
    make_client,
    sandbox_env,
    synced_org_fixture,
)

from generator.cli import main
from generator.drift.desired import Desired
from generator.drift.run import read_live
from generator.okta.snapshot import LiveOrg
from generator.simulate import Principal, partition, policy_set_from_state
from generator.simulate.live import policy_set_from_live
from generator.simulate.posture import posture_findings, posture_report
from generator.simulate.symbolic import where
from okta_sandbox import Sandbox

config = config_fixture("simulate")
desired = desired_fixture()
org = synced_org_fixture()


def live_of(sandbox: Sandbox, desired: Desired) -> LiveOrg:
    with make_client(sandbox) as client:
        return read_live(client, desired.state, None)


def test_synced_org_has_no_posture_findings_and_matches_the_offline_model(
    org: Sandbox, desired: Desired
) -> None:
    live = live_of(org, desired)
    assert posture_findings(desired.state, live) == []
    admin = Principal.of("admin", groups=("Okta Administrators",))
    live_segments = partition(policy_set_from_live(live, "egress-guard"), admin)
    offline_segments = partition(policy_set_from_state(desired.state), admin)
    for allowed in (lambda d: d.can_sign_in, lambda d: d.can_reach_console):
        assert where(live_segments, allowed) == where(offline_segments, allowed)
    assert where(live_segments, lambda d: d.can_sign_in)  # admins do get in from somewhere


def test_higher_priority_policy_letting_admins_in_is_a_posture_finding(
    org: Sandbox, desired: Desired
) -> None:
    rule = Admin(org).add_helpdesk_shortcut()
    [finding] = posture_findings(desired.state, live_of(org, desired))
    assert (finding.finding_class, finding.severity, finding.kind, finding.check) == (
        "posture",
        "critical",  # the most severe class: the effective policy breaks a guarantee
        "session_rule",
        "admin-outside-trusted",
    )
    assert finding.object_id == rule["id"]
    assert "Global Session Policy 'Helpdesk shortcut', rule 'allow' (ALLOW)" in finding.message
    assert "admin a member of 'Okta Administrators' can sign in from outside" in finding.message
    assert "0.0.0.0-8.36.115.255" in finding.message


def test_break_glass_exclusion_removed_is_a_lockout_finding(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    rule = admin.rule(policy_id, DENY_RULE)
    rule["conditions"]["people"]["users"]["exclude"] = []
    admin.put_rule(policy_id, rule)
    report = posture_report(desired.state, live_of(org, desired))
    failures = [f for f in report.blocking if f.check == "break-glass"]
    assert failures and all(f.rule_id == rule["id"] for f in failures)
    # the real account, with every group the org lists for it
    [real] = [f for f in failures if f.principal.startswith("breakglass@example.com (")]
    assert real.principal.startswith("breakglass@example.com (break-glass user; groups: ")
    assert "Break Glass Accounts" in real.principal and "Okta Administrators" in real.principal
    assert all("cannot sign in from 0.0.0.0-8.36.115.255" in f.message for f in failures)
    assert all(f"rule '{DENY_RULE}' (DENY)" in f.message for f in failures)
    findings = posture_findings(desired.state, live_of(org, desired))
    # one finding per assertion and rule responsible, naming every principal it hits
    assert len(findings) == len({(f.check, f.surface, f.rule_id) for f in report.blocking})


def test_simulate_live_resolves_the_users_groups(
    org: Sandbox, config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in sandbox_env(org).items():
        monkeypatch.setenv(name, value)
    argv = ["simulate", "--config", str(config), "--ip", "192.0.2.1", "--live", "--format", "json"]
    assert main([*argv, "--user", "alice.admin@example.com"]) == 0
    alice = json.loads(capsys.readouterr().out)
    assert "Okta Administrators" in alice["principal"]["groups"]
    assert alice["decision"]["global_session_policy"]["rule"] == DENY_RULE
    assert alice["decision"]["can_reach_admin_console"] is False
    assert main([*argv, "--user", "breakglass@example.com"]) == 0
    breakglass = json.loads(capsys.readouterr().out)
    assert breakglass["decision"]["global_session_policy"]["policy"] == "Default Policy"
    assert breakglass["decision"]["can_reach_admin_console"] is True
    assert main([*argv, "--user", "nobody@example.com"]) == 2
    assert "no such user in Okta: nobody@example.com" in capsys.readouterr().err
