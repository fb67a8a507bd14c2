"""The state of custom admin roles, resource sets and bindings (`state["iam"]`), shared by the
`/api/v1/iam` routes (`iam/custom.py`) and the role lists of users and groups
(`directory/roles.py`), which show a binding membership as a CUSTOM role assignment.

`state["iam"]` = `{"roles": {id: role}, "resource_sets": {id: set}, "bindings": {set id: {role
id: [member]}}}`, a member being `{id, assigneeType: USER|GROUP, assigneeId, created,
lastUpdated}`.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.errors import not_found, validation
from okta_sandbox.core.routing import State, href


def iam(state: State) -> dict[str, Any]:
    found: dict[str, Any] = state.setdefault(
        "iam", {"roles": {}, "resource_sets": {}, "bindings": {}}
    )
    return found


def _by_id_or_label(items: dict[str, Any], key: str, what: str) -> dict[str, Any]:
    found = items.get(key) or next((i for i in items.values() if i["label"] == key), None)
    if found is None:
        raise not_found(f"{what} {key}")
    return found  # type: ignore[no-any-return]


def get_role(state: State, key: str) -> dict[str, Any]:
    return _by_id_or_label(iam(state)["roles"], key, "Role")


def get_resource_set(state: State, key: str) -> dict[str, Any]:
    return _by_id_or_label(iam(state)["resource_sets"], key, "ResourceSet")


# ---- state helpers (seeds, roles.py) -----------------------------------------------------------


# table of state["iam"]: the kind of its ids, the noun of its errors
_LABELLED = {"roles": ("iam_role", "role"), "resource_sets": ("resource_set", "resource set")}


def _add_labelled(
    state: State, table: str, label: str, fields: dict[str, Any], stamp: str
) -> dict[str, Any]:
    """A new role or resource set (`table`) under a label no other one of them has."""
    id_kind, noun = _LABELLED[table]
    if any(item["label"] == label for item in iam(state)[table].values()):
        raise validation("label", f"label: a {noun} named '{label}' already exists")
    item = {
        "id": ids.new_id(id_kind),
        "label": label,
        **fields,
        "created": stamp,
        "lastUpdated": stamp,
    }
    iam(state)[table][item["id"]] = item
    return item


def add_role(
    state: State, label: str, description: str, permissions: list[str], stamp: str
) -> dict[str, Any]:
    fields = {"description": description, "permissions": list(dict.fromkeys(permissions))}
    return _add_labelled(state, "roles", label, fields, stamp)


def add_resource_set(
    state: State, label: str, description: str, resources: list[str], stamp: str
) -> dict[str, Any]:
    fields = {"description": description, "resources": list(resources)}
    return _add_labelled(state, "resource_sets", label, fields, stamp)


def bind(
    state: State, resource_set_id: str, role_id: str, kind: str, assignee_id: str, stamp: str
) -> dict[str, Any]:
    """Add `kind` (USER or GROUP) `assignee_id` to the binding of `role_id` on the resource set
    (creating the binding); returns the member (an existing one when already bound)."""
    members = iam(state)["bindings"].setdefault(resource_set_id, {}).setdefault(role_id, [])
    for member in members:
        if (member["assigneeType"], member["assigneeId"]) == (kind, assignee_id):
            return member  # type: ignore[no-any-return]
    member = {
        "id": ids.new_id("binding_member"),
        "assigneeType": kind,
        "assigneeId": assignee_id,
        "created": stamp,
        "lastUpdated": stamp,
    }
    members.append(member)
    return member


def custom_assignments(state: State, kind: str, assignee_ids: set[str]) -> list[dict[str, Any]]:
    """Every binding membership of the `kind` assignees: `{member, role, resourceSet}`."""
    found = []
    for set_id, by_role in iam(state)["bindings"].items():
        for role_id, members in by_role.items():
            for member in members:
                if member["assigneeType"] == kind and member["assigneeId"] in assignee_ids:
                    found.append({"member": member, "role": role_id, "resourceSet": set_id})
    return found


def present_custom(state: State, assignment: dict[str, Any], base: str) -> dict[str, Any]:
    """A CUSTOM role assignment as a user's or group's role list shows it."""
    member, role_id, set_id = assignment["member"], assignment["role"], assignment["resourceSet"]
    kind = "users" if member["assigneeType"] == "USER" else "groups"
    role = iam(state)["roles"][role_id]
    binding = f"/api/v1/iam/resource-sets/{set_id}/bindings/{role_id}"
    return {
        "id": member["id"],
        "role": role_id,
        "label": role["label"],
        "type": "CUSTOM",
        "status": "ACTIVE",
        "created": member["created"],
        "lastUpdated": member["lastUpdated"],
        "assignmentType": member["assigneeType"],
        "resource-set": set_id,
        "_links": {
            "assignee": href(base, f"/api/v1/{kind}/{member['assigneeId']}"),
            "resource-set": href(base, f"/api/v1/iam/resource-sets/{set_id}"),
            "member": href(base, f"{binding}/members/{member['id']}"),
            "role": href(base, f"/api/v1/iam/roles/{role_id}"),
            "permissions": href(base, f"/api/v1/iam/permission-sets/{role_id}/permissions"),
        },
    }
