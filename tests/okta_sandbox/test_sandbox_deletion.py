"""Deleting users, groups and apps as Okta does: a user in two calls (deactivate, then delete),
an app only once inactive, nothing of Okta's own; what pointed at the deleted object goes with
it (okta_sandbox/directory/deletion.py, okta_sandbox/apps/lifecycle.py)."""

from __future__ import annotations

from typing import Any

USERS, GROUPS, APPS = "/api/v1/users", "/api/v1/groups", "/api/v1/apps"


def new_user(okta: Any, login: str) -> dict[str, Any]:
    profile = {"login": login, "email": login, "firstName": "Gone", "lastName": "Soon"}
    created: dict[str, Any] = okta.post(USERS, json={"profile": profile}).json()
    return created


def event_types(okta: Any, target_id: str) -> list[str]:
    events = okta.get("/api/v1/logs", params={"limit": 1000}).json()
    return [e["eventType"] for e in events if target_id in {t["id"] for t in e["target"] or []}]


def holder_ids(okta: Any) -> set[str]:
    return {h["id"] for h in okta.get("/api/v1/iam/assignees/users").json()["value"]}


def test_a_user_is_deactivated_then_deleted_with_what_pointed_at_them(okta: Any) -> None:
    user = new_user(okta, "gone@example.com")
    group = okta.post(GROUPS, json={"profile": {"name": "Leavers"}}).json()
    assert okta.put(f"{GROUPS}/{group['id']}/users/{user['id']}").status_code == 204
    assert okta.post(f"{USERS}/{user['id']}/roles", json={"type": "SUPER_ADMIN"}).ok
    assert user["id"] in holder_ids(okta)

    first = okta.delete(f"{USERS}/{user['id']}")
    assert (first.status_code, first.content) == (204, b"")
    assert okta.get(f"{USERS}/{user['id']}").json()["status"] == "DEPROVISIONED"
    second = okta.delete(f"{USERS}/{user['id']}")
    assert (second.status_code, second.content) == (204, b"")

    gone = okta.get(f"{USERS}/{user['id']}")
    assert gone.status_code == 404 and gone.json()["errorCode"] == "E0000007"
    assert okta.get(f"{GROUPS}/{group['id']}/users").json() == []
    assert user["id"] not in holder_ids(okta)
    assert okta.get(f"{USERS}/{user['id']}/roles").status_code == 404
    types = event_types(okta, user["id"])
    assert types[-2:] == ["user.lifecycle.deactivate", "user.lifecycle.delete.initiated"]


def test_deleting_a_token_owner_revokes_their_tokens(okta: Any) -> None:
    tokens = {t["name"]: t for t in okta.get("/api/v1/api-tokens").json()}
    owner = tokens["terraform"]["userId"]
    assert owner != tokens["egress-guard sandbox"]["userId"]  # the session's own token stays
    for _ in range(2):
        assert okta.delete(f"{USERS}/{owner}").status_code == 204
    assert [t["name"] for t in okta.get("/api/v1/api-tokens").json()] == ["egress-guard sandbox"]


def test_a_group_is_deleted_with_its_memberships_and_roles(okta: Any) -> None:
    user = new_user(okta, "auditor@example.com")
    group = okta.post(GROUPS, json={"profile": {"name": "Auditors"}}).json()
    okta.put(f"{GROUPS}/{group['id']}/users/{user['id']}")
    assert okta.post(f"{GROUPS}/{group['id']}/roles", json={"type": "READ_ONLY_ADMIN"}).ok
    assert user["id"] in holder_ids(okta)

    answer = okta.delete(f"{GROUPS}/{group['id']}")
    assert (answer.status_code, answer.content) == (204, b"")
    assert okta.get(f"{GROUPS}/{group['id']}").status_code == 404
    assert group["id"] not in {g["id"] for g in okta.get(f"{USERS}/{user['id']}/groups").json()}
    assert user["id"] not in holder_ids(okta)  # the role came only through the group
    assert event_types(okta, group["id"])[-1] == "group.lifecycle.delete"


def test_okta_built_in_groups_cannot_be_deleted(okta: Any) -> None:
    for group in okta.get(GROUPS, params={"filter": 'type eq "BUILT_IN"'}).json():
        refused = okta.delete(f"{GROUPS}/{group['id']}")
        assert (refused.status_code, refused.json()["errorCode"]) == (403, "E0000006")
        assert okta.get(f"{GROUPS}/{group['id']}").status_code == 200


def test_an_app_is_deleted_only_once_inactive_and_never_a_first_party_one(
    okta: Any, sandbox: Any
) -> None:
    from okta_sandbox.core.oauth import service_app

    sandbox.mutate(
        lambda state: state["apps"].update({"0oaBYE": service_app("0oaBYE", "bye", None)})
    )
    path = f"{APPS}/0oaBYE"
    active = okta.delete(path)
    assert (active.status_code, active.json()["errorCode"]) == (403, "E0000056")
    deactivated = okta.post(f"{path}/lifecycle/deactivate")
    assert (deactivated.status_code, deactivated.content) == (200, b"")
    assert okta.get(path).json()["status"] == "INACTIVE"
    assert okta.post(f"{path}/lifecycle/activate").status_code == 200
    assert okta.get(path).json()["status"] == "ACTIVE"
    okta.post(f"{path}/lifecycle/deactivate")
    assert okta.delete(path).status_code == 204
    assert okta.get(path).status_code == 404
    assert event_types(okta, "0oaBYE")[-3:] == [
        "application.lifecycle.activate",
        "application.lifecycle.deactivate",
        "application.lifecycle.delete",
    ]
    console = next(a for a in okta.get(APPS).json() if a["name"] == "saasure")
    for call in (
        okta.post(f"{APPS}/{console['id']}/lifecycle/deactivate"),
        okta.delete(f"{APPS}/{console['id']}"),
    ):
        assert (call.status_code, call.json()["errorCode"]) == (403, "E0000006")
