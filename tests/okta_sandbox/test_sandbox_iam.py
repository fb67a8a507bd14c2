"""Sandbox `/api/v1/iam`: the users holding any admin role (body-paged ids), custom roles and
resource-set bindings shown as CUSTOM assignments, admin roles of OAuth service apps, the
`admins` seed, the apps an authentication policy is mapped to, and the emulation choices for
behaviour nobody has verified."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from okta_sandbox import Sandbox
from okta_sandbox.core.session import OrgSession

LOGS = "/api/v1/logs"
ASSIGNEES = "/api/v1/iam/assignees/users"


def user(okta: Any, login: str) -> dict[str, Any]:
    return okta.get(f"/api/v1/users/{login}").json()  # type: ignore[no-any-return]


def event_types(okta: Any, prefix: str) -> list[str]:
    found = okta.get(LOGS, params={"limit": "1000"}).json()
    return [e["eventType"] for e in found if e["eventType"].startswith(prefix)]


def holder_ids(okta: Any, limit: int = 100) -> list[str]:
    """Every page of the assignees list, following `_links.next` in the body."""
    ids: list[str] = []
    url: str | None = f"{ASSIGNEES}?limit={limit}"
    while url:
        response = okta.get(url)
        assert response.status_code == 200
        assert "next" not in response.links  # the next page is in the body, never a Link header
        body = response.json()
        ids += [item["id"] for item in body["value"]]
        following = body["_links"].get("next")
        url = following["href"].replace(okta.org_url, "") if following else None
    return ids


def test_assignees_lists_every_role_holder_with_body_paging(okta: Any) -> None:
    logins = {"alice.admin@example.com", "bob.admin@example.com", "breakglass@example.com"}
    expected = sorted(user(okta, login)["id"] for login in logins)
    first = okta.get(ASSIGNEES, params={"limit": "1"}).json()
    assert [item["id"] for item in first["value"]] == expected[:1]
    item = first["value"][0]
    assert item["orn"].endswith(f":users:{item['id']}")
    assert item["_links"]["roles"]["href"].endswith(f"/api/v1/users/{item['id']}/roles")
    assert first["_links"]["next"]["href"].endswith(f"after={expected[0]}&limit=1")
    assert holder_ids(okta, limit=1) == expected
    carol = user(okta, "carol@example.com")
    group = okta.post("/api/v1/groups", json={"profile": {"name": "Auditors"}}).json()
    okta.put(f"/api/v1/groups/{group['id']}/users/{carol['id']}")
    okta.post(f"/api/v1/groups/{group['id']}/roles", json={"type": "READ_ONLY_ADMIN"})
    assert carol["id"] in holder_ids(okta)  # group-derived admins are listed by default


def test_assignees_without_group_holders_when_emulated(sandbox: Sandbox, okta: Any) -> None:
    carol = user(okta, "carol@example.com")
    group = okta.post("/api/v1/groups", json={"profile": {"name": "Auditors"}}).json()
    okta.put(f"/api/v1/groups/{group['id']}/users/{carol['id']}")
    okta.post(f"/api/v1/groups/{group['id']}/roles", json={"type": "READ_ONLY_ADMIN"})
    sandbox.mutate(lambda s: s.setdefault("emulation", {}).update(assigneesIncludeGroupRoles=False))
    assert carol["id"] not in holder_ids(okta)
    okta.post(f"/api/v1/users/{carol['id']}/roles", json={"type": "REPORT_ADMIN"})
    assert carol["id"] in holder_ids(okta)


def _custom_setup(okta: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    role = okta.post(
        "/api/v1/iam/roles",
        json={"label": "Auditor", "description": "Reads users", "permissions": ["okta.users.read"]},
    )
    assert role.status_code == 200 and role.json()["id"].startswith("cr0")
    resource_set = okta.post(
        "/api/v1/iam/resource-sets",
        json={
            "label": "Everyone",
            "description": "All users",
            "resources": [f"{okta.org_url}/api/v1/users"],
        },
    )
    assert resource_set.status_code == 200 and resource_set.json()["id"].startswith("iam")
    return role.json(), resource_set.json()


def test_custom_role_binding_reaches_users_directly_and_through_groups(okta: Any) -> None:
    role, resource_set = _custom_setup(okta)
    carol = user(okta, "carol@example.com")
    group = okta.post("/api/v1/groups", json={"profile": {"name": "Reviewers"}}).json()
    alice = user(okta, "alice.admin@example.com")
    okta.put(f"/api/v1/groups/{group['id']}/users/{alice['id']}")
    bindings = f"/api/v1/iam/resource-sets/{resource_set['id']}/bindings"
    created = okta.post(
        bindings,
        json={"role": role["id"], "members": [f"{okta.org_url}/api/v1/users/{carol['id']}"]},
    )
    assert created.status_code == 200
    added = okta.patch(
        f"{bindings}/{role['id']}/members",
        json={"additions": [f"{okta.org_url}/api/v1/groups/{group['id']}"]},
    )
    assert added.status_code == 200
    listed = okta.get(bindings).json()
    assert [r["id"] for r in listed["roles"]] == [role["id"]]
    members = okta.get(listed["roles"][0]["_links"]["members"]["href"]).json()["members"]
    hrefs = sorted(m["_links"]["self"]["href"].rsplit("/", 2)[-2] for m in members)
    assert hrefs == ["groups", "users"] and all(m["id"].startswith("irb") for m in members)
    [direct] = okta.get(f"/api/v1/users/{carol['id']}/roles").json()
    assert (direct["type"], direct["assignmentType"], direct["label"]) == (
        "CUSTOM",
        "USER",
        "Auditor",
    )
    assert (direct["role"], direct["resource-set"]) == (role["id"], resource_set["id"])
    assert direct["_links"]["member"]["href"].endswith(f"/members/{direct['id']}")
    alice_roles = okta.get(f"/api/v1/users/{alice['id']}/roles").json()
    inherited = [r for r in alice_roles if r["type"] == "CUSTOM"]
    assert inherited[0]["assignmentType"] == "GROUP"
    assert inherited[0]["_links"]["assignee"]["href"].endswith(f"/api/v1/groups/{group['id']}")
    assert okta.get(f"/api/v1/groups/{group['id']}/roles").json()[0]["type"] == "CUSTOM"
    assert carol["id"] in holder_ids(okta)
    assert event_types(okta, "iam.") == [
        "iam.role.create",
        "iam.resourceset.create",
        "iam.resourceset.bindings.add",
        "iam.resourceset.bindings.add",
    ]
    gone = okta.delete(f"{bindings}/{role['id']}/members/{direct['id']}")
    assert gone.status_code == 204
    assert okta.get(f"/api/v1/users/{carol['id']}/roles").json() == []
    assert event_types(okta, "user.account.privilege")[-1] == "user.account.privilege.revoke"


def test_custom_role_assigned_through_the_user_roles_api(okta: Any) -> None:
    role, resource_set = _custom_setup(okta)
    carol = user(okta, "carol@example.com")
    body = {"type": "CUSTOM", "role": role["id"], "resource-set": resource_set["id"]}
    created = okta.post(f"/api/v1/users/{carol['id']}/roles", json=body)
    assert created.status_code == 201 and created.json()["id"].startswith("irb")
    again = okta.post(f"/api/v1/users/{carol['id']}/roles", json=body)
    assert again.status_code == 409
    bad = okta.post(
        f"/api/v1/users/{carol['id']}/roles", json={"type": "CUSTOM", "role": role["id"]}
    )
    assert bad.status_code == 400
    assert (
        okta.delete(f"/api/v1/users/{carol['id']}/roles/{created.json()['id']}").status_code == 204
    )


def test_service_app_roles(sandbox_factory: Callable[..., Sandbox]) -> None:
    org = sandbox_factory(seed="admins", mode="thread")
    with OrgSession(org.org_url, org.api_token) as okta:
        apps = okta.get("/api/v1/apps", params={"filter": 'name eq "oidc_client"'}).json()
        [service] = [
            a for a in apps if a["settings"]["oauthClient"]["application_type"] == "service"
        ]
        path = f"/oauth2/v1/clients/{service['id']}/roles"
        [role] = okta.get(path).json()
        assert (role["type"], role["assignmentType"]) == ("READ_ONLY_ADMIN", "CLIENT")
        assert role["_links"]["assignee"]["href"].endswith(f"/oauth2/v1/clients/{service['id']}")
        created = okta.post(path, json={"type": "HELP_DESK_ADMIN"})
        assert created.status_code == 201
        assert created.json()["id"] == "JBCUYUC7IRCVGS27IFCE2SKO"  # as recorded for a client
        assert okta.delete(f"{path}/{created.json()['id']}").status_code == 204
        assert okta.delete(f"{path}/{role['id']}").status_code == 204
        assert event_types(okta, "app.oauth2.client.privilege") == [
            "app.oauth2.client.privilege.grant",
            "app.oauth2.client.privilege.grant",
            "app.oauth2.client.privilege.revoke",
        ]
        assert okta.get("/oauth2/v1/clients/0oanosuchclient00000/roles").status_code == 404


def test_admins_seed_has_every_kind_of_admin(sandbox_factory: Callable[..., Sandbox]) -> None:
    org = sandbox_factory(seed="admins", mode="thread")
    with OrgSession(org.org_url, org.api_token) as okta:

        def roles_of(login: str) -> list[tuple[str, str]]:
            found = okta.get(f"/api/v1/users/{login}/roles").json()
            return [(r["type"], r["assignmentType"]) for r in found]

        assert roles_of("mallory@example.com") == [("SUPER_ADMIN", "USER")]
        assert roles_of("heidi@example.com") == [("CUSTOM", "USER")]
        assert roles_of("ivan@example.com") == [("HELP_DESK_ADMIN", "GROUP")]
        assert roles_of("judy@example.com") == [("CUSTOM", "GROUP")]
        assert roles_of("carol@example.com") == []
        holders = set(holder_ids(okta))
        for login in ("mallory", "heidi", "ivan", "judy"):
            assert user(okta, f"{login}@example.com")["id"] in holders
        labels = [r["label"] for r in okta.get("/api/v1/iam/roles").json()["roles"]]
        assert labels == ["Help Desk Lite"]


def test_policy_mappings_name_every_app_of_a_policy(sandbox: Sandbox, okta: Any) -> None:
    apps = {a["name"]: a for a in okta.get("/api/v1/apps").json()}
    console = apps["saasure"]
    policy_id = console["_links"]["accessPolicy"]["href"].rsplit("/", 1)[-1]
    [mapping] = okta.get(f"/api/v1/policies/{policy_id}/mappings").json()
    assert mapping["_links"]["application"]["href"].endswith(f"/api/v1/apps/{console['id']}")
    dashboard = apps["okta_enduser"]
    shared = okta.put(f"/api/v1/apps/{dashboard['id']}/policies/{policy_id}")
    assert shared.status_code == 204
    mapped = okta.get(f"/api/v1/policies/{policy_id}/mappings").json()
    assert sorted(m["_links"]["application"]["href"].rsplit("/", 1)[-1] for m in mapped) == sorted(
        [console["id"], dashboard["id"]]
    )


def test_admin_console_policy_reassignment_is_an_emulation_choice(
    sandbox: Sandbox, okta: Any
) -> None:
    console = next(a for a in okta.get("/api/v1/apps").json() if a["name"] == "saasure")
    policy = okta.post(
        "/api/v1/policies",
        json={"type": "ACCESS_POLICY", "name": "Dedicated console", "description": "ours"},
    ).json()
    refused = okta.put(f"/api/v1/apps/{console['id']}/policies/{policy['id']}")
    assert refused.status_code == 400
    sandbox.mutate(
        lambda s: s.setdefault("emulation", {}).update(adminConsolePolicyReassignable=True)
    )
    assert okta.put(f"/api/v1/apps/{console['id']}/policies/{policy['id']}").status_code == 204
    again = okta.get(f"/api/v1/apps/{console['id']}").json()
    assert again["_links"]["accessPolicy"]["href"].endswith(policy["id"])
