"""`GET /api/v1/iam/assignees/users`: every user holding an admin role (Okta's "All Admins").

Okta's spec says only "Lists all users with role assignments" and returns ids (RoleAssignedUsers:
`{value: [{id, orn, _links: {self, roles}}], _links: {next}}`, paged in the body with `after`,
`limit` default 100). Whether users holding a role only through a group (or a group's binding)
are listed is not documented; the sandbox lists them by default (the Admin Console's Admins
page, which this API serves, does) and lists only users with a role of their own when the
emulation choice `assigneesIncludeGroupRoles` is false (`core/emulation.py`), so a client's
self-check of that assumption can be exercised either way.
"""

from __future__ import annotations

from okta_sandbox.core.emulation import choice
from okta_sandbox.core.routing import Request, Response, Route, State, href, route
from okta_sandbox.directory.membership import role_holders as holders
from okta_sandbox.iam.custom import body_page

MAX_LIMIT = 200  # undocumented; Okta's usual maximum


def role_holders(state: State) -> list[str]:
    """Ids of the users the endpoint lists, sorted (the cursor is the last id of a page)."""
    return sorted(holders(state, with_groups=choice(state, "assigneesIncludeGroupRoles")))


def list_assignees(req: Request, state: State, _: dict[str, str]) -> Response:
    items = [{"id": user_id} for user_id in role_holders(state)]
    limit = req.int_arg("limit", 100, MAX_LIMIT)
    page, following = body_page(req, items, "/api/v1/iam/assignees/users", limit)
    org = state["org"]["id"]
    value = [
        {
            "id": item["id"],
            "orn": f"orn:okta:directory:{org}:users:{item['id']}",
            "_links": {
                "self": href(req.base_url, f"/api/v1/users/{item['id']}"),
                "roles": href(req.base_url, f"/api/v1/users/{item['id']}/roles"),
            },
        }
        for item in page
    ]
    return Response(200, {"value": value, "_links": {"next": following} if following else {}})


ROUTES: list[Route] = [
    route("GET", "/api/v1/iam/assignees/users", list_assignees, "okta.roles.read", "/api/v1/iam"),
]
