"""Groups, group members, users (with `/users/me`) and user lifecycle."""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.bodies import checked
from okta_sandbox.core.errors import OktaError, not_found, unchecked_body, validation
from okta_sandbox.core.filters import select, wanted_ids
from okta_sandbox.core.routing import (
    Request,
    Response,
    Route,
    State,
    href,
    lookup,
    paged_response,
    route,
)
from okta_sandbox.directory.membership import group_ids_of, is_admins_group, member_ids
from okta_sandbox.logs import events

GROUP_FIELDS = {"id", "type", "profile.name", "lastUpdated", "lastMembershipUpdated", "created"}
USER_FIELDS = {
    "id",
    "status",
    "lastUpdated",
    "created",
    "profile.login",
    "profile.email",
    "profile.firstName",
    "profile.lastName",
    "type.id",
}


def present_group(group: dict[str, Any], base: str) -> dict[str, Any]:
    path = f"/api/v1/groups/{group['id']}"
    body = dict(group)
    # two logo sizes (recorded: every group answer of the provider's cassettes)
    body["_links"] = {
        "logo": [
            {
                "name": size,
                "href": f"{base}/img/logos/groups/okta-{size}.png",
                "type": "image/png",
            }
            for size in ("medium", "large")
        ],
        "users": href(base, f"{path}/users"),
        "apps": href(base, f"{path}/apps"),
        # group owners, linked since late 2025 (recorded: POST /api/v1/groups in
        # TestAccResourceOktaAppSignOnPolicyRule_crud/oie-00)
        "owners": href(base, f"{path}/owners"),
    }
    return body


# The lifecycle links a user of each status offers (recorded for an Identity Engine org:
# TestAccDataSourceOktaUser_SkipAdminRoles/oie-00, TestAccResourceOktaUser_statusDeprovisioned/
# oie-00, and `resetFactors` since late 2025: TestAccResourceOktaAppSignOnPolicyRule_crud/oie-00;
# ACTIVE and SUSPENDED as Okta's API reference shows them). `schema` and `type` name the org's
# user type; a user in a list links only itself.
RESET_FACTORS = ("resetFactors", "lifecycle/reset_factors", "POST")
USER_LINKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "STAGED": (("activate", "lifecycle/activate", "POST"), RESET_FACTORS),
    "PROVISIONED": (
        ("suspend", "lifecycle/suspend", "POST"),
        ("resetPassword", "lifecycle/reset_password", "POST"),
        ("reactivate", "lifecycle/reactivate", "POST"),
        RESET_FACTORS,
        ("deactivate", "lifecycle/deactivate", "POST"),
    ),
    "ACTIVE": (
        ("suspend", "lifecycle/suspend", "POST"),
        ("resetPassword", "lifecycle/reset_password", "POST"),
        ("expirePassword", "lifecycle/expire_password", "POST"),
        RESET_FACTORS,
        ("deactivate", "lifecycle/deactivate", "POST"),
    ),
    "SUSPENDED": (
        ("unsuspend", "lifecycle/unsuspend", "POST"),
        ("deactivate", "lifecycle/deactivate", "POST"),
    ),
    "DEPROVISIONED": (
        ("activate", "lifecycle/activate", "POST"),
        RESET_FACTORS,
        ("delete", "", "DELETE"),
    ),
}


def present_user(user: dict[str, Any], base: str, listed: bool = False) -> dict[str, Any]:
    body = dict(user)
    path = f"/api/v1/users/{user['id']}"
    links: dict[str, Any] = {"self": href(base, path)}
    if not listed:
        for name, suffix, method in USER_LINKS.get(user["status"], ()):
            links[name] = {"href": f"{base}{path}/{suffix}".rstrip("/"), "method": method}
        type_id = str(user.get("type", {}).get("id", "oty"))
        links["schema"] = {"href": f"{base}/api/v1/meta/schemas/user/osc{type_id[3:]}"}
        links["type"] = {"href": f"{base}/api/v1/meta/types/user/{type_id}"}
    body["_links"] = links
    return body


def _search(req: Request, items: list[dict[str, Any]], fields: set[str]) -> list[dict[str, Any]]:
    items = select(items, req.arg("filter"), fields)
    return select(items, req.arg("search"))


def get_group(state: State, group_id: str) -> dict[str, Any]:
    return lookup(state["groups"], group_id, "UserGroup")


def find_user(state: State, key: str) -> dict[str, Any]:
    user = state["users"].get(key)
    if user is None:
        wanted = key.lower()
        user = next(
            (u for u in state["users"].values() if u["profile"]["login"].lower() == wanted), None
        )
    if user is None:
        raise not_found(f"Resource not found: {key} (User)")
    return user  # type: ignore[no-any-return]


