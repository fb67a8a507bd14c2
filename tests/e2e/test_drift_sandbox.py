"""Drift against the sandbox: in sync after applying the desired state, then one out-of-band
change at a time, each detected with the right class, object, attribute and severity."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from drift_support import (
    ALLOW_RULE,
    APP_DENY_RULE,
    CORPORATE_ZONE,
    DENY_RULE,
    GSP,
    NETSKOPE_ZONE,
    Admin,
    config_fixture,
    desired_fixture,
    diff_paths,
    drift,
    only,
    synced_org_fixture,
)

from generator.drift.desired import Desired
from okta_sandbox import Sandbox

config = config_fixture("drift")
desired = desired_fixture()
org = synced_org_fixture()


def test_in_sync_after_applying_the_desired_state(org: Sandbox, desired: Desired) -> None:
    report = drift(org, desired)
    assert report.findings == ()
    assert report.in_sync


def test_cidr_removed_from_a_zone(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    zone = admin.zone(CORPORATE_ZONE)
    removed = next(g for g in zone["gateways"] if g["value"].startswith("198.51.100."))
    zone["gateways"] = [g for g in zone["gateways"] if g is not removed]
    admin.put_zone(zone)
    finding = only(drift(org, desired), "changed", "zone", CORPORATE_ZONE)
    [diff] = finding.diffs
    assert diff.path == "gateways"
    assert diff.removed == ("198.51.100.0/24",) and diff.added == ()
    assert not diff.weakens and finding.severity == "medium"
    assert finding.address == "module.egress_guard.okta_network_zone.corporate_01"
    assert finding.object_id == zone["id"]
    assert any(e.event_type == "zone.update" for e in finding.events)


def test_gateway_added_widens_the_zone(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    zone = admin.zone(NETSKOPE_ZONE)
    zone["gateways"].append({"type": "RANGE", "value": "192.0.2.10-192.0.2.10"})
    admin.put_zone(zone)
    finding = only(drift(org, desired), "changed", "zone", NETSKOPE_ZONE)
    [diff] = finding.diffs
    assert diff.path == "gateways" and diff.added == ("192.0.2.10/32",)
    assert diff.weakens and finding.severity == "high"


def test_zone_deleted(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    zone = admin.zone(CORPORATE_ZONE)
    # Okta refuses to delete a zone in use: take it out of every rule first, as a person would.
    for policy_id in (admin.policy(GSP)["id"], admin.admin_console_policy_id()):
        for rule in admin.call("GET", f"/api/v1/policies/{policy_id}/rules"):
            network = (rule.get("conditions") or {}).get("network") or {}
            for part in ("include", "exclude"):
                if zone["id"] in (network.get(part) or []):
                    network[part] = [z for z in network[part] if z != zone["id"]]
                    admin.put_rule(policy_id, rule)
    admin.call("DELETE", f"/api/v1/zones/{zone['id']}")
    report = drift(org, desired)
    missing = only(report, "missing", "zone", CORPORATE_ZONE)
    assert missing.address == "module.egress_guard.okta_network_zone.corporate_01"
    allow = only(report, "changed", "session_rule", ALLOW_RULE)
    [include] = [d for d in allow.diffs if d.path == "conditions.network.include"]
    assert include.removed == (CORPORATE_ZONE,)


def test_deny_rule_deactivated(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    admin.deactivate_rule(admin.policy(GSP)["id"], DENY_RULE)
    finding = only(drift(org, desired), "changed", "session_rule", DENY_RULE)
    [diff] = finding.diffs
    assert (diff.path, diff.expected, diff.actual) == ("status", "ACTIVE", "INACTIVE")
    assert finding.severity == "high"
    assert finding.address == "module.egress_guard.okta_policy_rule_signon.admins_deny_other"


def test_break_glass_exclusion_removed(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    rule = admin.rule(policy_id, DENY_RULE)
    rule["conditions"]["people"]["users"]["exclude"] = []
    admin.put_rule(policy_id, rule)
    finding = only(drift(org, desired), "changed", "session_rule", DENY_RULE)
    [diff] = finding.diffs
    assert diff.path == "conditions.people.users.exclude"
    assert diff.removed == ("breakglass@example.com",)
    assert finding.severity == "high"


def test_break_glass_exclusion_added_on_the_admin_console(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.admin_console_policy_id()
    rule = admin.rule(policy_id, APP_DENY_RULE)
    alice = admin.call("GET", "/api/v1/users", search='profile.login eq "alice.admin@example.com"')
    rule["conditions"]["people"]["users"]["exclude"].append(alice[0]["id"])
    admin.put_rule(policy_id, rule)
    finding = only(drift(org, desired), "changed", "app_rule", APP_DENY_RULE)
    [diff] = finding.diffs
    assert diff.added == ("alice.admin@example.com",) and finding.severity == "high"


def test_allow_anywhere_rule_inserted_above_ours(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    admin.call(
        "POST",
        f"/api/v1/policies/{policy_id}/rules",
        {
            "type": "SIGN_ON",
            "name": "temporary allow anywhere",
            "priority": 1,
            "conditions": {"network": {"connection": "ANYWHERE"}},
            "actions": {"signon": {"access": "ALLOW", "requireFactor": False}},
        },
    )
    report = drift(org, desired)
    finding = only(report, "unmanaged", "session_rule", "temporary allow anywhere")
    assert finding.severity == "high" and finding.object_id
    assert "priority 1" in finding.message
    # Our rules were pushed down: reported as changed priorities, not as missing.
    assert diff_paths(only(report, "changed", "session_rule", ALLOW_RULE)) == {"priority"}


def test_rule_above_ours_in_the_admin_console_policy(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.admin_console_policy_id()
    admin.call(
        "POST",
        f"/api/v1/policies/{policy_id}/rules",
        {
            "type": "ACCESS_POLICY",
            "name": "vendor access",
            "priority": 1,
            "conditions": {"network": {"connection": "ANYWHERE"}},
            "actions": {
                "appSignOn": {
                    "access": "ALLOW",
                    "verificationMethod": {
                        "type": "ASSURANCE",
                        "factorMode": "1FA",
                        "reauthenticateIn": "PT12H",
                    },
                }
            },
        },
    )
    finding = only(drift(org, desired), "unmanaged", "app_rule", "vendor access")
    assert finding.severity == "high"


def test_higher_priority_sign_on_policy_for_the_admin_group(org: Sandbox, desired: Desired) -> None:
    Admin(org).add_helpdesk_shortcut()
    report = drift(org, desired)
    finding = only(report, "unmanaged", "policy", "Helpdesk shortcut")
    assert finding.severity == "high"
    assert "Okta Administrators" in finding.message
    assert diff_paths(only(report, "changed", "session_policy", GSP)) == {"priority"}


def test_session_lifetime_raised(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    rule = admin.rule(policy_id, ALLOW_RULE)
    rule["actions"]["signon"]["session"]["maxSessionLifetimeMinutes"] = 1440
    admin.put_rule(policy_id, rule)
    finding = only(drift(org, desired), "changed", "session_rule", ALLOW_RULE)
    [diff] = finding.diffs
    assert diff.path == "actions.signon.session.maxSessionLifetimeMinutes"
    assert (diff.expected, diff.actual) == (120, 1440)
    assert finding.severity == "high"


def test_mfa_prompt_changed(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    rule = admin.rule(policy_id, ALLOW_RULE)
    rule["actions"]["signon"]["factorPromptMode"] = "SESSION"
    rule["actions"]["signon"]["factorLifetime"] = 60
    admin.put_rule(policy_id, rule)
    finding = only(drift(org, desired), "changed", "session_rule", ALLOW_RULE)
    prompt, lifetime = finding.diffs
    assert (prompt.path, prompt.expected, prompt.actual) == (
        "actions.signon.factorPromptMode",
        "ALWAYS",
        "SESSION",
    )
    assert prompt.weakens and finding.severity == "high"  # a weaker prompt
    # The factor lifetime only means something with the SESSION prompt: now it does.
    assert (lifetime.path, lifetime.expected, lifetime.actual) == (
        "actions.signon.factorLifetime",
        None,
        60,
    )


def test_mfa_turned_off(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    rule = admin.rule(policy_id, ALLOW_RULE)
    rule["actions"]["signon"] = {
        "access": "ALLOW",
        "requireFactor": False,
        "session": rule["actions"]["signon"]["session"],
    }
    admin.put_rule(policy_id, rule)
    finding = only(drift(org, desired), "changed", "session_rule", ALLOW_RULE)
    assert "actions.signon.requireFactor" in diff_paths(finding)
    assert finding.severity == "high"


def test_sandbox_seed_without_our_objects_reports_everything_missing(
    desired: Desired, tmp_path: Path
) -> None:
    with Sandbox.start(seed="default") as sandbox:
        report = drift(sandbox, desired)
    kinds = {(f.finding_class, f.kind) for f in report.findings}
    assert ("missing", "zone") in kinds and ("missing", "session_policy") in kinds
    assert ("missing", "app_rule") in kinds


def test_groups_and_users_the_config_names_but_okta_lacks_are_missing(
    org: Sandbox, desired: Desired
) -> None:
    state = desired.state
    renamed = replace(
        state,
        admin_groups=(*state.admin_groups, "Okta Auditors"),
        break_glass=replace(state.break_glass, users=("ghost@example.com",)),
    )
    report = drift(org, replace(desired, state=renamed))
    group = only(report, "missing", "group", "Okta Auditors")
    assert group.severity == "high"
    assert group.address == "module.egress_guard.data.okta_group.okta_auditors"
    user = only(report, "missing", "user", "ghost@example.com")
    assert user.address == "module.egress_guard.data.okta_user.ghost_example_com"
