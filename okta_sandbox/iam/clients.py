"""Admin roles of OAuth service apps (`/oauth2/v1/clients/{clientId}/roles`): standard roles
only, `assignmentType: CLIENT`, the assignee link naming the client (recorded:
`TestAccResourceOktaAppOAuthRoleAssignment_basic`: 201 on POST, ids as for a user's roles,
`_links.assignee.href` = `/oauth2/v1/clients/{clientId}`). An OIDC app's client id is its app id;
the client is any `oidc_client` app, or a service app registered for OAuth.

System Log: `app.oauth2.client.privilege.grant` (the privileges the client now holds) and
`.revoke` when none is left.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.errors import not_found, validation
from okta_sandbox.core.routing import Request, Response, Route, State, route
from okta_sandbox.directory.roles import (
    find_assignment,
    grant,
    log_privileges,
    own_roles,
    present_role,
    requested_role,
    revoke,
)
from okta_sandbox.logs import events


def find_client(state: State, client_id: str) -> dict[str, Any]:
    app = state["apps"].get(client_id)
    if app is not None and app.get("name") == "oidc_client":
        return {"id": client_id, "label": app["label"]}
    client = state["oauth_clients"].get(client_id)
    if client is not None:
        return {"id": client_id, "label": client.get("name", client_id)}
    raise not_found(f"Client {client_id}")


def _target(client: dict[str, Any]) -> dict[str, Any]:
    return events.target(client["id"], "AppInstance", client["label"], client["label"])


def _log_privileges(
    state: State, req: Request, client: dict[str, Any], revoked: dict[str, Any] | None = None
) -> None:
    kind = ("app.oauth2.client", "client", _target(client))
    log_privileges(state, req, kind, own_roles(state, "CLIENT", client["id"]), revoked)


def list_client_roles(req: Request, state: State, params: dict[str, str]) -> Response:
    client = find_client(state, params["clientId"])
    held = own_roles(state, "CLIENT", client["id"])
    return Response(200, [present_role(state, a, req.base_url) for a in held])


def assign_client_role(req: Request, state: State, params: dict[str, str]) -> Response:
    client = find_client(state, params["clientId"])
    wanted = requested_role(req)
    if wanted["type"] == "CUSTOM":
        raise validation("type", "type: the sandbox assigns only standard roles to clients")
    assignment = grant(state, "CLIENT", client["id"], wanted, ids.now_iso())
    _log_privileges(state, req, client)
    return Response(201, present_role(state, assignment, req.base_url))


def read_client_role(req: Request, state: State, params: dict[str, str]) -> Response:
    client = find_client(state, params["clientId"])
    found = find_assignment(
        own_roles(state, "CLIENT", client["id"]), params["roleAssignmentId"], "Role"
    )
    return Response(200, present_role(state, found, req.base_url))


def unassign_client_role(req: Request, state: State, params: dict[str, str]) -> Response:
    client = find_client(state, params["clientId"])
    found = find_assignment(
        own_roles(state, "CLIENT", client["id"]), params["roleAssignmentId"], "Role"
    )
    revoke(state, found)
    _log_privileges(state, req, client, revoked=found)
    return Response(204)


R, RM, BUCKET = "okta.roles.read", "okta.roles.manage", "/oauth2/v1/clients"
ROLES = "/oauth2/v1/clients/{clientId}/roles"
ROUTES: list[Route] = [
    route("GET", ROLES, list_client_roles, R, BUCKET),
    route("POST", ROLES, assign_client_role, RM, BUCKET, write=True),
    route("GET", f"{ROLES}/{{roleAssignmentId}}", read_client_role, R, BUCKET),
    route("DELETE", f"{ROLES}/{{roleAssignmentId}}", unassign_client_role, RM, BUCKET, write=True),
]
