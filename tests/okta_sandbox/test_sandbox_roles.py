"""Sandbox admin role assignments: users and groups, Okta's ids and labels, the group-derived
roles in a user's list, duplicates, and the privilege events the System Log gets."""

from __future__ import annotations

from typing import Any

LOGS = "/api/v1/logs"


def user(okta: Any, login: str) -> dict[str, Any]:
    return okta.get(f"/api/v1/users/{login}").json()  # type: ignore[no-any-return]


def privilege_events(okta: Any, target_id: str) -> list[dict[str, Any]]:
    found = okta.get(LOGS, params={"filter": f'target.id eq "{target_id}"'}).json()
    return [e for e in found if "privilege" in e["eventType"]]


def test_default_admins_hold_roles(okta: Any) -> None:
    roles = okta.get("/api/v1/users/alice.admin@example.com/roles").json()
    assert [(r["type"], r["label"], r["assignmentType"]) for r in roles] == [
        ("SUPER_ADMIN", "Super Administrator", "USER")
    ]
    assert roles[0]["id"].startswith("ra1") and roles[0]["status"] == "ACTIVE"
    assert okta.get("/api/v1/users/carol@example.com/roles").json() == []


def test_assign_read_and_unassign_user_roles(okta: Any) -> None:
    carol = user(okta, "carol@example.com")
    base = f"/api/v1/users/{carol['id']}/roles"
    created = okta.post(base, json={"type": "APP_ADMIN"})
    assert created.status_code == 201
    app_admin = created.json()
    # Okta's id for a standard role of a user is the base32 of its type (recorded).
    assert app_admin["id"] == "IFIFAX2BIRGUSTQ"
    assert app_admin["label"] == "Application Administrator"
    assert app_admin["_links"]["assignee"]["href"].endswith(f"/api/v1/users/{carol['id']}")
    super_admin = okta.post(base, json={"type": "SUPER_ADMIN"}).json()
    assert super_admin["id"].startswith("ra1")
    again = okta.post(base, json={"type": "APP_ADMIN"})
    assert again.status_code == 409 and again.json()["errorCode"] == "E0000090"
    bogus = okta.post(base, json={"type": "KING"})
    assert bogus.status_code == 400 and bogus.json()["errorCode"] == "E0000001"
    assert okta.get(f"{base}/{app_admin['id']}").json()["type"] == "APP_ADMIN"
    assert okta.delete(f"{base}/{app_admin['id']}").status_code == 204
    assert okta.delete(f"{base}/{super_admin['id']}").status_code == 204
    gone = okta.delete(f"{base}/{super_admin['id']}")
    assert gone.status_code == 404 and gone.json()["errorCode"] == "E0000007"
    logged = [
        (e["eventType"], e["debugContext"]["debugData"].get("privilegeGranted"))
        for e in privilege_events(okta, carol["id"])
    ]
    # grant lists every privilege the user now holds; revoke only when none is left
    assert logged == [
        ("user.account.privilege.grant", "Application administrator (all)"),
        ("user.account.privilege.grant", "Application administrator (all), Super administrator"),
        ("user.account.privilege.grant", "Super administrator"),
        ("user.account.privilege.revoke", None),
    ]


def test_group_roles_reach_their_members(okta: Any) -> None:
    carol = user(okta, "carol@example.com")
    group = okta.post("/api/v1/groups", json={"profile": {"name": "Auditors"}}).json()
    okta.put(f"/api/v1/groups/{group['id']}/users/{carol['id']}")
    created = okta.post(f"/api/v1/groups/{group['id']}/roles", json={"type": "READ_ONLY_ADMIN"})
    assert created.status_code == 201  # as Okta answers (the spec documents the body on 200)
    role = created.json()
    assert role["id"].startswith("gra") and role["assignmentType"] == "GROUP"
    assert role["label"] == "Read-only Administrator"
    listed = okta.get(f"/api/v1/users/{carol['id']}/roles").json()
    assert [(r["type"], r["assignmentType"]) for r in listed] == [("READ_ONLY_ADMIN", "GROUP")]
    assert listed[0]["_links"]["assignee"]["href"].endswith(f"/api/v1/groups/{group['id']}")
    assert okta.get(f"/api/v1/groups/{group['id']}/roles").json()[0]["id"] == role["id"]
    assert okta.delete(f"/api/v1/groups/{group['id']}/roles/{role['id']}").status_code == 204
    assert okta.get(f"/api/v1/users/{carol['id']}/roles").json() == []
    logged = [e["eventType"] for e in privilege_events(okta, group["id"])]
    assert logged == ["group.privilege.grant", "group.privilege.revoke"]
