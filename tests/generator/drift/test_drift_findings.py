"""Findings that need more than one object to get right: ids from a plan (renamed zones,
deleted objects and their System Log events), deactivated policies, break-glass members added
to the group, sign-on policies without a group condition."""

from __future__ import annotations

from typing import Any

import pytest
from drift_support import (
    ALLOW_RULE,
    APP_DENY_RULE,
    CORPORATE_ZONE,
    DENY_RULE,
    GSP,
    Admin,
    config_fixture,
    declared,
    desired_fixture,
    diff_paths,
    drift,
    only,
    plan_of,
    synced_org_fixture,
)

from generator.drift.desired import Desired
from generator.drift.plan import parse_plan
from generator.drift.posture import default_posture_checks
from generator.drift.run import DriftOptions
from okta_sandbox import Sandbox

config = config_fixture("findings")
desired = desired_fixture()
org = synced_org_fixture()

ZONE_ADDRESS = "module.egress_guard.okta_network_zone.corporate_01"
DENY_ADDRESS = "module.egress_guard.okta_policy_rule_signon.admins_deny_other"
APP_ALLOW_RULE = "egress-guard admins from trusted egress"


def with_plan(ids: dict[str, str]) -> DriftOptions:
    return DriftOptions(config_path="test", plan=parse_plan(plan_of(ids)))


def test_a_renamed_zone_is_one_finding_on_the_zone_with_a_plan(
    org: Sandbox, desired: Desired
) -> None:
    admin = Admin(org)
    zone = admin.zone(CORPORATE_ZONE)
    admin.put_zone(dict(zone, name="corporate (renamed by hand)"))
    report = drift(org, desired, with_plan({ZONE_ADDRESS: zone["id"]}))
    [finding] = declared(report)
    assert (finding.finding_class, finding.kind, finding.address) == (
        "changed",
        "zone",
        ZONE_ADDRESS,
    )
    assert diff_paths(finding) == {"name"} and finding.severity == "low"
    # Without the plan the zone can only be matched by name: missing, and the rules using it
    # lost a zone.
    without = {(f.finding_class, f.kind) for f in declared(drift(org, desired))}
    assert ("missing", "zone") in without and ("changed", "session_rule") in without


def test_a_deleted_rule_carries_the_plan_id_and_its_delete_event(
    org: Sandbox, desired: Desired
) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    rule = admin.rule(policy_id, DENY_RULE)
    admin.call("DELETE", f"/api/v1/policies/{policy_id}/rules/{rule['id']}")
    finding = only(
        drift(org, desired, with_plan({DENY_ADDRESS: rule["id"]})),
        "missing",
        "session_rule",
        DENY_RULE,
    )
    assert finding.object_id == rule["id"] and finding.severity == "high"
    [event] = [e for e in finding.events if e.event_type == "policy.rule.delete"]
    assert event.actor and event.client_ip


def test_deactivated_session_policy_is_high(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    admin.call("POST", f"/api/v1/policies/{policy_id}/lifecycle/deactivate")
    finding = only(drift(org, desired), "changed", "session_policy", GSP)
    [diff] = finding.diffs
    assert (diff.path, diff.actual, diff.weakens) == ("status", "INACTIVE", True)
    assert finding.severity == "high"


def test_deactivated_admin_console_rules_are_high(org: Sandbox, desired: Desired) -> None:
    # Either rule inactive: admins fall through to the policy's other rules (allow anywhere).
    for name in (APP_ALLOW_RULE, APP_DENY_RULE):
        admin = Admin(org)
        admin.deactivate_rule(admin.admin_console_policy_id(), name)
        finding = only(drift(org, desired), "changed", "app_rule", name)
        assert [(d.path, d.weakens) for d in finding.diffs] == [("status", True)]
        assert finding.severity == "high"


def test_deactivated_session_allow_rule_is_a_lockout_not_a_weakening(
    org: Sandbox, desired: Desired
) -> None:
    admin = Admin(org)
    admin.deactivate_rule(admin.policy(GSP)["id"], ALLOW_RULE)
    finding = only(drift(org, desired), "changed", "session_rule", ALLOW_RULE)
    assert finding.severity == "medium"  # admins are denied everywhere: lockout, not exposure


def test_a_member_added_to_the_break_glass_group_is_an_added_exemption(
    org: Sandbox, desired: Desired
) -> None:
    admin = Admin(org)
    group_id = admin.group_id("Break Glass Accounts")
    [carol] = admin.call("GET", "/api/v1/users", search='profile.login eq "carol@example.com"')
    admin.call("PUT", f"/api/v1/groups/{group_id}/users/{carol['id']}")
    report = drift(org, desired)
    finding = only(report, "changed", "group", "Break Glass Accounts")
    [diff] = finding.diffs
    assert (diff.path, diff.added, diff.removed) == ("members", ("carol@example.com",), ())
    assert diff.weakens and finding.severity == "high"
    assert "added" in finding.message and DENY_RULE in finding.message
    assert finding.object_id == group_id
    assert finding.address == "module.egress_guard.data.okta_group.break_glass_accounts"
    # The deny rule itself is not reported as having lost an exclusion.
    assert not [f for f in declared(report) if f.kind == "session_rule"]


@pytest.mark.parametrize("target", ["no group condition", "Everyone"])
def test_a_policy_for_everyone_applies_to_admins(
    org: Sandbox, desired: Desired, target: str
) -> None:
    admin = Admin(org)
    conditions: dict[str, Any] = {}
    if target == "Everyone":
        conditions = {"people": {"groups": {"include": [admin.group_id("Everyone")]}}}
    admin.add_open_policy("Open door", conditions, "allow anywhere")
    report = drift(org, desired, DriftOptions(posture_checks=default_posture_checks()))
    unmanaged = only(report, "unmanaged", "policy", "Open door")
    assert unmanaged.severity == "high" and target in unmanaged.message
    posture = [f for f in report.findings if f.finding_class == "posture"]
    assert posture and all(f.severity == "critical" for f in posture)
    assert any(f.check == "admin-outside-trusted" for f in posture)
    # The rules of a policy for everyone were read: the posture check names the rule, with the
    # System Log event that created it (read while the posture checks ran).
    [door] = [f for f in posture if "'Open door', rule 'allow anywhere'" in f.name]
    assert door.object_id and [e.event_type for e in door.events] == ["policy.rule.add"]
