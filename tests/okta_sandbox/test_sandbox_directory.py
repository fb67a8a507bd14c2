"""Sandbox groups, users, API tokens, `/users/me` and `/.well-known/okta-organization`."""

from __future__ import annotations

from typing import Any


def group(okta: Any, name: str) -> dict[str, Any]:
    return okta.get("/api/v1/groups", params={"q": name}).json()[0]  # type: ignore[no-any-return]


def members(okta: Any, group_id: str) -> set[str]:
    users = okta.get(f"/api/v1/groups/{group_id}/users").json()
    return {u["profile"]["login"] for u in users}


def test_default_seed_groups_and_members(okta: Any) -> None:
    groups = {g["profile"]["name"]: g for g in okta.get("/api/v1/groups").json()}
    assert set(groups) == {"Everyone", "Okta Administrators", "Break Glass Accounts"}
    assert groups["Everyone"]["type"] == "BUILT_IN"
    # Okta's own admins group: every admin-role holder is in it (their groups say so), but its
    # member listing is refused (tests/okta_sandbox/test_sandbox_admins_group.py)
    for login in ("alice.admin@example.com", "bob.admin@example.com", "breakglass@example.com"):
        user = okta.get(f"/api/v1/users/{login}").json()
        names = [
            g["profile"]["name"] for g in okta.get(f"/api/v1/users/{user['id']}/groups").json()
        ]
        assert "Okta Administrators" in names, login
    assert members(okta, groups["Break Glass Accounts"]["id"]) == {"breakglass@example.com"}
    assert "carol@example.com" in members(okta, groups["Everyone"]["id"])
    built_in = okta.get("/api/v1/groups", params={"filter": 'type eq "BUILT_IN"'}).json()
    assert [g["profile"]["name"] for g in built_in] == ["Everyone", "Okta Administrators"]
    searched = okta.get("/api/v1/groups", params={"search": 'profile.name sw "Break"'}).json()
    assert [g["profile"]["name"] for g in searched] == ["Break Glass Accounts"]


def test_users_by_id_login_and_search(okta: Any) -> None:
    carol = okta.get("/api/v1/users/carol@example.com").json()
    assert carol["profile"]["email"] == "carol@example.com" and carol["status"] == "ACTIVE"
    assert okta.get(f"/api/v1/users/{carol['id']}").json()["id"] == carol["id"]
    assert [
        u["profile"]["login"] for u in okta.get("/api/v1/users", params={"q": "car"}).json()
    ] == ["carol@example.com"]
    found = okta.get(
        "/api/v1/users", params={"filter": 'profile.login eq "bob.admin@example.com"'}
    ).json()
    assert [u["profile"]["firstName"] for u in found] == ["Bob"]
    groups = okta.get(f"/api/v1/users/{carol['id']}/groups").json()
    assert [g["profile"]["name"] for g in groups] == ["Everyone"]
    missing = okta.get("/api/v1/users/nobody@example.com")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "E0000007"
    me = okta.get("/api/v1/users/me").json()
    assert me["profile"]["login"] == "alice.admin@example.com"


def test_user_lifecycle_and_sessions(okta: Any) -> None:
    carol = okta.get("/api/v1/users/carol@example.com").json()
    base = f"/api/v1/users/{carol['id']}"
    assert okta.post(f"{base}/lifecycle/suspend").status_code == 200
    assert okta.get(base).json()["status"] == "SUSPENDED"
    again = okta.post(f"{base}/lifecycle/suspend")
    assert again.status_code == 400 and again.json()["errorCode"] == "E0000001"
    okta.post(f"{base}/lifecycle/unsuspend")
    assert okta.get(base).json()["status"] == "ACTIVE"
    assert okta.delete(f"{base}/sessions").status_code == 204
    okta.post(f"{base}/lifecycle/deactivate")
    assert okta.get(base).json()["status"] == "DEPROVISIONED"


