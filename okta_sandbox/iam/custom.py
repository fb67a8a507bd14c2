"""Custom admin roles (`/api/v1/iam/roles`), resource sets (`/api/v1/iam/resource-sets`) and
their bindings: a binding grants one role over one resource set to members (users or groups).

State: `iam/store.py`. Shapes follow Okta's spec (IamRole, ResourceSet, ResourceSetBindings,
ResourceSetBindingMembers and their examples) and the recorded custom role
(`TestAccResourceOktaAdminRoleCustom_crud`):

- lists page in the body (`_links.next`), never in a Link header, as every `/iam` list does;
- a binding member's id (`irb…`) is what a user's role list shows as the CUSTOM assignment's id
  (the spec's StandardAndCustomRolesListResponse), with `role`, `resource-set` and the links
  `member`, `role`, `resource-set`, `permissions`;
- Okta puts its `-admin` host in these links; the sandbox has one host and uses it.

System Log: `iam.role.create`, `iam.resourceset.create`, `iam.resourceset.bindings.add` (a
binding created or members added) and `iam.resourceset.bindings.delete`; a user granted a role
through a binding also gets `user.account.privilege.grant`, as for any other role.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.bodies import checked
from okta_sandbox.core.errors import OktaError, not_found, validation
from okta_sandbox.core.routing import Request, Response, Route, State, href, route
from okta_sandbox.directory.roles import log_user_privileges
from okta_sandbox.iam.store import (
    add_resource_set,
    add_role,
    bind,
    get_resource_set,
    get_role,
    iam,
)
from okta_sandbox.logs import events

IAM_PAGE = 100  # the spec: lists of bindings and members page beyond 100


# ---- presentation ------------------------------------------------------------------------------


def _present_role(role: dict[str, Any], base: str) -> dict[str, Any]:
    path = f"/api/v1/iam/roles/{role['id']}"
    body = {k: role[k] for k in ("id", "label", "description", "created", "lastUpdated")}
    body["_links"] = {"self": href(base, path), "permissions": href(base, f"{path}/permissions")}
    return body


def _present_set(resource_set: dict[str, Any], base: str) -> dict[str, Any]:
    path = f"/api/v1/iam/resource-sets/{resource_set['id']}"
    body = {k: resource_set[k] for k in ("id", "label", "description", "created", "lastUpdated")}
    body["_links"] = {
        "self": href(base, path),
        "resources": href(base, f"{path}/resources"),
        "bindings": href(base, f"{path}/bindings"),
    }
    return body


def _present_member(member: dict[str, Any], base: str) -> dict[str, Any]:
    kind = "users" if member["assigneeType"] == "USER" else "groups"
    return {
        "id": member["id"],
        "created": member["created"],
        "lastUpdated": member["lastUpdated"],
        "_links": {"self": href(base, f"/api/v1/{kind}/{member['assigneeId']}")},
    }


def body_page(
    req: Request, items: list[dict[str, Any]], path: str, limit: int = IAM_PAGE
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The page `after` asks for, and the `next` link (in the body, as `/iam` lists page)."""
    after = req.arg("after")
    start = 0
    if after:
        positions = [i for i, item in enumerate(items) if item["id"] == after]
        if not positions:
            raise OktaError("E0000029", causes=[f"after: Invalid cursor '{after}'"])
        start = positions[0] + 1
    page = items[start : start + limit]
    if start + limit >= len(items) or not page:
        return page, None
    return page, href(req.base_url, f"{path}?after={page[-1]['id']}&limit={limit}")


# ---- handlers ----------------------------------------------------------------------------------


def list_roles(req: Request, state: State, _: dict[str, str]) -> Response:
    roles = sorted(iam(state)["roles"].values(), key=lambda r: r["id"])
    page, following = body_page(req, roles, "/api/v1/iam/roles", req.int_arg("limit", 100, 100))
    links = {"next": following} if following else {}
    return Response(200, {"roles": [_present_role(r, req.base_url) for r in page], "_links": links})


def create_role(req: Request, state: State, _: dict[str, str]) -> Response:
    body = checked(req, req.json())
    role = add_role(
        state,
        str(body["label"]),
        str(body["description"]),
        [str(p) for p in body.get("permissions") or []],
        ids.now_iso(),
    )
    target = events.target(role["id"], "ROLE", role["label"], role["label"])
    events.record(state, req, "iam.role.create", "Create custom role", [target])
    return Response(200, _present_role(role, req.base_url))


def read_role(req: Request, state: State, params: dict[str, str]) -> Response:
    return Response(200, _present_role(get_role(state, params["roleIdOrLabel"]), req.base_url))