def list_groups(req: Request, state: State, _: dict[str, str]) -> Response:
    groups = list(state["groups"].values())
    query = req.arg("q")
    if query:
        groups = [g for g in groups if g["profile"]["name"].lower().startswith(query.lower())]
    groups = _search(req, groups, GROUP_FIELDS)
    answer = paged_response(req, groups, lambda g: present_group(g, req.base_url), 10000, 10000)
    # a `q` search answers without a Link header (recorded: GET /api/v1/groups?q=...)
    answer.link_header = query is None
    return answer


def read_group(req: Request, state: State, params: dict[str, str]) -> Response:
    return Response(200, present_group(get_group(state, params["groupId"]), req.base_url))


def list_group_users(req: Request, state: State, params: dict[str, str]) -> Response:
    group = get_group(state, params["groupId"])
    if is_admins_group(group):
        # Reportedly not supported on Okta's own admins group (okta/terraform-provider-okta
        # issue #1845); the answer is UNCONFIRMED: the catalogue's "Unsupported operation"
        # (docs/sandbox.md, known differences). Its members follow the admin roles instead.
        raise OktaError("E0000060")
    # members and users are listed in id order (recorded: TestAccDataSourceOktaUsers_read,
    # TestAccDataSourceOktaUsers_readWithGroupId)
    members = sorted(
        (state["users"][uid] for uid in member_ids(state, group)),
        key=lambda user: str(user["id"]),
    )
    return paged_response(
        req, members, lambda u: present_user(u, req.base_url, listed=True), 1000, 1000
    )


# The event of a membership change: its display message is the catalogue's description of the
# type ("Add user to group membership.", "Remove user from group membership."), its targets the
# user and the group.
MEMBERSHIP_EVENTS = {
    True: ("group.user_membership.add", "Add user to group membership"),
    False: ("group.user_membership.remove", "Remove user from group membership"),
}


def _membership(add: bool) -> Any:
    def handler(req: Request, state: State, params: dict[str, str]) -> Response:
        group = get_group(state, params["groupId"])
        user = find_user(state, params["userId"])
        if group["type"] != "OKTA_GROUP":
            # "You only can modify memberships for groups of the OKTA_GROUP type" (the spec,
            # assignUserToGroup): Okta keeps its built-in groups, imports keep app groups.
            raise OktaError(
                "E0000006", causes=["Membership of a built-in group is managed by Okta"]
            )
        members = state["memberships"].setdefault(group["id"], [])
        if add and user["id"] not in members:
            members.append(user["id"])
        elif not add and user["id"] in members:
            members.remove(user["id"])
        group["lastMembershipUpdated"] = ids.now_iso()
        event_type, message = MEMBERSHIP_EVENTS[add]
        events.record(state, req, event_type, message, [user_target(user), group_target(group)])
        return Response(204)

    return handler


def _display(user: dict[str, Any]) -> str:
    return f"{user['profile'].get('firstName', '')} {user['profile'].get('lastName', '')}".strip()


def user_target(user: dict[str, Any]) -> dict[str, Any]:
    """A user as a System Log target."""
    return events.target(user["id"], "User", user["profile"]["login"], _display(user))


def group_target(group: dict[str, Any]) -> dict[str, Any]:
    """A group as a System Log target: named by `displayName`, its `alternateId` Okta's
    placeholder "unknown" (a real `group.application_assignment.add` event's UserGroup target:
    airbytehq/airbyte@4c0920edb771b75019e5983383a58023a5077026 airbyte-integrations/connectors/
    source-okta/unit_tests/test_streams.py, with its explicit nulls and legacy event type)."""
    return events.target(group["id"], "UserGroup", "unknown", group["profile"]["name"])


def list_users(req: Request, state: State, _: dict[str, str]) -> Response:
    by_id = wanted_ids(req.arg("search"))  # a lookup by ids: no scan of every user
    pool = state["users"].values() if by_id is None else _existing_with_ids(state["users"], by_id)
    users = sorted(pool, key=lambda user: str(user["id"]))
    query = req.arg("q")
    if query:
        wanted = query.lower()
        users = [
            u
            for u in users
            if any(
                str(u["profile"].get(k) or "").lower().startswith(wanted)
                for k in ("firstName", "lastName", "email", "login")
            )
        ]
    users = _search(req, users, USER_FIELDS)
    default = 10 if query else 200  # the spec: 200, or 10 when `q` is given
    return paged_response(
        req, users, lambda u: present_user(u, req.base_url, listed=True), default, 200
    )


def _existing_with_ids(users: dict[str, Any], wanted: frozenset[str]) -> list[dict[str, Any]]:
    return [users[user_id] for user_id in wanted if user_id in users]