def test_membership_changes_and_new_objects(okta: Any) -> None:
    breakglass = group(okta, "Break Glass")
    carol = okta.get("/api/v1/users/carol@example.com").json()
    path = f"/api/v1/groups/{breakglass['id']}/users/{carol['id']}"
    assert okta.put(path).status_code == 204
    assert "carol@example.com" in members(okta, breakglass["id"])
    assert okta.delete(path).status_code == 204
    assert "carol@example.com" not in members(okta, breakglass["id"])
    # each change logged as Okta does: the catalogue's message, the user and the group as
    # targets, the group named by displayName (its alternateId is Okta's "unknown")
    logged = okta.get("/api/v1/logs", params={"filter": 'eventType sw "group.user_membership"'})
    assert [(e["eventType"], e["displayMessage"]) for e in logged.json()] == [
        ("group.user_membership.add", "Add user to group membership"),
        ("group.user_membership.remove", "Remove user from group membership"),
    ]
    for change in logged.json():
        assert [(t["type"], t["id"], t["alternateId"]) for t in change["target"]] == [
            ("User", carol["id"], "carol@example.com"),
            ("UserGroup", breakglass["id"], "unknown"),
        ]
        assert change["target"][1]["displayName"] == breakglass["profile"]["name"]
    everyone = group(okta, "Everyone")
    refused = okta.put(f"/api/v1/groups/{everyone['id']}/users/{carol['id']}")
    assert refused.status_code == 403
    administrators = group(okta, "Okta Administrators")  # built in: Okta keeps its members
    assert okta.put(f"/api/v1/groups/{administrators['id']}/users/{carol['id']}").status_code == 403
    created = okta.post("/api/v1/groups", json={"profile": {"name": "Contractors"}}).json()
    assert created["type"] == "OKTA_GROUP"
    dave = okta.post(
        "/api/v1/users",
        json={
            "profile": {
                "login": "dave@example.com",
                "email": "dave@example.com",
                "firstName": "Dave",
                "lastName": "D",
            }
        },
    ).json()
    # activated without a password: PROVISIONED, no password credential (as recorded, e.g.
    # ../shared/okta/recordings/.../TestAccDataSourceOktaUser_SkipAdminRoles/oie-00 #1)
    assert dave["status"] == "PROVISIONED" and dave["passwordChanged"] is None
    assert "password" not in dave["credentials"]
    assert "dave@example.com" in members(okta, everyone["id"])
    erin = okta.post(
        "/api/v1/users",
        json={
            "profile": {"login": "erin@example.com", "firstName": "Erin", "lastName": "E"},
            "credentials": {"password": {"value": "correct horse battery staple"}},
        },
    ).json()
    assert erin["status"] == "ACTIVE" and erin["credentials"]["password"] == {}


def test_api_tokens(okta: Any, sandbox: Any) -> None:
    tokens = okta.get("/api/v1/api-tokens").json()
    assert {t["name"] for t in tokens} == {"egress-guard sandbox", "terraform"}
    terraform = next(t for t in tokens if t["name"] == "terraform")
    assert okta.get(f"/api/v1/api-tokens/{terraform['id']}").json()["userId"] == terraform["userId"]
    assert okta.delete(f"/api/v1/api-tokens/{terraform['id']}").status_code == 204
    assert [t["name"] for t in okta.get("/api/v1/api-tokens").json()] == ["egress-guard sandbox"]


def test_revoking_the_current_token_locks_it_out(okta: Any) -> None:
    assert okta.delete("/api/v1/api-tokens/current").status_code == 204
    after = okta.get("/api/v1/zones")
    assert after.status_code == 401 and after.json()["errorCode"] == "E0000011"


def test_well_known_organization_is_identity_engine(okta: Any) -> None:
    okta.headers.pop("Authorization")
    response = okta.get("/.well-known/okta-organization")
    assert response.status_code == 200 and response.json()["pipeline"] == "idx"


def lifecycle_events(okta: Any, user_id: str) -> list[str]:
    found = okta.get("/api/v1/logs", params={"filter": f'target.id eq "{user_id}"'}).json()
    return [e["eventType"] for e in found if e["eventType"].startswith("user.lifecycle.")]