def list_resource_sets(req: Request, state: State, _: dict[str, str]) -> Response:
    sets = sorted(iam(state)["resource_sets"].values(), key=lambda s: s["id"])
    page, following = body_page(req, sets, "/api/v1/iam/resource-sets")
    links = {"next": following} if following else {}
    shown = [_present_set(s, req.base_url) for s in page]
    return Response(200, {"resource-sets": shown, "_links": links})


def create_resource_set(req: Request, state: State, _: dict[str, str]) -> Response:
    body = checked(req, req.json())
    resource_set = add_resource_set(
        state,
        str(body["label"]),
        str(body["description"]),
        [str(r) for r in body.get("resources") or []],
        ids.now_iso(),
    )
    label = resource_set["label"]
    target = events.target(resource_set["id"], "RESOURCE_SET", label, label)
    events.record(state, req, "iam.resourceset.create", "Create resource set", [target])
    return Response(200, _present_set(resource_set, req.base_url))


def read_resource_set(req: Request, state: State, params: dict[str, str]) -> Response:
    resource_set = get_resource_set(state, params["resourceSetIdOrLabel"])
    return Response(200, _present_set(resource_set, req.base_url))


def _binding(state: State, params: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    resource_set = get_resource_set(state, params["resourceSetIdOrLabel"])
    role = get_role(state, params["roleIdOrLabel"])
    if role["id"] not in iam(state)["bindings"].get(resource_set["id"], {}):
        raise not_found(f"Binding {role['id']}")
    return resource_set, role


def list_bindings(req: Request, state: State, params: dict[str, str]) -> Response:
    resource_set = get_resource_set(state, params["resourceSetIdOrLabel"])
    path = f"/api/v1/iam/resource-sets/{resource_set['id']}"
    roles = [{"id": r} for r in iam(state)["bindings"].get(resource_set["id"], {})]
    page, following = body_page(req, roles, f"{path}/bindings")
    shown = [
        {
            "id": r["id"],
            "_links": {
                "self": href(req.base_url, f"/api/v1/iam/roles/{r['id']}"),
                "members": href(req.base_url, f"{path}/bindings/{r['id']}/members"),
            },
        }
        for r in page
    ]
    links = {
        "self": href(req.base_url, f"{path}/bindings"),
        "resource-set": href(req.base_url, path),
    }
    if following:
        links["next"] = following
    return Response(200, {"roles": shown, "_links": links})


def _assignee(state: State, url: str) -> tuple[str, dict[str, Any]]:
    """The user or group a member href names (`.../api/v1/users/{id}` or `/groups/{id}`)."""
    parts = url.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] in ("users", "groups"):
        table = state["users"] if parts[-2] == "users" else state["groups"]
        found = table.get(parts[-1])
        if found is not None:
            return ("USER" if parts[-2] == "users" else "GROUP"), found
    raise validation("members", f"members: '{url}' is not a user or group of this org")


def _add_members(
    req: Request, state: State, resource_set: dict[str, Any], role: dict[str, Any], urls: list[Any]
) -> None:
    if not urls:
        raise validation("members", "members: at least one user or group is required")
    found = [_assignee(state, str(url)) for url in urls]
    stamp = ids.now_iso()
    targets = [events.target(role["id"], "ROLE", role["label"], role["label"])]
    for kind, assignee in found:
        bind(state, resource_set["id"], role["id"], kind, assignee["id"], stamp)
        name = assignee["profile"]["login" if kind == "USER" else "name"]
        targets.append(
            events.target(assignee["id"], "User" if kind == "USER" else "UserGroup", name, name)
        )
    label = resource_set["label"]
    targets.append(events.target(resource_set["id"], "RESOURCE_SET", label, label))
    events.record(state, req, "iam.resourceset.bindings.add", "Add assignment", targets)
    for kind, assignee in found:
        if kind == "USER":
            log_user_privileges(state, req, assignee)


def _edit_response(req: Request, resource_set: dict[str, Any], role: dict[str, Any]) -> Response:
    path = f"/api/v1/iam/resource-sets/{resource_set['id']}"
    links = {
        "self": href(req.base_url, f"{path}/bindings/{role['id']}"),
        "bindings": href(req.base_url, f"{path}/bindings"),
        "resource-set": href(req.base_url, path),
    }
    return Response(200, {"_links": links})


def create_binding(req: Request, state: State, params: dict[str, str]) -> Response:
    resource_set = get_resource_set(state, params["resourceSetIdOrLabel"])
    body = checked(req, req.json())
    role = get_role(state, str(body.get("role", "")))
    _add_members(req, state, resource_set, role, list(body.get("members") or []))
    return _edit_response(req, resource_set, role)


