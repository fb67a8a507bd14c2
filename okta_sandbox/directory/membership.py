"""Group membership as Okta keeps it, including the one group Okta fills itself.

Most groups' members are stored (`state["memberships"]`: group id -> user ids). Okta's BUILT_IN
"Okta Administrators" group is not: "Okta manages this group, which contains all administrators
in your organization" (its description as recorded), so its members are derived, every time,
from the admin roles: every user holding a role of their own, through a group, or through a
custom-role binding (to them or to a group of theirs). A user granted a role is a member from
that moment; when the last role goes, so does the membership. Whether Okta counts the holders
of group-derived and custom roles is not documented; the sandbox counts them ("all
administrators"), which docs/sandbox.md lists among the emulation's assumptions.

Roles cannot be granted to a built-in group (E0000211), so the derivation never depends on the
admins group's own membership.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core.routing import State
from okta_sandbox.facts import ADMINS_GROUP, BUILT_IN_GROUP


def is_admins_group(group: dict[str, Any]) -> bool:
    return group.get("type") == BUILT_IN_GROUP and group["profile"].get("name") == ADMINS_GROUP


def admins_group(state: State) -> dict[str, Any] | None:
    return next((g for g in state["groups"].values() if is_admins_group(g)), None)


def stored_groups_of(state: State, user_id: str) -> list[str]:
    """The groups a user was added to (every group but the admins group, which is derived)."""
    return [gid for gid, members in state["memberships"].items() if user_id in members]


def role_holders(state: State, with_groups: bool = True) -> set[str]:
    """Ids of the users holding an admin role: their own (standard or custom), and with
    `with_groups` also through a group holding one."""
    held: set[str] = set()
    holding_groups: set[str] = set()
    for assignment in state.get("role_assignments") or ():
        if assignment["assigneeType"] == "USER":
            held.add(assignment["assigneeId"])
        elif assignment["assigneeType"] == "GROUP":
            holding_groups.add(assignment["assigneeId"])
    for by_role in ((state.get("iam") or {}).get("bindings") or {}).values():
        for members in by_role.values():
            for member in members:
                if member["assigneeType"] == "USER":
                    held.add(member["assigneeId"])
                else:
                    holding_groups.add(member["assigneeId"])
    if with_groups:
        for group_id in holding_groups:
            held.update(state["memberships"].get(group_id, ()))
    users: set[str] = set(state["users"])
    return held & users


def member_ids(state: State, group: dict[str, Any]) -> list[str]:
    """The group's members (ids): derived from the admin roles for the admins group."""
    if is_admins_group(group):
        return sorted(role_holders(state))
    return [uid for uid in state["memberships"].get(group["id"], []) if uid in state["users"]]


def group_ids_of(state: State, user_id: str) -> list[str]:
    """Every group the user belongs to, the admins group included when they hold a role."""
    found = stored_groups_of(state, user_id)
    admins = admins_group(state)
    if admins is not None:
        found = [gid for gid in found if gid != admins["id"]]
        if user_id in role_holders(state):
            found.append(admins["id"])
    return found
