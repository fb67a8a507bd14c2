"""Every admin, however the role was granted: drift reads every admin-role holder and reports
each one outside the admin groups (direct, via a group, via a custom-role binding) as a
CRITICAL posture finding with the fix; service apps with roles in the notes; the self-check of
the assignees list; the Admin Console's policy shared with other apps; the requests spent.

The config's admin group here is an ordinary group ("Platform Admins", holding the seed's
admins): with Okta's built-in "Okta Administrators" (the example's), Okta keeps every role
holder in the admin group itself and none is ever outside it (test_drift_admins_group.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from drift_support import (
    Admin,
    config_fixture,
    desired_fixture,
    drift,
    make_client,
)
from oauth_support import service_app_env

from generator.drift.apply_expected import apply_expected
from generator.drift.desired import Desired
from generator.drift.findings import DriftReport, Finding
from generator.drift.ignore import IgnoreRule, apply_ignores
from generator.drift.posture import default_posture_checks
from generator.drift.run import DriftOptions, read_live, run_drift
from generator.okta.client import OktaClient
from generator.okta.read_targets import targets_from_state
from generator.okta.reads import read_live_org
from generator.okta.scopes import READ_SCOPES, ROLES_SCOPE
from okta_sandbox import Sandbox

ADMIN_GROUP = "Platform Admins"
# the seeds' admins holding a role (the break-glass account is exempt as such)
SEED_ADMINS = ("alice.admin@example.com", "bob.admin@example.com")
SERVICE_ACCOUNT = "svc-egress-guard@example.com"  # the hardened seed's token owner (ORG_ADMIN)
config = config_fixture("admin-roles", [ADMIN_GROUP])
desired = desired_fixture()
OPTIONS = DriftOptions(config_path="test", posture_checks=default_posture_checks())


def synced(seed: str, desired: Desired) -> Iterator[Sandbox]:
    with Sandbox.start(seed=seed) as sandbox:
        admins = [*SEED_ADMINS, *([SERVICE_ACCOUNT] if seed == "hardened" else [])]
        Admin(sandbox).add_group(ADMIN_GROUP, *admins)
        with make_client(sandbox) as client:
            apply_expected(client, desired.state)
        yield sandbox


@pytest.fixture
def org(desired: Desired) -> Iterator[Sandbox]:
    yield from synced("hardened", desired)


@pytest.fixture
def admins_org(desired: Desired) -> Iterator[Sandbox]:
    yield from synced("admins", desired)


def coverage(report: DriftReport) -> dict[str, Finding]:
    return {f.name: f for f in report.findings if f.check == "admin-role-coverage"}


def user_id(admin: Admin, login: str) -> str:
    return str(admin.call("GET", f"/api/v1/users/{login}")["id"])


def make_carol_super_admin(admin: Admin) -> str:
    """Carol, in none of the admin groups, made a Super Administrator directly: her id."""
    carol = user_id(admin, "carol@example.com")
    admin.call("POST", f"/api/v1/users/{carol}/roles", {"type": "SUPER_ADMIN"})
    return carol


def test_in_sync_org_reads_every_admin_and_says_how_many_are_covered(
    org: Sandbox, desired: Desired
) -> None:
    report = drift(org, desired, OPTIONS)
    assert report.in_sync, [f.message for f in report.findings]
    assert any(
        n.startswith("admin roles: 4 user(s) hold an admin role; 4 covered") for n in report.notes
    )


def test_a_directly_assigned_super_admin_is_a_critical_finding(
    org: Sandbox, desired: Desired
) -> None:
    # The 2023 breach pattern: a user outside the admin groups made a Super Administrator.
    admin = Admin(org)
    carol = make_carol_super_admin(admin)
    report = drift(org, desired, OPTIONS)
    finding = coverage(report)["carol@example.com"]
    assert (finding.finding_class, finding.severity, finding.kind) == (
        "posture",
        "critical",
        "user",
    )
    assert finding.object_id == carol
    assert "holds SUPER_ADMIN (direct)" in finding.message
    assert "in none of the admin groups" in finding.message
    assert "still deny them the Admin Console outside trusted egress" in finding.message
    assert f"Fix: add carol@example.com to an admin group ('{ADMIN_GROUP}')" in finding.message
    # The grant is in the System Log: the finding carries the event (who did it, from where).
    assert [e.event_type for e in finding.events] == ["user.account.privilege.grant"]
    # A member of an admin group is covered.
    admin.call("PUT", f"/api/v1/groups/{admin.group_id(ADMIN_GROUP)}/users/{carol}")
    assert "carol@example.com" not in coverage(drift(org, desired, OPTIONS))


def test_role_holders_are_principals_of_the_effective_access_check(
    org: Sandbox, desired: Desired
) -> None:
    # Okta's real decision for them, with every group they belong to: carol signs in through
    # the Default Policy from anywhere (the session policy is the admin groups'), and a rule for
    # one of her groups above ours on the Admin Console policy lets her in from anywhere.
    admin = Admin(org)
    carol = make_carol_super_admin(admin)
    report = drift(org, desired, OPTIONS)
    sign_in = [
        f
        for f in report.findings
        if f.check == "admin-outside-trusted" and "carol@example.com" in f.message
    ]
    assert sign_in and "carol@example.com (direct role SUPER_ADMIN)" in sign_in[0].message
    assert "'Default Policy'" in sign_in[0].message
    console = [f for f in sign_in if f.kind == "app_rule"]
    assert not console  # the Admin Console rules for every user keep her out
    group = admin.call("POST", "/api/v1/groups", {"profile": {"name": "Contractors"}})
    admin.call("PUT", f"/api/v1/groups/{group['id']}/users/{carol}")
    policy_id = admin.admin_console_policy_id()
    admin.call(
        "POST",
        f"/api/v1/policies/{policy_id}/rules",
        {
            "type": "ACCESS_POLICY",
            "name": "Contractors anywhere",
            "priority": 1,
            "conditions": {
                "network": {"connection": "ANYWHERE"},
                "people": {"groups": {"include": [group["id"]]}},
            },
            "actions": {
                "appSignOn": {
                    "access": "ALLOW",
                    "verificationMethod": {"factorMode": "2FA", "type": "ASSURANCE"},
                }
            },
        },
    )
    report = drift(org, desired, OPTIONS)
    [console_finding] = [
        f
        for f in report.findings
        if f.check == "admin-outside-trusted"
        and f.kind == "app_rule"
        and f.name.endswith("rule 'Contractors anywhere' (ALLOW)")
    ]
    assert "carol@example.com (direct role SUPER_ADMIN)" in console_finding.message


def test_every_kind_of_grant_is_named(admins_org: Sandbox, desired: Desired) -> None:
    report = drift(admins_org, desired, OPTIONS)
    found = coverage(report)
    assert set(found) == {
        "mallory@example.com",
        "heidi@example.com",
        "ivan@example.com",
        "judy@example.com",
    }
    assert "holds SUPER_ADMIN (direct)" in found["mallory@example.com"].message
    assert (
        "holds custom role 'Help Desk Lite' (via binding 'Help Desk Lite' on resource set "
        "'All users' (direct))" in found["heidi@example.com"].message
    )
    ivan = found["ivan@example.com"].message
    assert "holds HELP_DESK_ADMIN (via group 'IT Helpdesk')" in ivan
    assert "or add 'IT Helpdesk' to okta.admin_groups" in ivan
    assert (
        "via binding 'Help Desk Lite' on resource set 'All users' through group "
        "'Access Reviewers'" in found["judy@example.com"].message
    )
    [apps] = [n for n in report.notes if "OAuth service apps" in n]
    assert "Reporting service (READ_ONLY_ADMIN)" in apps


def test_one_admin_can_be_accepted_by_name(admins_org: Sandbox, desired: Desired) -> None:
    report = drift(admins_org, desired, OPTIONS)
    rule = IgnoreRule("posture:admin-role-coverage:mallory@example.com")
    kept, ignored = apply_ignores(list(report.findings), (rule,))
    assert ignored == 1
    assert "mallory@example.com" not in {f.name for f in kept}
    assert {"heidi@example.com", "ivan@example.com"} <= {f.name for f in kept}


def test_self_check_catches_an_assignees_list_without_group_admins(
    admins_org: Sandbox, desired: Desired
) -> None:
    # Emulate an org whose assignees list leaves out group-only admins: the role-holding admin
    # group with a member the list does not name proves it, and every group is read instead.
    admin = Admin(admins_org)
    admins = admin.group_id(ADMIN_GROUP)
    admin.call("PUT", f"/api/v1/groups/{admins}/users/{user_id(admin, 'carol@example.com')}")
    admin.call("POST", f"/api/v1/groups/{admins}/roles", {"type": "READ_ONLY_ADMIN"})
    admins_org.mutate(
        lambda s: s.setdefault("emulation", {}).update(assigneesIncludeGroupRoles=False)
    )
    report = drift(admins_org, desired, OPTIONS)
    assert {"ivan@example.com", "judy@example.com"} <= set(coverage(report))
    assert any("left out 1 member(s) of role-holding groups" in n for n in report.notes)
    # Where the list does include them, the same check confirms it.
    admins_org.mutate(lambda s: s["emulation"].update(assigneesIncludeGroupRoles=True))
    report = drift(admins_org, desired, OPTIONS)
    assert any("lists the members of role-holding groups" in n for n in report.notes)


def test_roles_not_readable_is_said_not_hidden(
    org: Sandbox, desired: Desired, tmp_path: Path, rsa_key_pems: tuple[str, str]
) -> None:
    granted = [s for s in READ_SCOPES if s != ROLES_SCOPE]
    env = service_app_env(org, tmp_path, rsa_key_pems, granted)
    with OktaClient.from_env(env) as client:
        report = run_drift(client, desired.state, OPTIONS)
        assert client.missing_scopes == (ROLES_SCOPE,)
    assert not coverage(report)
    [note] = [n for n in report.notes if n.startswith("admin coverage NOT checked")]
    assert "grant okta.roles.read" in note


def test_a_shared_admin_console_policy_names_the_other_apps(org: Sandbox, desired: Desired) -> None:
    admin = Admin(org)
    policy_id = admin.admin_console_policy_id()
    [dashboard] = admin.call("GET", "/api/v1/apps", filter='name eq "okta_enduser"')
    admin.call("PUT", f"/api/v1/apps/{dashboard['id']}/policies/{policy_id}")
    report = drift(org, desired, OPTIONS)
    [finding] = [f for f in report.findings if f.check == "admin-console-policy-shared"]
    assert (finding.severity, finding.kind, finding.object_id) == ("high", "app", policy_id)
    assert "is also assigned to 'Okta Dashboard'" in finding.message
    assert "every user of those apps" in finding.message
    assert "okta.admin_console.dedicated_policy: true" in finding.message


def test_requests_spent_on_admins(org: Sandbox, desired: Desired) -> None:
    """In an org whose admins are all in the admin groups: the assignees list, the roles of the
    two covered groups (the self-check), the service apps and the console policy's mappings."""
    with make_client(org) as client:
        before = client.stats.requests
        live = read_live(client, desired.state, None)
        with_roles = client.stats.requests - before
    assert live.admin_roles is not None and live.admin_roles.holders == ()
    with make_client(org) as client:
        before = client.stats.requests
        read_live_org(client, targets_from_state(desired.state))
        without = client.stats.requests - before
    # +1 assignees, +2 group roles (self-check), +1 service apps, +1 mappings (the admin groups'
    # members are read for the effective-access posture anyway)
    assert with_roles - without == 5