def read_binding(req: Request, state: State, params: dict[str, str]) -> Response:
    resource_set, role = _binding(state, params)
    path = f"/api/v1/iam/resource-sets/{resource_set['id']}"
    links = {
        "self": href(req.base_url, f"{path}/bindings/{role['id']}"),
        "members": href(req.base_url, f"{path}/bindings/{role['id']}/members"),
        "resource-set": href(req.base_url, path),
    }
    return Response(200, {"id": role["id"], "_links": links})


def delete_binding(req: Request, state: State, params: dict[str, str]) -> Response:
    resource_set, role = _binding(state, params)
    members = iam(state)["bindings"][resource_set["id"]].pop(role["id"])
    _log_removal(req, state, resource_set, role, members)
    return Response(204)


def list_members(req: Request, state: State, params: dict[str, str]) -> Response:
    resource_set, role = _binding(state, params)
    members = iam(state)["bindings"][resource_set["id"]][role["id"]]
    binding = f"/api/v1/iam/resource-sets/{resource_set['id']}/bindings/{role['id']}"
    page, following = body_page(req, members, f"{binding}/members")
    links = {
        "self": href(req.base_url, f"{binding}/members"),
        "binding": href(req.base_url, binding),
    }
    if following:
        links["next"] = following
    shown = [_present_member(m, req.base_url) for m in page]
    return Response(200, {"members": shown, "_links": links})


def add_members(req: Request, state: State, params: dict[str, str]) -> Response:
    resource_set, role = _binding(state, params)
    body = checked(req, req.json())
    _add_members(req, state, resource_set, role, list(body.get("additions") or []))
    return _edit_response(req, resource_set, role)


def _member(state: State, params: dict[str, str]) -> tuple[Any, Any, list[Any], dict[str, Any]]:
    resource_set, role = _binding(state, params)
    members = iam(state)["bindings"][resource_set["id"]][role["id"]]
    member = next((m for m in members if m["id"] == params["memberId"]), None)
    if member is None:
        raise not_found(f"Member {params['memberId']}")
    return resource_set, role, members, member


def read_member(req: Request, state: State, params: dict[str, str]) -> Response:
    member = _member(state, params)[3]
    return Response(200, _present_member(member, req.base_url))


def delete_member(req: Request, state: State, params: dict[str, str]) -> Response:
    resource_set, role, members, member = _member(state, params)
    members.remove(member)
    if not members:  # Okta keeps no empty binding
        del iam(state)["bindings"][resource_set["id"]][role["id"]]
    _log_removal(req, state, resource_set, role, [member])
    return Response(204)


def _log_removal(
    req: Request,
    state: State,
    resource_set: dict[str, Any],
    role: dict[str, Any],
    members: list[dict[str, Any]],
) -> None:
    label = resource_set["label"]
    targets = [
        events.target(role["id"], "ROLE", role["label"], role["label"]),
        events.target(resource_set["id"], "RESOURCE_SET", label, label),
    ]
    events.record(state, req, "iam.resourceset.bindings.delete", "Delete assignment", targets)
    for member in members:
        user = (
            state["users"].get(member["assigneeId"]) if member["assigneeType"] == "USER" else None
        )
        if user is not None:
            revoked = {"type": "CUSTOM", "label": role["label"]}
            log_user_privileges(state, req, user, revoked=revoked)


R, RM, B = "okta.roles.read", "okta.roles.manage", "/api/v1/iam"
SETS = "/api/v1/iam/resource-sets/{resourceSetIdOrLabel}"
BINDING = f"{SETS}/bindings/{{roleIdOrLabel}}"
ROUTES: list[Route] = [
    route("GET", "/api/v1/iam/roles", list_roles, R, B),
    route("POST", "/api/v1/iam/roles", create_role, RM, B, write=True),
    route("GET", "/api/v1/iam/roles/{roleIdOrLabel}", read_role, R, B),
    route("GET", "/api/v1/iam/resource-sets", list_resource_sets, R, B),
    route("POST", "/api/v1/iam/resource-sets", create_resource_set, RM, B, write=True),
    route("GET", SETS, read_resource_set, R, B),
    route("GET", f"{SETS}/bindings", list_bindings, R, B),
    route("POST", f"{SETS}/bindings", create_binding, RM, B, write=True),
    route("GET", BINDING, read_binding, R, B),
    route("DELETE", BINDING, delete_binding, RM, B, write=True),
    route("GET", f"{BINDING}/members", list_members, R, B),
    route("PATCH", f"{BINDING}/members", add_members, RM, B, write=True),
    route("GET", f"{BINDING}/members/{{memberId}}", read_member, R, B),
    route("DELETE", f"{BINDING}/members/{{memberId}}", delete_member, RM, B, write=True),
]
