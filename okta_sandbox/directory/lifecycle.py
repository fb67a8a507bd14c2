"""User lifecycle (`/api/v1/users/{id}/lifecycle/...`) and session clearing.

Statuses follow Okta's user-status model: activating a `STAGED` or `DEPROVISIONED` user makes
them `ACTIVE` when they have a password, else `PROVISIONED` (they finish the welcome flow with
the activation link); `reactivate` restarts that flow for a `PROVISIONED` or `RECOVERY` user;
`suspend` needs `ACTIVE`, `unsuspend` needs `SUSPENDED`; any other status is 400 `E0000001`,
as Okta's error catalogue documents for suspend. Each transition logs its `user.lifecycle.*`
event with the user as target; activation and reactivation answer Okta's UserActivationToken
(`{}` when the email is sent, the link otherwise).
"""

from __future__ import annotations

import secrets
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.errors import OktaError
from okta_sandbox.core.routing import Request, Response, Route, State, route
from okta_sandbox.directory.routes import find_user, user_target
from okta_sandbox.logs import events

DEACTIVATABLE = {
    "ACTIVE",
    "SUSPENDED",
    "STAGED",
    "PROVISIONED",
    "RECOVERY",
    "LOCKED_OUT",
    "PASSWORD_EXPIRED",
}
# action -> (statuses it applies to, new status, event type, display message)
TRANSITIONS: dict[str, tuple[set[str], str, str, str]] = {
    "suspend": ({"ACTIVE"}, "SUSPENDED", "user.lifecycle.suspend", "Suspend Okta user"),
    "unsuspend": ({"SUSPENDED"}, "ACTIVE", "user.lifecycle.unsuspend", "Unsuspend Okta user"),
    "deactivate": (
        DEACTIVATABLE,
        "DEPROVISIONED",
        "user.lifecycle.deactivate",
        "Deactivate Okta user",
    ),
    "activate": (
        {"STAGED", "DEPROVISIONED"},
        "ACTIVE",
        "user.lifecycle.activate",
        "Activate Okta user",
    ),
    "reactivate": (
        {"PROVISIONED", "RECOVERY"},
        "PROVISIONED",
        "user.lifecycle.reactivate",
        "Reactivate Okta user",
    ),
}


def has_password(user: dict[str, Any]) -> bool:
    return "password" in (user.get("credentials") or {})  # Okta shows a set one as `{}`


def activated_status(user: dict[str, Any]) -> str:
    """Where activation leads: ACTIVE with a password, else PROVISIONED (welcome flow)."""
    return "ACTIVE" if has_password(user) else "PROVISIONED"


def transition(state: State, req: Request, user: dict[str, Any], action: str) -> None:
    """Apply `action` to `user` (checked) and log it."""
    allowed, new_status, event_type, message = TRANSITIONS[action]
    if user["status"] not in allowed:
        raise OktaError(
            "E0000001",
            f"{action}: the user is {user['status']}",
            [f"Cannot {action} a user that is {user['status']}"],
        )
    if action == "activate":
        new_status = activated_status(user)
    stamp = ids.now_iso()
    user.update(status=new_status, statusChanged=stamp, lastUpdated=stamp)
    if action == "activate":
        # PROVISIONED users show when they were activated too (recorded: POST /api/v1/users in
        # ../shared/okta/recordings/.../TestAccDataSourceOktaUser_SkipAdminRoles/oie-00 #1)
        user["activated"] = stamp
    if action == "deactivate":
        state["sessions"].pop(user["id"], None)
    events.record(state, req, event_type, message, [user_target(user)])


def _activation_token(req: Request, send_email_default: bool) -> dict[str, Any]:
    if req.flag("sendEmail", send_email_default):
        return {}
    token = secrets.token_urlsafe(15)[:20]
    return {
        "activationToken": token,
        "activationUrl": f"{req.base_url}/welcome/{token}",
    }


def _lifecycle(action: str) -> Any:
    def handler(req: Request, state: State, params: dict[str, str]) -> Response:
        user = find_user(state, params["userId"])
        transition(state, req, user, action)
        if action == "activate":
            return Response(200, _activation_token(req, send_email_default=True))
        if action == "reactivate":
            return Response(200, _activation_token(req, send_email_default=False))
        return Response(200)  # the spec: 200 with no body

    return handler


def clear_sessions(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    state["sessions"].pop(user["id"], None)
    events.record(state, req, "user.session.clear", "Clear user sessions", [user_target(user)])
    return Response(204)


UM, USERS = "okta.users.manage", "/api/v1/users"
LIFECYCLE = "/api/v1/users/{userId}/lifecycle"
ROUTES: list[Route] = [
    *(
        route("POST", f"{LIFECYCLE}/{action}", _lifecycle(action), UM, USERS, write=True)
        for action in TRANSITIONS
    ),
    route("DELETE", "/api/v1/users/{userId}/sessions", clear_sessions, UM, USERS, write=True),
]
