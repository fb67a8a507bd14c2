"""Admin role assignments of users and groups (`/api/v1/users/{userId}/roles`,
`/api/v1/groups/{groupId}/roles`): standard roles only (custom roles and resource sets are not
served).

Assignments live in `state["role_assignments"]`, a list of `{id, type, assigneeType,
assigneeId, created, lastUpdated}` (created on first use). Shapes follow Okta's StandardRole and
what the provider's recordings show (`/work/shared/okta/recordings/terraform-provider-okta/idaas/
TestAccResourceOktaUserAdminRoles_crud`, `TestAccResourceOktaGroupRole_admin_crud`):

- assignment ids: a standard role assigned to a user gets the base32 of its type without padding
  (`APP_ADMIN` -> `IFIFAX2BIRGUSTQ`), except `SUPER_ADMIN` (an opaque `ra1...`); a group's
  assignment gets `gra...`, except `APP_ADMIN` (base32 again): ids repeat across assignees;
- `POST .../roles` answers 201 with the assignment (for groups too, although the spec documents
  the body on 200: see spec/exceptions.py);
- a user's list includes the roles of their groups (`assignmentType: GROUP`, `_links.assignee`
  naming the group), as the spec's example StandardRolesListResponse shows;
- assigning a role the assignee already holds is 409 E0000090 ("Duplicate role assignment
  exception" in Okta's error catalogue).

System Log: `user.account.privilege.grant` with `debugData.privilegeGranted` = every privilege
the user now holds, group-derived ones included (Okta's catalogue); `user.account.privilege
.revoke` only when none is left; `group.privilege.grant` / `.revoke` likewise for groups.
"""

from __future__ import annotations

import base64
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.bodies import checked
from okta_sandbox.core.errors import OktaError, not_found, validation
from okta_sandbox.core.routing import Request, Response, Route, State, href, route
from okta_sandbox.directory.routes import find_user, get_group, group_target, user_target
from okta_sandbox.logs import events

# type -> (label as the API shows it, name in the System Log's privilegeGranted list). Labels
# as recorded (e.g. "Read-only Administrator"); log names as Okta's events show them ("Super
# administrator", "Read only admin", "Organization administrator", "Application administrator
# (all)"); the others follow the same pattern.
STANDARD_ROLES: dict[str, tuple[str, str]] = {
    "SUPER_ADMIN": ("Super Administrator", "Super administrator"),
    "ORG_ADMIN": ("Organizational Administrator", "Organization administrator"),
    "APP_ADMIN": ("Application Administrator", "Application administrator (all)"),
    "USER_ADMIN": ("Group Administrator", "Group administrator (all)"),
    "HELP_DESK_ADMIN": ("Help Desk Administrator", "Help desk administrator (all)"),
    "GROUP_MEMBERSHIP_ADMIN": (
        "Group Membership Administrator",
        "Group membership administrator (all)",
    ),
    "READ_ONLY_ADMIN": ("Read-only Administrator", "Read only admin"),
    "REPORT_ADMIN": ("Report Administrator", "Report admin"),
    "API_ACCESS_MANAGEMENT_ADMIN": (
        "API Access Management Administrator",
        "API access management admin",
    ),
}


def assignments(state: State) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = state.setdefault("role_assignments", [])
    return found


def _assignment_id(role_type: str, assignee_type: str) -> str:
    encoded = base64.b32encode(role_type.encode("ascii")).decode("ascii").rstrip("=")
    if assignee_type == "USER":
        return ids.new_id("role_assignment") if role_type == "SUPER_ADMIN" else encoded
    return encoded if role_type == "APP_ADMIN" else ids.new_id("group_role_assignment")


def assign(
    state: State, assignee_type: str, assignee_id: str, role_type: str, stamp: str
) -> dict[str, Any]:
    """Record a standard role assignment directly in the state (seeds and the handlers)."""
    if role_type not in STANDARD_ROLES:
        raise ValueError(f"not a standard role: {role_type}")
    assignment = {
        "id": _assignment_id(role_type, assignee_type),
        "type": role_type,
        "assigneeType": assignee_type,
        "assigneeId": assignee_id,
        "created": stamp,
        "lastUpdated": stamp,
    }
    assignments(state).append(assignment)
    return assignment


def present_role(assignment: dict[str, Any], base: str) -> dict[str, Any]:
    kind = "users" if assignment["assigneeType"] == "USER" else "groups"
    return {
        "id": assignment["id"],
        "label": STANDARD_ROLES[assignment["type"]][0],
        "type": assignment["type"],
        "status": "ACTIVE",
        "created": assignment["created"],
        "lastUpdated": assignment["lastUpdated"],
        "assignmentType": assignment["assigneeType"],
        "_links": {"assignee": href(base, f"/api/v1/{kind}/{assignment['assigneeId']}")},
    }


def _groups_of(state: State, user_id: str) -> list[str]:
    return [gid for gid, members in state["memberships"].items() if user_id in members]


def user_roles(state: State, user_id: str) -> list[dict[str, Any]]:
    """The user's own assignments, then those of the groups they belong to."""
    groups = set(_groups_of(state, user_id))
    own = [
        a for a in assignments(state) if (a["assigneeType"], a["assigneeId"]) == ("USER", user_id)
    ]
    inherited = [
        a for a in assignments(state) if a["assigneeType"] == "GROUP" and a["assigneeId"] in groups
    ]
    return own + inherited


