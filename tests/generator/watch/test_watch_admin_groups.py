"""PRV-002 (a user added to an admin group) and BRK-001 (the break-glass exemption changed by a
group membership) on events shaped as Okta sends them (a `UserGroup` target's `alternateId` is
"unknown"), and the role-holding groups read from the sandbox for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from watch_support import TRUSTED, event

from generator.okta.client import OktaClient, RetryPolicy
from generator.watch.admin_groups import AdminGroups, BreakGlass, RoleGroups
from generator.watch.detection import Alert, WatchContext
from generator.watch.engine import Engine, build_detections
from generator.watch.role_groups import RoleGroupsKeeper, read_role_groups
from okta_sandbox import Sandbox
from okta_sandbox.core.session import OrgSession

ADD, REMOVE = "group.user_membership.add", "group.user_membership.remove"
READ = RoleGroups(
    read_at="2026-01-01T00:00:00Z",
    groups={"00gops": ("ORG_ADMIN",), "00ghelp": ("HELP_DESK_ADMIN",)},
    holders=3,
    how="through 3 role holder(s)",
)
BREAK_GLASS = BreakGlass(users=("breakglass@example.com",), group="Break Glass Accounts")


def group(name: str, group_id: str = "00gsome") -> dict[str, Any]:
    return {
        "id": group_id,
        "type": "UserGroup",
        "alternateId": "unknown",
        "displayName": name,
        "detailEntry": None,
    }


def user(login: str = "dave@example.com", user_id: str = "00udave") -> dict[str, Any]:
    return {
        "id": user_id,
        "type": "User",
        "alternateId": login,
        "displayName": login.split("@")[0].title(),
        "detailEntry": None,
    }


def membership(
    kind: str, to: dict[str, Any], who: dict[str, Any] | None = None, **options: Any
) -> dict[str, Any]:
    return event(kind, targets=[who or user(), to], **options)


def context(
    config_groups: tuple[str, ...] = (), roles: RoleGroups | None = None, **extra: Any
) -> WatchContext:
    return WatchContext(
        trusted=TRUSTED,
        admin_groups=AdminGroups.of(config_groups, roles),
        break_glass=BREAK_GLASS,
        **extra,
    )


def alerts(
    events: list[dict[str, Any]], ctx: WatchContext | None = None, detection: str = "PRV-002"
) -> list[Alert]:
    engine = Engine(build_detections(ctx or context(), [detection]), min_severity="info")
    return [a for e in events for a in engine.process(e)]


# PRV-002 -----------------------------------------------------------------------------------


def test_joining_a_group_that_holds_a_role_is_an_admin_grant() -> None:
    [top, helpdesk] = alerts(
        [
            membership(ADD, group("Okta Operators", "00gops")),
            membership(ADD, group("Help Desk", "00ghelp")),
        ],
        context(roles=READ),
    )
    assert (top.severity, helpdesk.severity) == ("critical", "high")
    assert top.category == "privilege_granted"
    assert top.title == "dave@example.com added to admin group Okta Operators"
    assert "it holds ORG_ADMIN" in top.summary and "no privilege event" in top.summary
    assert dict(top.evidence)["role_groups"].startswith("read 2026-01-01T00:00:00Z (2 ")
    # the group is named by its displayName (its alternateId is Okta's "unknown")
    assert [t.name for t in top.targets] == ["dave@example.com", "Okta Operators"]
    assert [(r.action, r.subject_id) for r in top.responses] == [
        ("clear_sessions", "00udave"),
        ("suspend_user", "00udave"),
    ]


def test_ordinary_groups_removals_and_events_without_a_group_are_quiet() -> None:
    quiet = [
        membership(ADD, group("Engineering", "00geng")),
        membership(REMOVE, group("Okta Operators", "00gops")),
        event(ADD, targets=[user()]),
        event(ADD, targets=None),
    ]
    assert alerts(quiet, context(("Okta Admins",), READ)) == []


def test_the_configs_admin_groups_and_okta_administrators_always_count() -> None:
    configured = membership(ADD, group("okta  ADMINS", "00gunread"))
    built_in = membership(ADD, group("Okta Administrators", "00gbuiltin"))
    found = alerts([configured, built_in], context(("Okta Admins",)))  # roles not read
    assert [a.severity for a in found] == ["high", "high"]
    assert "'Okta Admins' is an admin group" in found[0].summary
    assert dict(found[0].evidence)["role_groups"].startswith("not read")
    # the samples' evaluation context (no config) still knows Okta's own admin group
    assert len(alerts([built_in], WatchContext(trusted=TRUSTED))) == 1


def test_grants_and_revocations_in_the_log_are_learned() -> None:
    jit = group("Tier 0", "00gtier0")
    granted = event(
        "group.privilege.grant",
        targets=[jit],
        debug={"privilegeGranted": "Super administrator"},
        minute=1,
    )
    refused = event("group.privilege.grant", targets=[group("X", "00gx")], result="FAILURE")
    revoked = event("group.privilege.revoke", targets=[jit], minute=3)
    found = alerts(
        [
            membership(ADD, jit, minute=0),  # before the grant: not an admin group yet
            granted,
            membership(ADD, jit, minute=2),
            refused,
            membership(ADD, group("X", "00gx"), minute=2),
            revoked,
            membership(ADD, jit, minute=4),
        ]
    )
    assert [(a.severity, dict(a.evidence)["why"]) for a in found] == [
        ("critical", "it was given Super administrator (seen in the log)")
    ]
    # a revocation overrides the read: the group holds no role any more
    later = alerts([revoked, membership(ADD, group("Okta Operators", "00gops"), minute=4)])
    assert later == []
    relearned = alerts(
        [event("group.privilege.revoke", targets=[group("O", "00gops")]), membership(ADD, jit)],
        context(roles=READ),
    )
    assert relearned == []


def test_learned_grants_persist_until_a_newer_read_knows_them() -> None:
    jit = group("Tier 0", "00gtier0")
    first = Engine(build_detections(context(), ["PRV-002"]), min_severity="info")
    first.process(event("group.privilege.grant", targets=[jit], debug={"privilegeGranted": "x"}))
    saved = first.export_state()
    again = Engine(build_detections(context(), ["PRV-002"]), min_severity="info")
    again.import_state(saved)
    assert [a.severity for a in again.process(membership(ADD, jit, minute=5))] == ["high"]
    newer = RoleGroups(read_at="2026-01-02T00:00:00Z", groups={}, how="through 1 role holder(s)")
    reread = Engine(build_detections(context(roles=newer), ["PRV-002"]), min_severity="info")
    reread.import_state(saved)  # the read of the next day says the group holds nothing
    assert reread.process(membership(ADD, jit, minute=5)) == []


def test_a_join_by_the_automation_identity_is_medium_and_a_refused_one_an_attempt() -> None:
    ctx = context(roles=READ, automation_actors=frozenset({"0oaiga"}))
    [automated] = alerts([membership(ADD, group("O", "00gops"), client_id="0oaiga")], ctx)
    assert automated.severity == "medium" and dict(automated.evidence)["automation"] == "true"
    [attempt] = alerts([membership(ADD, group("O", "00gops"), result="FAILURE")], ctx)
    assert attempt.severity == "critical" and "attempt: outcome FAILURE" in attempt.summary


# BRK-001 -----------------------------------------------------------------------------------


def brk(events: list[dict[str, Any]], ctx: WatchContext | None = None) -> list[Alert]:
    return alerts(events, ctx or context(roles=READ), "BRK-001")


def test_joining_or_leaving_the_break_glass_group_changes_the_exemption() -> None:
    bg_group = group("Break Glass Accounts", "00gbg")
    joined, left, left_by_login = brk(
        [
            membership(ADD, bg_group, user("mallory@example.com", "00umal")),
            membership(REMOVE, bg_group, user("spare@example.com", "00uspare")),
            membership(REMOVE, bg_group, user("BreakGlass@example.com", "00ubg")),
        ]
    )
    assert joined.category == "policy_or_zone_changed" and joined.severity == "high"
    assert "exempt them now" in joined.summary and joined.responses
    assert left.severity == "high" and "locked out" in left.summary and left.responses == ()
    assert left_by_login.severity == "medium" and "stay exempt by login" in left_by_login.summary


def test_a_break_glass_account_leaving_an_admin_group() -> None:
    bg_user = user("breakglass@example.com", "00ubg")
    [left] = brk(
        [
            membership(REMOVE, group("Okta Operators", "00gops"), bg_user),
            membership(REMOVE, group("Engineering", "00geng"), bg_user),
            membership(REMOVE, group("Okta Operators", "00gops"), user()),  # not break-glass
            membership(ADD, group("Okta Operators", "00gops"), bg_user),
        ]
    )
    assert left.title == "Break-glass account breakglass@example.com removed from admin group " + (
        "Okta Operators"
    )
    assert left.severity == "high"


def test_break_glass_changes_by_automation_are_info_and_no_config_is_quiet() -> None:
    ctx = context(automation_actors=frozenset({"00uterraform"}))
    change = membership(REMOVE, group("Break Glass Accounts"), actor_id="00uterraform")
    [alert] = brk([change], ctx)
    assert alert.severity == "info" and alert.responses == ()
    assert brk([change], WatchContext(trusted=TRUSTED)) == []


# The role-holding groups, read from the sandbox -------------------------------------------


@pytest.fixture
def okta(sandbox: Sandbox) -> OrgSession:
    return OrgSession(sandbox.org_url, sandbox.api_token)


def new_group(okta: OrgSession, name: str) -> str:
    created = okta.post("/api/v1/groups", json={"profile": {"name": name}})
    assert created.status_code == 200, created.text
    return str(created.json()["id"])


def read(sandbox: Sandbox, scan_all: bool = False) -> RoleGroups:
    env = {"OKTA_ORG_URL": sandbox.org_url, "OKTA_API_TOKEN": sandbox.api_token}
    with OktaClient.from_env(env) as client:
        return read_role_groups(client, scan_all=scan_all, now=datetime.now(UTC))


def test_a_join_to_a_role_holding_group_is_found_through_the_read(
    sandbox: Sandbox, okta: OrgSession
) -> None:
    """The group got its role before the window (no grant event to learn from); carol joins
    it through the API; only the read of the role-holding groups makes it an admin group."""
    ops = new_group(okta, "Platform Admins")
    held = okta.post(f"/api/v1/groups/{ops}/roles", json={"type": "ORG_ADMIN"})
    assert held.status_code == 201, held.text
    quinn = okta.get("/api/v1/users/quinn@example.com").json()["id"]
    assert okta.put(f"/api/v1/groups/{ops}/users/{quinn}").status_code == 204
    eng = new_group(okta, "Engineering")
    carol = okta.get("/api/v1/users/carol@example.com").json()["id"]
    for group_id in (ops, eng):
        assert okta.put(f"/api/v1/groups/{group_id}/users/{carol}").status_code == 204
    log = okta.get("/api/v1/logs", params={"filter": f'eventType eq "{ADD}"'}).json()
    joins = [e for e in log if e["target"][0]["id"] == carol]
    assert [t["type"] for t in joins[0]["target"]] == ["User", "UserGroup"]
    assert joins[0]["displayMessage"] == "Add user to group membership"
    assert joins[0]["target"][1] == {**joins[0]["target"][1], "alternateId": "unknown"}
    roles = read(sandbox)
    assert roles.read and roles.groups[ops] == ("ORG_ADMIN",) and eng not in roles.groups
    [alert] = alerts(joins, context(roles=roles))
    assert alert.severity == "critical" and alert.title.endswith("Platform Admins")
    assert alerts(joins, context()) == []  # without the read: not known to be an admin group


def test_an_empty_role_holding_group_needs_every_groups_roles(
    sandbox: Sandbox, okta: OrgSession
) -> None:
    jit = new_group(okta, "Just In Time Admins")
    assert okta.post(f"/api/v1/groups/{jit}/roles", json={"type": "APP_ADMIN"}).status_code == 201
    assert jit not in read(sandbox).groups  # no member holds a role through it yet
    every = read(sandbox, scan_all=True)
    assert every.groups[jit] == ("APP_ADMIN",) and every.how.startswith("every group's roles")


def test_the_read_is_made_when_due_and_a_failed_read_is_not_kept(sandbox: Sandbox) -> None:
    env = {"OKTA_ORG_URL": sandbox.org_url, "OKTA_API_TOKEN": sandbox.api_token}
    now = datetime.now(UTC)
    fast = RetryPolicy(max_attempts=1, backoff_base=0.0)
    with OktaClient.from_env(env, retry=fast, sleep=lambda _: None) as client:
        keeper = RoleGroupsKeeper(client, timedelta(hours=24), scan_all=False)
        roles, notes, keep = keeper.current(now)
        assert roles.read and keep and notes[0].startswith("role-holding groups read")
        spent = client.stats.requests
        assert keeper.current(now + timedelta(hours=23)) == (roles, [], False)
        assert client.stats.requests == spent  # fresh: no request
        sandbox.add_fault("503@/api/v1/iam")
        kept, notes, keep = keeper.current(now + timedelta(hours=25))
        assert kept == roles and not keep and "could not be read again" in notes[0]
        sandbox.clear_faults()
        keeper.scan_all = True  # read the holders' way: every group's roles are due now
        every, notes, keep = keeper.current(now + timedelta(hours=1))
        assert keep and every.how.startswith("every group's roles")
        assert not keeper.due(now + timedelta(hours=2))
