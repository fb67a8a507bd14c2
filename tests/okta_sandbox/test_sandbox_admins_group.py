"""Okta's built-in "Okta Administrators" group in the sandbox: Okta keeps it (every user holding
an admin role, however granted, is a member; nobody else), it refuses to list its members
(reportedly unsupported in Okta; the answer is UNCONFIRMED, docs/sandbox.md), it takes no
membership change and no role."""

from __future__ import annotations

from typing import Any

from okta_sandbox import Sandbox
from okta_sandbox.core.session import OrgSession

ADMINS = "Okta Administrators"


def user(okta: Any, login: str) -> dict[str, Any]:
    return okta.get(f"/api/v1/users/{login}").json()  # type: ignore[no-any-return]


def admins_group(okta: Any) -> dict[str, Any]:
    found = okta.get("/api/v1/groups", params={"search": f'profile.name eq "{ADMINS}"'}).json()
    [group] = found
    return group  # type: ignore[no-any-return]


def in_admins_group(okta: Any, user_id: str) -> bool:
    groups = okta.get(f"/api/v1/users/{user_id}/groups").json()
    return ADMINS in {g["profile"]["name"] for g in groups}


def test_its_member_listing_is_refused_as_unsupported(okta: Any) -> None:
    group = admins_group(okta)
    assert group["type"] == "BUILT_IN"
    for params in ({}, {"limit": "1000"}):
        refused = okta.get(f"/api/v1/groups/{group['id']}/users", params=params)
        assert refused.status_code == 501
        body = refused.json()
        assert (body["errorCode"], body["errorSummary"]) == ("E0000060", "Unsupported operation.")
    # other groups, the built-in Everyone included, still list their members
    everyone = okta.get("/api/v1/groups", params={"q": "Everyone"}).json()[0]
    listed = okta.get(f"/api/v1/groups/{everyone['id']}/users").json()
    assert "carol@example.com" in {u["profile"]["login"] for u in listed}


def test_membership_follows_the_admin_roles_however_granted(okta: Any) -> None:
    carol = user(okta, "carol@example.com")
    alice = user(okta, "alice.admin@example.com")  # a Super Administrator of the seed
    assert in_admins_group(okta, alice["id"])
    assert not in_admins_group(okta, carol["id"])
    # a role of her own: a member from then on, until it is revoked
    granted = okta.post(f"/api/v1/users/{carol['id']}/roles", json={"type": "SUPER_ADMIN"})
    assert granted.status_code == 201
    assert in_admins_group(okta, carol["id"])
    okta.delete(f"/api/v1/users/{carol['id']}/roles/{granted.json()['id']}")
    assert not in_admins_group(okta, carol["id"])
    # a role through a group: a member while in the group
    helpdesk = okta.post("/api/v1/groups", json={"profile": {"name": "Helpdesk"}}).json()
    okta.post(f"/api/v1/groups/{helpdesk['id']}/roles", json={"type": "HELP_DESK_ADMIN"})
    membership = f"/api/v1/groups/{helpdesk['id']}/users/{carol['id']}"
    assert okta.put(membership).status_code == 204
    assert in_admins_group(okta, carol["id"])
    assert okta.delete(membership).status_code == 204
    assert not in_admins_group(okta, carol["id"])


def test_every_kind_of_admin_of_the_admins_seed_is_a_member(sandbox_factory: Any) -> None:
    sandbox: Sandbox = sandbox_factory(seed="admins")
    with OrgSession(sandbox.org_url, sandbox.api_token) as session:
        # direct, custom role to her, group role, custom role through a group
        for login in ("mallory", "heidi", "ivan", "judy"):
            assert in_admins_group(session, user(session, f"{login}@example.com")["id"]), login
        # the membership is Okta's: the assignees list's emulation choice does not change it
        sandbox.mutate(
            lambda s: s.setdefault("emulation", {}).update(assigneesIncludeGroupRoles=False)
        )
        assert in_admins_group(session, user(session, "ivan@example.com")["id"])


def test_it_takes_no_membership_change_and_no_role(okta: Any) -> None:
    group = admins_group(okta)
    carol = user(okta, "carol@example.com")
    added = okta.put(f"/api/v1/groups/{group['id']}/users/{carol['id']}")
    assert added.status_code == 403
    assert not in_admins_group(okta, carol["id"])
    refused = okta.post(f"/api/v1/groups/{group['id']}/roles", json={"type": "READ_ONLY_ADMIN"})
    assert refused.status_code == 400
    body = refused.json()
    assert body["errorCode"] == "E0000211"
    assert body["errorSummary"] == f"Roles cannot be granted to built-in groups: {ADMINS}"