def read_user(req: Request, state: State, params: dict[str, str]) -> Response:
    key = params["userId"]
    if key == "me":
        assert req.principal is not None
        if req.principal.actor_type != "User":
            raise not_found("User me")
        key = req.principal.actor_id
    return Response(200, present_user(find_user(state, key), req.base_url))


def list_user_groups(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    member_of = set(group_ids_of(state, user["id"]))
    groups = sorted(
        (g for g in state["groups"].values() if g["id"] in member_of),
        key=lambda group: str(group["id"]),  # in id order, as Okta lists them
    )
    return Response(200, [present_group(g, req.base_url) for g in groups])


def required_profile(body: dict[str, Any], field: str) -> dict[str, Any]:
    profile = body.get("profile")
    if not isinstance(profile, dict) or not profile.get(field):
        raise validation(f"profile.{field}", f"profile.{field}: The field cannot be left blank")
    return profile


def group_name(state: State, body: dict[str, Any], group_id: str | None = None) -> str:
    """The group name `body` sets: required, not another group's."""
    name = str(required_profile(body, "name")["name"])
    if any(g["profile"]["name"] == name and g["id"] != group_id for g in state["groups"].values()):
        raise validation("profile.name", "profile.name: Group name already exists")
    return name


USER_NAME_FIELDS = ("login", "firstName", "lastName")  # required by Okta's default profile schema


def user_fields(state: State, body: dict[str, Any], user_id: str | None = None) -> dict[str, Any]:
    """The user profile `body` sets: login, first and last name required (Okta's default user
    profile schema), the login not another user's."""
    profile = required_profile(body, "login")
    if not all(isinstance(profile.get(field, ""), str) for field in USER_NAME_FIELDS):
        raise unchecked_body()
    login = profile["login"].lower()
    if any(
        u["profile"]["login"].lower() == login and u["id"] != user_id
        for u in state["users"].values()
    ):
        raise validation("login", "login: An object with this field already exists")
    for field in USER_NAME_FIELDS[1:]:
        required_profile(body, field)
    return profile


def password_given(body: dict[str, Any]) -> bool:
    credentials = body.get("credentials")
    password = credentials.get("password") if isinstance(credentials, dict) else None
    return isinstance(password, dict) and bool(password.get("value"))


def create_group(req: Request, state: State, _: dict[str, str]) -> Response:
    body = checked(req, req.json())
    name = group_name(state, body)
    from okta_sandbox.seeds.objects import new_group

    description = body["profile"].get("description")
    group = new_group(
        name, ids.now_iso(), description=description if isinstance(description, str) else None
    )
    state["groups"][group["id"]] = group
    events.record(
        state,
        req,
        "group.lifecycle.create",
        "Create Okta group",
        [group_target(group)],
    )
    return Response(200, present_group(group, req.base_url))


def create_user(req: Request, state: State, _: dict[str, str]) -> Response:
    """Okta's user-creation scenarios: STAGED with `activate=false`; otherwise created and
    activated (two events), ACTIVE with a password, PROVISIONED without one."""
    from okta_sandbox.directory.lifecycle import transition
    from okta_sandbox.seeds.objects import make_user

    body = checked(req, req.json())
    profile = user_fields(state, body)
    user = make_user(
        state,
        profile["login"],
        profile.get("firstName", ""),
        profile.get("lastName", ""),
        active=False,
        profile=profile,
    )
    if not password_given(body):
        user["credentials"].pop("password", None)  # no password: the welcome flow sets one
    events.record(state, req, "user.lifecycle.create", "Create Okta user", [user_target(user)])
    if req.flag("activate", True):
        transition(state, req, user, "activate")
    return Response(200, present_user(user, req.base_url))


G, U = "okta.groups.read", "okta.users.read"
GM, UM = "okta.groups.manage", "okta.users.manage"
GROUPS, USERS = "/api/v1/groups", "/api/v1/users"
MEMBER = "/api/v1/groups/{groupId}/users/{userId}"
ROUTES: list[Route] = [
    route("GET", "/api/v1/groups", list_groups, G, GROUPS),
    route("POST", "/api/v1/groups", create_group, GM, GROUPS, write=True),
    route("GET", "/api/v1/groups/{groupId}", read_group, G, GROUPS),
    route("GET", "/api/v1/groups/{groupId}/users", list_group_users, G, GROUPS),
    route("PUT", MEMBER, _membership(True), GM, GROUPS, write=True),
    route("DELETE", MEMBER, _membership(False), GM, GROUPS, write=True),
    route("GET", "/api/v1/users", list_users, U, USERS),
    route("POST", "/api/v1/users", create_user, UM, USERS, write=True),
    route("GET", "/api/v1/users/{userId}", read_user, U, USERS),
    route("GET", "/api/v1/users/{userId}/groups", list_user_groups, U, USERS),
]
