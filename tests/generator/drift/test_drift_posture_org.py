"""Effective access over the whole org: every member of the admin groups, as read from the org
with every group they belong to, and every break-glass account, evaluated with the simulator
over all policies and rules. A policy for another of an admin's groups (or a rule of the Admin
Console policy for one) above ours is a CRITICAL posture finding naming the admin, the policy
and the rule; so is a break-glass account that lost access through one of its groups."""

from __future__ import annotations

from typing import Any

from drift_support import Admin, config_fixture, desired_fixture, drift, synced_org_fixture

from generator.drift.desired import Desired
from generator.drift.findings import DriftReport, Finding
from generator.drift.posture import default_posture_checks
from generator.drift.principals import AdminGrant, AdminPrincipal, OrgUser, PrincipalSource
from generator.drift.run import DriftOptions
from generator.model import DesiredState
from generator.okta.snapshot import LiveOrg
from generator.simulate.posture import EffectiveAccessCheck
from okta_sandbox import Sandbox

config = config_fixture("posture-org")
desired = desired_fixture()
org = synced_org_fixture()

ANYWHERE = {"network": {"connection": "ANYWHERE"}}


def posture_report(org: Sandbox, desired: Desired) -> DriftReport:
    return drift(org, desired, DriftOptions(posture_checks=default_posture_checks()))


def critical(report: DriftReport) -> list[Finding]:
    return [f for f in report.findings if f.finding_class == "posture"]


def group_with(admin: Admin, name: str, *logins: str) -> str:
    """A new group `name` holding the users `logins`; returns its id."""
    group = admin.call("POST", "/api/v1/groups", {"profile": {"name": name}})
    for login in logins:
        user = admin.call("GET", f"/api/v1/users/{login}")
        admin.call("PUT", f"/api/v1/groups/{group['id']}/users/{user['id']}")
    return str(group["id"])


def sign_on_policy(admin: Admin, name: str, group_id: str, rule: str, access: str) -> None:
    policy = admin.call(
        "POST",
        "/api/v1/policies",
        {
            "type": "OKTA_SIGN_ON",
            "name": name,
            "priority": 1,
            "conditions": {"people": {"groups": {"include": [group_id]}}},
        },
    )
    admin.call(
        "POST",
        f"/api/v1/policies/{policy['id']}/rules",
        {
            "type": "SIGN_ON",
            "name": rule,
            "conditions": ANYWHERE,
            "actions": {"signon": {"access": access}},
        },
    )


def test_a_policy_for_another_group_of_an_admin_is_critical(org: Sandbox, desired: Desired) -> None:
    """The reproduced miss: a priority-1 policy for 'Engineering' (alice, an admin, is a
    member) allowing sign-in from anywhere used to be only a MEDIUM priority finding."""
    admin = Admin(org)
    engineering = group_with(admin, "Engineering", "alice.admin@example.com")
    sign_on_policy(admin, "Engineering sign-on", engineering, "allow anywhere", "ALLOW")
    report = posture_report(org, desired)
    [finding] = [
        f for f in critical(report) if "'Engineering sign-on', rule 'allow anywhere'" in f.name
    ]
    assert finding.severity == "critical" and finding.check == "admin-outside-trusted"
    assert finding.kind == "session_rule" and finding.object_id
    assert "alice.admin@example.com (member of admin group 'Okta Administrators')" in (
        finding.message
    )
    assert "bob.admin@example.com" not in finding.message  # bob is not in Engineering
    assert "breakglass@example.com" not in finding.message  # exempt by design


def test_an_admin_console_rule_for_another_group_of_an_admin_is_critical(
    org: Sandbox, desired: Desired
) -> None:
    admin = Admin(org)
    contractors = group_with(admin, "Console contractors", "bob.admin@example.com")
    policy_id = admin.admin_console_policy_id()
    admin.call(
        "POST",
        f"/api/v1/policies/{policy_id}/rules",
        {
            "type": "ACCESS_POLICY",
            "name": "contractors anywhere",
            "priority": 1,
            "conditions": {
                "people": {"groups": {"include": [contractors]}},
                "network": {"connection": "ANYWHERE"},
            },
            "actions": {"appSignOn": {"access": "ALLOW", "verificationMethod": {
                "type": "ASSURANCE", "factorMode": "2FA", "reauthenticateIn": "PT2H",
            }}},
        },
    )  # fmt: skip
    findings = [f for f in critical(posture_report(org, desired)) if f.kind == "app_rule"]
    [finding] = [f for f in findings if "rule 'contractors anywhere'" in f.name]
    assert "'Okta Admin Console' authentication policy" in finding.name
    assert "bob.admin@example.com" in finding.message
    assert "can reach the Admin Console from outside the trusted ranges" in finding.message


def test_a_break_glass_account_locked_out_through_one_of_its_groups_is_critical(
    org: Sandbox, desired: Desired
) -> None:
    admin = Admin(org)
    vendors = group_with(admin, "Vendors", "breakglass@example.com")
    sign_on_policy(admin, "Vendors blocked", vendors, "deny everywhere", "DENY")
    findings = [f for f in critical(posture_report(org, desired)) if f.check == "break-glass"]
    [finding] = [f for f in findings if "'Vendors blocked', rule 'deny everywhere'" in f.name]
    assert "breakglass@example.com" in finding.message and "cannot sign in" in finding.message
    assert "Vendors" in finding.message  # the groups it was evaluated with


def test_the_synced_org_has_no_posture_finding_for_its_real_admins(
    org: Sandbox, desired: Desired
) -> None:
    """alice, bob and breakglass are all in 'Okta Administrators': the admins are denied
    outside the trusted ranges, the break-glass account (exempt) is not reported as an admin."""
    assert posture_report(org, desired).in_sync


class NamedAdmins(PrincipalSource):
    """A principal source of another kind (as admin-role holders will be): the users it is
    given, with the reason it gives."""

    name = "test-roles"

    def __init__(self, admins: list[AdminPrincipal]) -> None:
        self.given = admins

    def admins(self, state: DesiredState, live: LiveOrg) -> list[AdminPrincipal]:
        return self.given


def test_the_set_of_principals_is_pluggable(org: Sandbox, desired: Desired) -> None:
    """Who is evaluated, and why they are an admin, comes from the sources given to the check:
    a role holder outside the admin groups, in a group a policy opens up, is reported with the
    reason its source gave."""
    admin = Admin(org)
    helpdesk = group_with(admin, "Helpdesk", "breakglass@example.com", "carol@example.com")
    sign_on_policy(admin, "Helpdesk anywhere", helpdesk, "allow", "ALLOW")
    carol: dict[str, Any] = admin.call("GET", "/api/v1/users/carol@example.com")
    user = OrgUser(carol["id"], "carol@example.com", (helpdesk,), ("Helpdesk",))
    role = AdminPrincipal(user, (AdminGrant("direct-role", "HELP_DESK_ADMIN"),))
    check = EffectiveAccessCheck([NamedAdmins([role])])
    report = drift(org, desired, DriftOptions(posture_checks=[check]))
    [finding] = [f for f in critical(report) if "'Helpdesk anywhere'" in f.name]
    assert "carol@example.com (direct role HELP_DESK_ADMIN)" in finding.message
