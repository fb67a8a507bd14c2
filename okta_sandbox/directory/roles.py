"""Admin role assignments of users and groups (`/api/v1/users/{userId}/roles`,
`/api/v1/groups/{groupId}/roles`): standard roles, and custom roles (a membership of a
resource-set binding, `iam/store.py`) shown as Okta shows them (type CUSTOM).

Standard assignments live in `state["role_assignments"]`, a list of `{id, type, assigneeType,
assigneeId, created, lastUpdated}` (created on first use; assigneeType USER, GROUP or CLIENT,
the last for OAuth service apps: `iam/clients.py`). Shapes follow Okta's StandardRole and
CustomRole and what the provider's recordings show
(`/work/shared/okta/recordings/terraform-provider-okta/idaas/TestAccResourceOktaUserAdminRoles_crud`,
`TestAccResourceOktaGroupRole_admin_crud`):

- assignment ids: a standard role assigned to a user gets the base32 of its type without padding
  (`APP_ADMIN` -> `IFIFAX2BIRGUSTQ`), except `SUPER_ADMIN` (an opaque `ra1...`); a group's
  assignment gets `gra...`, except `APP_ADMIN` (base32 again): ids repeat across assignees; a
  custom role's id is its binding member's (`irb...`);
- `POST .../roles` answers 201 with the assignment (for groups too, although the spec documents
  the body on 200: see spec/exceptions.py); `{"type": "CUSTOM", "role", "resource-set"}` adds the
  assignee to that binding;
- a user's list includes the roles of their groups (`assignmentType: GROUP`, `_links.assignee`
  naming the group), as the spec's example StandardAndCustomRolesListResponse shows;
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
from okta_sandbox.directory.membership import stored_groups_of
from okta_sandbox.directory.routes import find_user, get_group, group_target, user_target
from okta_sandbox.facts import BUILT_IN_GROUP
from okta_sandbox.iam.store import (
    bind,
    custom_assignments,
    get_resource_set,
    get_role,
    iam,
    present_custom,
)
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
    if assignee_type in ("USER", "CLIENT"):  # a client's: base32 too (recorded HELP_DESK_ADMIN)
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


def present_role(state: State, assignment: dict[str, Any], base: str) -> dict[str, Any]:
    if assignment["type"] == "CUSTOM":
        return present_custom(state, assignment["binding"], base)
    kind = {"USER": "users", "GROUP": "groups"}.get(assignment["assigneeType"])
    assignee = (
        f"/api/v1/{kind}/{assignment['assigneeId']}"
        if kind
        else f"/oauth2/v1/clients/{assignment['assigneeId']}"
    )
    return {
        "id": assignment["id"],
        "label": STANDARD_ROLES[assignment["type"]][0],
        "type": assignment["type"],
        "status": "ACTIVE",
        "created": assignment["created"],
        "lastUpdated": assignment["lastUpdated"],
        "assignmentType": assignment["assigneeType"],
        "_links": {"assignee": href(base, assignee)},
    }


def _custom(state: State, kind: str, assignee_ids: set[str]) -> list[dict[str, Any]]:
    """Binding memberships as assignments (type CUSTOM; the binding kept for presenting)."""
    return [
        {
            "id": found["member"]["id"],
            "type": "CUSTOM",
            "label": iam(state)["roles"][found["role"]]["label"],
            "assigneeType": kind,
            "assigneeId": found["member"]["assigneeId"],
            "binding": found,
        }
        for found in custom_assignments(state, kind, assignee_ids)
    ]


def groups_of(state: State, user_id: str) -> list[str]:
    """The groups whose roles a user inherits: the groups they were added to (the admins group,
    derived from roles, holds none: a built-in group cannot be granted one)."""
    return stored_groups_of(state, user_id)


def own_roles(state: State, kind: str, assignee_id: str) -> list[dict[str, Any]]:
    """The standard and custom roles assigned to the assignee itself."""
    standard = [
        a for a in assignments(state) if (a["assigneeType"], a["assigneeId"]) == (kind, assignee_id)
    ]
    return standard + (_custom(state, kind, {assignee_id}) if kind != "CLIENT" else [])


def user_roles(state: State, user_id: str) -> list[dict[str, Any]]:
    """The user's own assignments, then those of the groups they belong to."""
    groups = set(groups_of(state, user_id))
    inherited = [
        a for a in assignments(state) if a["assigneeType"] == "GROUP" and a["assigneeId"] in groups
    ]
    return own_roles(state, "USER", user_id) + inherited + _custom(state, "GROUP", groups)


def group_roles(state: State, group_id: str) -> list[dict[str, Any]]:
    return own_roles(state, "GROUP", group_id)


def role_name(assignment: dict[str, Any]) -> str:
    """How the System Log names a privilege (a custom role by its label)."""
    if assignment["type"] == "CUSTOM":
        return str(assignment["label"])
    return STANDARD_ROLES[assignment["type"]][1]


def privileges(roles: list[dict[str, Any]]) -> str:
    """The `privilegeGranted` text: every privilege held, once, in assignment order."""
    return ", ".join(dict.fromkeys(role_name(a) for a in roles))


