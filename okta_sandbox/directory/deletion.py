"""Deleting users and groups (`DELETE /api/v1/users/{id}`, `DELETE /api/v1/groups/{id}`).

Okta deletes a user in two calls: the first deactivates a user who is not `DEPROVISIONED`
(as `lifecycle/deactivate` does), the second deletes them; both answer 204 with no body
(Okta's API reference; recorded: every DELETE /api/v1/users/{id} of the provider's cassettes,
e.g. TestAccResourceOktaAdminRoleTargets_crud/oie-00, after a deactivate). A deleted user or
group leaves everything that pointed at it: group memberships, admin-role assignments, bindings
of custom roles, factors, sessions; a user's API tokens are revoked. Policy rules that name
them keep the id (the sandbox does not rewrite policies). Okta's built-in groups ("Everyone",
"Okta Administrators") cannot be deleted: 403 `E0000006` (UNCONFIRMED: the status and code for
that refusal are not recorded).
"""

from __future__ import annotations

from okta_sandbox.core.errors import OktaError
from okta_sandbox.core.routing import Request, Response, Route, State, route
from okta_sandbox.directory import roles
from okta_sandbox.directory.lifecycle import transition
from okta_sandbox.directory.routes import find_user, get_group, group_target, user_target
from okta_sandbox.logs import events
from okta_sandbox.tokens import routes as tokens


def delete_user(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    if user["status"] != "DEPROVISIONED":
        transition(state, req, user, "deactivate")
        return Response(204)
    _forget(state, "USER", user["id"])
    for member_ids in state["memberships"].values():
        while user["id"] in member_ids:
            member_ids.remove(user["id"])
    state.get("factors", {}).pop(user["id"], None)
    state["sessions"].pop(user["id"], None)
    for token in [t for t in state["api_tokens"].values() if t["userId"] == user["id"]]:
        tokens.revoke(state, req, token)
    del state["users"][user["id"]]
    events.record(
        state, req, "user.lifecycle.delete.initiated", "Delete Okta user", [user_target(user)]
    )
    return Response(204)


def delete_group(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    if group.get("type") == "BUILT_IN":
        raise OktaError("E0000006")
    _forget(state, "GROUP", group["id"])
    state["memberships"].pop(group["id"], None)
    del state["groups"][group["id"]]
    events.record(state, req, "group.lifecycle.delete", "Delete Okta group", [group_target(group)])
    return Response(204)


def _forget(state: State, kind: str, assignee_id: str) -> None:
    """Drop `kind` `assignee_id`'s admin roles: standard assignments and custom-role bindings."""
    for assignment in roles.own_roles(state, kind, assignee_id):
        roles.revoke(state, assignment)


GM, UM = "okta.groups.manage", "okta.users.manage"
ROUTES: list[Route] = [
    route("DELETE", "/api/v1/users/{userId}", delete_user, UM, "/api/v1/users", write=True),
    route("DELETE", "/api/v1/groups/{groupId}", delete_group, GM, "/api/v1/groups", write=True),
]
