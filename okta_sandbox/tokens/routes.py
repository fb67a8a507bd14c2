"""API tokens (`/api/v1/api-tokens`) and `/.well-known/okta-organization`."""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.bodies import checked
from okta_sandbox.core.errors import not_found, validation
from okta_sandbox.core.routing import Request, Response, Route, State, href, route
from okta_sandbox.logs import events
from okta_sandbox.tokens import network


def present_token(token: dict[str, Any], base: str) -> dict[str, Any]:
    body = dict(token)
    body["_links"] = {
        "self": href(base, f"/api/v1/api-tokens/{token['id']}", "GET", "DELETE"),
        "user": href(base, f"/api/v1/users/{token['userId']}", "GET"),
    }
    return body


def _token(state: State, token_id: str) -> dict[str, Any]:
    if token_id == "current":
        raise not_found("API token current")
    token = state["api_tokens"].get(token_id)
    if token is None:
        raise not_found(f"API token {token_id}")
    return token  # type: ignore[no-any-return]


def list_tokens(req: Request, state: State, _: dict[str, str]) -> Response:
    return Response(200, [present_token(t, req.base_url) for t in state["api_tokens"].values()])


def read_token(req: Request, state: State, params: dict[str, str]) -> Response:
    token_id = params["tokenId"]
    if token_id == "current" and req.principal and req.principal.token_id:
        token_id = req.principal.token_id
    return Response(200, present_token(_token(state, token_id), req.base_url))


def upsert_token(req: Request, state: State, params: dict[str, str]) -> Response:
    """`PUT /api/v1/api-tokens/{apiTokenId}` (upsertApiToken): the network condition (and the
    name) of an existing token; the provider sends the object it read back, minus read-only
    fields (recorded: TestAccResourceAPITokenResource_basic). Tokens are created in the Admin
    Console only: an unknown id is 404."""
    token = _token(state, params["tokenId"])
    body = checked(req, req.json())
    name = body.get("name", token["name"])
    if not isinstance(name, str) or not name.strip():
        raise validation("name", "name: must not be empty")
    user_id = body.get("userId", token["userId"])
    if user_id != token["userId"]:
        raise validation("userId", "userId: the owner of a token cannot be changed")
    token["name"] = name
    token["network"] = network.validated(state, body.get("network"))
    token["lastUpdated"] = ids.now_iso()
    events.record(
        state,
        req,
        "system.api_token.update",
        "Update API token",
        [events.target(token["id"], "Token", token["name"], token["name"])],
    )
    return Response(200, present_token(token, req.base_url))


def revoke_token(req: Request, state: State, params: dict[str, str]) -> Response:
    token_id = params["tokenId"]
    if token_id == "current" and req.principal and req.principal.token_id:
        token_id = req.principal.token_id
    revoke(state, req, _token(state, token_id))
    return Response(204)


def revoke(state: State, req: Request, token: dict[str, Any]) -> None:
    """Revoke `token`: gone, its secret no longer authenticates, `system.api_token.revoke`."""
    del state["api_tokens"][token["id"]]
    state["secrets"]["ssws"] = {
        k: v for k, v in state["secrets"]["ssws"].items() if v != token["id"]
    }
    events.record(
        state,
        req,
        "system.api_token.revoke",
        "Revoke API token",
        [events.target(token["id"], "Token", token["name"], token["name"])],
    )


# An Identity Engine org's answer, as recorded (GET /.well-known/okta-organization, the newest
# cassettes under ../shared/okta/recordings/terraform-provider-okta/idaas/): its cell and the
# feature settings Okta reports.
ORG_SETTINGS = {
    "analyticsCollectionEnabled": False,
    "bugReportingEnabled": True,
    "omEnabled": False,
    "pssoEnabled": False,
    "desktopMFAEnabled": False,
    "itpEnabled": True,
    "op4wEnabled": True,
}


def well_known(req: Request, state: State, _: dict[str, str]) -> Response:
    return Response(
        200,
        {
            "id": state["org"]["id"],
            "cell": "op3",
            "_links": {"organization": {"href": req.base_url}},
            "pipeline": "idx",
            "settings": dict(ORG_SETTINGS),
        },
    )


T, TM = "okta.apiTokens.read", "okta.apiTokens.manage"
ROUTES: list[Route] = [
    route("GET", "/api/v1/api-tokens", list_tokens, T, "/api/v1/api-tokens"),
    route("GET", "/api/v1/api-tokens/{tokenId}", read_token, T, "/api/v1/api-tokens"),
    route(
        "PUT", "/api/v1/api-tokens/{tokenId}", upsert_token, TM, "/api/v1/api-tokens", write=True
    ),
    route(
        "DELETE", "/api/v1/api-tokens/{tokenId}", revoke_token, TM, "/api/v1/api-tokens", write=True
    ),
    route("GET", "/.well-known/okta-organization", well_known, None, "/.well-known", auth=False),
]