def test_user_creation_scenarios_and_activation(okta: Any) -> None:
    profile = {"firstName": "Eve", "lastName": "E"}
    staged = okta.post(
        "/api/v1/users",
        params={"activate": "false"},
        json={"profile": {**profile, "login": "eve@example.com", "email": "eve@example.com"}},
    ).json()
    assert staged["status"] == "STAGED"
    assert lifecycle_events(okta, staged["id"]) == ["user.lifecycle.create"]
    activated = okta.post(
        f"/api/v1/users/{staged['id']}/lifecycle/activate", params={"sendEmail": "false"}
    )
    assert activated.status_code == 200 and activated.json()["activationToken"]
    assert okta.get(f"/api/v1/users/{staged['id']}").json()["status"] == "PROVISIONED"
    emailed = okta.post(
        f"/api/v1/users/{staged['id']}/lifecycle/reactivate", params={"sendEmail": "true"}
    )
    assert emailed.status_code == 200 and emailed.json() == {}
    assert lifecycle_events(okta, staged["id"]) == [
        "user.lifecycle.create",
        "user.lifecycle.activate",
        "user.lifecycle.reactivate",
    ]
    twice = okta.post(f"/api/v1/users/{staged['id']}/lifecycle/activate")
    assert twice.status_code == 400 and twice.json()["errorCode"] == "E0000001"
    with_password = okta.post(
        "/api/v1/users",
        json={
            "profile": {**profile, "login": "eve2@example.com", "email": "eve2@example.com"},
            "credentials": {"password": {"value": "correct-horse-battery-staple"}},
        },
    ).json()
    assert with_password["status"] == "ACTIVE"
    assert "value" not in with_password["credentials"]["password"]  # never echoed
    assert lifecycle_events(okta, with_password["id"]) == [
        "user.lifecycle.create",
        "user.lifecycle.activate",
    ]
    carol = okta.get("/api/v1/users/carol@example.com").json()
    reactivate_active = okta.post(f"/api/v1/users/{carol['id']}/lifecycle/reactivate")
    assert reactivate_active.status_code == 400


def test_a_group_profile_is_replaced_and_built_in_groups_are_not(okta: Any) -> None:
    group = okta.post("/api/v1/groups", json={"profile": {"name": "Old", "description": "d"}})
    path = f"/api/v1/groups/{group.json()['id']}"
    renamed = okta.put(path, json={"profile": {"name": "New"}})
    assert renamed.status_code == 200
    assert renamed.json()["profile"] == {"name": "New"}  # a replace: the description is gone
    assert okta.get(path).json()["profile"] == {"name": "New"}
    taken = okta.put(path, json={"profile": {"name": "Everyone"}})
    assert (taken.status_code, taken.json()["errorCode"]) == (400, "E0000001")
    blank = okta.put(path, json={"profile": {"description": "no name"}})
    assert blank.status_code == 400
    everyone = okta.get("/api/v1/groups", params={"q": "Everyone"}).json()[0]
    refused = okta.put(f"/api/v1/groups/{everyone['id']}", json={"profile": {"name": "All"}})
    assert (refused.status_code, refused.json()["errorCode"]) == (403, "E0000006")


def test_a_user_profile_is_replaced(okta: Any) -> None:
    """As recorded (TestAccResourceOktaUser_loginUpdates/oie-00 #4): a new login and email,
    nulls dropped, `mobilePhone`/`secondEmail` kept as null, the status unchanged."""
    profile = {"login": "old@example.com", "firstName": "O", "lastName": "L", "title": "x"}
    user = okta.post("/api/v1/users", json={"profile": profile}).json()
    new = {
        "login": "new@example.com",
        "email": "new@example.com",
        "firstName": "O",
        "lastName": "L",
        "postalAddress": None,
    }
    answer = okta.put(f"/api/v1/users/{user['id']}", json={"profile": new})
    assert answer.status_code == 200
    assert answer.json()["profile"] == {
        "login": "new@example.com",
        "email": "new@example.com",
        "firstName": "O",
        "lastName": "L",
        "mobilePhone": None,
        "secondEmail": None,
    }
    assert answer.json()["status"] == user["status"]
    assert okta.get("/api/v1/users/new@example.com").json()["id"] == user["id"]
    taken = okta.put(
        f"/api/v1/users/{user['id']}",
        json={"profile": {**new, "login": "alice.admin@example.com"}},
    )
    assert taken.status_code == 400
    nameless = okta.put(f"/api/v1/users/{user['id']}", json={"profile": {"login": "n@example.com"}})
    assert nameless.status_code == 400