def log_privileges(
    state: State,
    req: Request,
    kind: tuple[str, str, dict[str, Any]],
    held: list[dict[str, Any]],
    revoked: dict[str, Any] | None = None,
) -> None:
    """`<prefix>.privilege.grant` listing every privilege the assignee now holds (`held`), or
    `.revoke` when a removal (`revoked`) left none. `kind`: the event prefix, the noun of the
    message and the event target (USER_EVENTS, GROUP_EVENTS, CLIENT_EVENTS)."""
    prefix, noun, target = kind
    if held or revoked is None:
        event_type, message = f"{prefix}.privilege.grant", f"Grant {noun} privilege"
        debug = {"privilegeGranted": privileges(held)}
    else:
        event_type, message = f"{prefix}.privilege.revoke", f"Revoke {noun} privilege"
        debug = {"privilegeRevoked": role_name(revoked)}
    events.record(state, req, event_type, message, [target], debug=debug)


def log_user_privileges(
    state: State, req: Request, user: dict[str, Any], revoked: dict[str, Any] | None = None
) -> None:
    """`user.account.privilege.grant` listing every privilege the user now holds, or `.revoke`
    when a removal (`revoked`) left none."""
    kind = ("user.account", "user", user_target(user))
    log_privileges(state, req, kind, user_roles(state, user["id"]), revoked)


def log_group_privileges(
    state: State, req: Request, group: dict[str, Any], revoked: dict[str, Any] | None = None
) -> None:
    """`group.privilege.grant` / `.revoke`, as for users."""
    kind = ("group", "group", group_target(group))
    log_privileges(state, req, kind, group_roles(state, group["id"]), revoked)


def requested_role(req: Request) -> dict[str, Any]:
    """The role a POST asks for: `{"type"}` of a standard role, or the CUSTOM form."""
    body = checked(req, req.json())
    role_type = body.get("type")
    if role_type == "CUSTOM":
        if not body.get("role") or not body.get("resource-set"):
            raise validation("role", "role: a CUSTOM role needs 'role' and 'resource-set'")
        return {"type": "CUSTOM", "role": body["role"], "resource-set": body["resource-set"]}
    if role_type not in STANDARD_ROLES:
        raise validation("type", f"type: '{role_type}' is not a valid role type")
    return {"type": str(role_type)}


def _duplicate(role_type: str) -> OktaError:
    return OktaError(
        "E0000090", causes=[f"The role {role_type} is already assigned to the assignee"]
    )


def grant(
    state: State, kind: str, assignee_id: str, wanted: dict[str, Any], stamp: str
) -> dict[str, Any]:
    """Assign `wanted` (from `requested_role`) to the assignee; 409 when it already holds it."""
    own = own_roles(state, kind, assignee_id)
    if wanted["type"] != "CUSTOM":
        if any(a["type"] == wanted["type"] for a in own):
            raise _duplicate(wanted["type"])
        return assign(state, kind, assignee_id, wanted["type"], stamp)
    role = get_role(state, str(wanted["role"]))
    resource_set = get_resource_set(state, str(wanted["resource-set"]))
    held = {(a["binding"]["role"], a["binding"]["resourceSet"]) for a in own if "binding" in a}
    if (role["id"], resource_set["id"]) in held:
        raise _duplicate(role["label"])
    bind(state, resource_set["id"], role["id"], kind, assignee_id, stamp)
    return next(
        a
        for a in own_roles(state, kind, assignee_id)
        if a.get("binding", {}).get("role") == role["id"]
        and a["binding"]["resourceSet"] == resource_set["id"]
    )


def revoke(state: State, assignment: dict[str, Any]) -> None:
    if assignment["type"] != "CUSTOM":
        assignments(state).remove(assignment)
        return
    found = assignment["binding"]
    members = iam(state)["bindings"][found["resourceSet"]][found["role"]]
    members.remove(found["member"])
    if not members:
        del iam(state)["bindings"][found["resourceSet"]][found["role"]]


def list_user_roles(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    held = user_roles(state, user["id"])
    return Response(200, [present_role(state, a, req.base_url) for a in held])


def assign_user_role(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    assignment = grant(state, "USER", user["id"], requested_role(req), ids.now_iso())
    log_user_privileges(state, req, user)
    return Response(201, present_role(state, assignment, req.base_url))


def find_assignment(
    roles: list[dict[str, Any]], assignment_id: str, kind: str = "RoleAssignment"
) -> dict[str, Any]:
    found = next((a for a in roles if a["id"] == assignment_id), None)
    if found is None:
        raise not_found(f"Resource not found: {assignment_id} ({kind})")
    return found


def read_user_role(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    found = find_assignment(user_roles(state, user["id"]), params["roleAssignmentId"])
    return Response(200, present_role(state, found, req.base_url))


def unassign_user_role(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    own = own_roles(state, "USER", user["id"])
    found = find_assignment(own, params["roleAssignmentId"])
    revoke(state, found)
    log_user_privileges(state, req, user, revoked=found)
    return Response(204)


def list_group_roles(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    held = group_roles(state, group["id"])
    return Response(200, [present_role(state, a, req.base_url) for a in held])


def assign_group_role(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    if group["type"] == BUILT_IN_GROUP:  # Okta's error catalogue: E0000211 (400)
        raise OktaError("E0000211", group["profile"]["name"])
    assignment = grant(state, "GROUP", group["id"], requested_role(req), ids.now_iso())
    log_group_privileges(state, req, group)
    return Response(201, present_role(state, assignment, req.base_url))


def read_group_role(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    found = find_assignment(group_roles(state, group["id"]), params["roleAssignmentId"])
    return Response(200, present_role(state, found, req.base_url))


def unassign_group_role(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    found = find_assignment(group_roles(state, group["id"]), params["roleAssignmentId"])
    revoke(state, found)
    log_group_privileges(state, req, group, revoked=found)
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