def group_roles(state: State, group_id: str) -> list[dict[str, Any]]:
    return [
        a for a in assignments(state) if (a["assigneeType"], a["assigneeId"]) == ("GROUP", group_id)
    ]


def privileges(roles: list[dict[str, Any]]) -> str:
    """The `privilegeGranted` text: every privilege held, once, in assignment order."""
    names = dict.fromkeys(STANDARD_ROLES[a["type"]][1] for a in roles)
    return ", ".join(names)


def _role_type(req: Request) -> str:
    body = checked(req, req.json())
    role_type = body.get("type")
    if role_type == "CUSTOM":
        raise validation("type", "type: custom roles are not supported by the sandbox")
    if role_type not in STANDARD_ROLES:
        raise validation("type", f"type: '{role_type}' is not a valid role type")
    return str(role_type)


def _duplicate(role_type: str) -> OktaError:
    return OktaError(
        "E0000090", causes=[f"The role {role_type} is already assigned to the assignee"]
    )


def list_user_roles(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    return Response(200, [present_role(a, req.base_url) for a in user_roles(state, user["id"])])


def assign_user_role(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    role_type = _role_type(req)
    if any(
        a["type"] == role_type for a in user_roles(state, user["id"]) if a["assigneeType"] == "USER"
    ):
        raise _duplicate(role_type)
    assignment = assign(state, "USER", user["id"], role_type, ids.now_iso())
    events.record(
        state,
        req,
        "user.account.privilege.grant",
        "Grant user privilege",
        [user_target(user)],
        debug={"privilegeGranted": privileges(user_roles(state, user["id"]))},
    )
    return Response(201, present_role(assignment, req.base_url))


def _find(roles: list[dict[str, Any]], assignment_id: str, kind: str) -> dict[str, Any]:
    found = next((a for a in roles if a["id"] == assignment_id), None)
    if found is None:
        raise not_found(f"Resource not found: {assignment_id} ({kind})")
    return found


def read_user_role(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    found = _find(user_roles(state, user["id"]), params["roleAssignmentId"], "RoleAssignment")
    return Response(200, present_role(found, req.base_url))


def unassign_user_role(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    own = [a for a in user_roles(state, user["id"]) if a["assigneeType"] == "USER"]
    found = _find(own, params["roleAssignmentId"], "RoleAssignment")
    assignments(state).remove(found)
    left = user_roles(state, user["id"])
    if left:
        events.record(
            state,
            req,
            "user.account.privilege.grant",
            "Grant user privilege",
            [user_target(user)],
            debug={"privilegeGranted": privileges(left)},
        )
    else:
        events.record(
            state,
            req,
            "user.account.privilege.revoke",
            "Revoke user privilege",
            [user_target(user)],
            debug={"privilegeRevoked": STANDARD_ROLES[found["type"]][1]},
        )
    return Response(204)


def list_group_roles(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    return Response(200, [present_role(a, req.base_url) for a in group_roles(state, group["id"])])


def assign_group_role(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    role_type = _role_type(req)
    if any(a["type"] == role_type for a in group_roles(state, group["id"])):
        raise _duplicate(role_type)
    assignment = assign(state, "GROUP", group["id"], role_type, ids.now_iso())
    events.record(
        state,
        req,
        "group.privilege.grant",
        "Grant group privilege",
        [group_target(group)],
        debug={"privilegeGranted": privileges(group_roles(state, group["id"]))},
    )
    return Response(201, present_role(assignment, req.base_url))


def read_group_role(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    found = _find(group_roles(state, group["id"]), params["roleAssignmentId"], "RoleAssignment")
    return Response(200, present_role(found, req.base_url))


def unassign_group_role(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    found = _find(group_roles(state, group["id"]), params["roleAssignmentId"], "RoleAssignment")
    assignments(state).remove(found)
    left = group_roles(state, group["id"])
    event_type = "group.privilege.grant" if left else "group.privilege.revoke"
    debug = (
        {"privilegeGranted": privileges(left)}
        if left
        else {"privilegeRevoked": STANDARD_ROLES[found["type"]][1]}
    )
    message = "Grant group privilege" if left else "Revoke group privilege"
    events.record(state, req, event_type, message, [group_target(group)], debug=debug)
    return Response(204)


R, RM = "okta.roles.read", "okta.roles.manage"
USER_ROLES, GROUP_ROLES = "/api/v1/users/{userId}/roles", "/api/v1/groups/{groupId}/roles"
ROUTES: list[Route] = [
    route("GET", USER_ROLES, list_user_roles, R, "/api/v1/users"),
    route("POST", USER_ROLES, assign_user_role, RM, "/api/v1/users", write=True),
    route("GET", f"{USER_ROLES}/{{roleAssignmentId}}", read_user_role, R, "/api/v1/users"),
    route(
        "DELETE",
        f"{USER_ROLES}/{{roleAssignmentId}}",
        unassign_user_role,
        RM,
        "/api/v1/users",
        write=True,
    ),
    route("GET", GROUP_ROLES, list_group_roles, R, "/api/v1/groups"),
    route("POST", GROUP_ROLES, assign_group_role, RM, "/api/v1/groups", write=True),
    route("GET", f"{GROUP_ROLES}/{{roleAssignmentId}}", read_group_role, R, "/api/v1/groups"),
    route(
        "DELETE",
        f"{GROUP_ROLES}/{{roleAssignmentId}}",
        unassign_group_role,
        RM,
        "/api/v1/groups",
        write=True,
    ),
]
