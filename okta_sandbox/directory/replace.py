"""Replacing a group's or a user's profile (`PUT /api/v1/groups/{id}`, `PUT /api/v1/users/{id}`):
a replace, so what the body leaves out is gone; 200 with the object, as recorded."""

from __future__ import annotations

from okta_sandbox.core import ids
from okta_sandbox.core.bodies import checked
from okta_sandbox.core.errors import OktaError
from okta_sandbox.core.routing import Request, Response, Route, State, route
from okta_sandbox.directory.routes import (
    find_user,
    get_group,
    group_name,
    group_target,
    password_given,
    present_group,
    present_user,
    user_fields,
    user_target,
)
from okta_sandbox.logs import events
from okta_sandbox.seeds.objects import user_profile


def replace_group(req: Request, state: State, params: dict[str, str]) -> Response:
    """PUT replaces an Okta group's profile (recorded: TestAccResourceOktaGroup_crud/oie-00 #5,
    200 with the group); Okta's built-in and app groups are not the API's to rename: 403
    `E0000006` (UNCONFIRMED)."""
    group = get_group(state, params["groupId"])
    if group.get("type") != "OKTA_GROUP":
        raise OktaError("E0000006")
    body = checked(req, req.json())
    name = group_name(state, body, group["id"])
    description = body["profile"].get("description")
    group["profile"] = {"name": name}
    if isinstance(description, str):
        group["profile"]["description"] = description
    group["lastUpdated"] = ids.now_iso()
    events.record(
        state, req, "group.profile.update", "Update Okta group profile", [group_target(group)]
    )
    return Response(200, present_group(group, req.base_url))


def replace_user(req: Request, state: State, params: dict[str, str]) -> Response:
    """PUT replaces a user's profile (recorded: TestAccResourceOktaUser_loginUpdates/oie-00 #4,
    a new login and email, 200 with the user); a password in `credentials` is set. The status
    and the other credentials stay."""
    user = find_user(state, params["userId"])
    body = checked(req, req.json())
    profile = user_fields(state, body, user["id"])
    user["profile"] = user_profile(
        profile["login"], profile["firstName"], profile["lastName"], profile
    )
    if password_given(body):
        user["credentials"] = {"password": {}, **user["credentials"]}
    user["lastUpdated"] = ids.now_iso()
    events.record(
        state,
        req,
        "user.account.update_profile",
        "Update user profile for Okta",
        [user_target(user)],
    )
    return Response(200, present_user(user, req.base_url))


GM, UM = "okta.groups.manage", "okta.users.manage"
ROUTES: list[Route] = [
    route("PUT", "/api/v1/groups/{groupId}", replace_group, GM, "/api/v1/groups", write=True),
    route("PUT", "/api/v1/users/{userId}", replace_user, UM, "/api/v1/users", write=True),
]
