"""Authentication: SSWS API tokens, and OAuth 2.0 client credentials with `private_key_jwt`
(`POST /oauth2/v1/token`) issuing Bearer tokens whose scopes are enforced per endpoint."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any
from urllib.parse import parse_qs

import jwt

from okta_sandbox.core import ids
from okta_sandbox.core.errors import OktaError
from okta_sandbox.core.routing import Principal, Request, Response, Route, State, route
from okta_sandbox.logs import events

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_LIFETIME = 3600
_SSWS = re.compile(r"^SSWS\s*(\S+)$")
_BEARER = re.compile(r"^Bearer\s+(\S+)$", re.IGNORECASE)


class OAuthError(Exception):
    """An RFC 6749 error answered by the token endpoint as {error, error_description}."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def principal_for(state: State, header: str | None) -> Principal:
    """Who the Authorization header belongs to; 401 E0000011 when it is missing or wrong."""
    header = (header or "").strip()
    if (match := _SSWS.match(header)) is not None:
        token_id = state["secrets"]["ssws"].get(match[1])
        token = state["api_tokens"].get(token_id or "")
        user = state["users"].get(token["userId"]) if token else None
        if token is not None and user is not None and user["status"] == "ACTIVE":
            name = f"{user['profile']['firstName']} {user['profile']['lastName']}".strip()
            return Principal(
                "ssws", user["id"], "User", user["profile"]["login"], name, None, token["id"]
            )
    elif (match := _BEARER.match(header)) is not None:
        grant = state["secrets"]["access_tokens"].get(match[1])
        if grant is not None and grant["expires"] > time.time():
            client = state["oauth_clients"].get(grant["clientId"], {})
            return Principal(
                "oauth",
                grant["clientId"],
                "PublicClientApp",
                grant["clientId"],
                client.get("name", grant["clientId"]),
                frozenset(grant["scopes"]),
            )
        raise OktaError(
            "E0000011",
            headers={
                "WWW-Authenticate": 'Bearer error="invalid_token", '
                'error_description="The token is not valid."'
            },
        )
    raise OktaError("E0000011")


def has_scope(principal: Principal, scope: str | None) -> bool:
    if scope is None or principal.scopes is None:
        return True
    if scope in principal.scopes:
        return True
    return scope.endswith(".read") and scope[: -len(".read")] + ".manage" in principal.scopes


def insufficient_scope(req: Request, scope: str) -> OktaError:
    header = (
        f'Bearer authorization_uri="{req.base_url}/oauth2/v1/authorize", '
        f'realm="{req.base_url}", scope="{scope}", error="insufficient_scope", '
        f'error_description="The access token provided does not contain the required scopes.", '
        f'resource="{req.path}"'
    )
    return OktaError("E0000006", headers={"WWW-Authenticate": header})


def _verify_assertion(state: State, req: Request, form: dict[str, str]) -> dict[str, Any]:
    if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
        raise OAuthError(
            "invalid_client", "private_key_jwt client authentication is required.", 401
        )
    assertion = form["client_assertion"]
    try:
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise OAuthError("invalid_client", "The client_assertion is not a valid JWT.", 401) from exc
    client_id = str(unverified.get("sub") or unverified.get("iss") or "")
    client = state["oauth_clients"].get(client_id)
    if client is None or form.get("client_id", client_id) != client_id:
        raise OAuthError("invalid_client", "The client_id is not registered.", 401)
    audience = f"{req.base_url}/oauth2/v1/token"
    last_error: Exception | None = None
    for key in client["publicKeys"]:
        try:
            claims: dict[str, Any] = jwt.decode(
                assertion,
                key,
                algorithms=["RS256", "RS384", "RS512", "ES256", "ES384"],
                audience=audience,
                issuer=client_id,
                options={"require": ["exp", "iss", "sub", "aud", "jti"]},
            )
        except jwt.PyJWTError as exc:
            last_error = exc
            continue
        _spend_jti(state, client_id, claims)
        return claims
    raise OAuthError("invalid_client", f"The client_assertion is invalid: {last_error}", 401)


def _spend_jti(state: State, client_id: str, claims: dict[str, Any]) -> None:
    """Okta accepts each assertion once: a `jti` seen before is refused until the assertion
    it came with has expired (then `exp` refuses it anyway, so the entry can go)."""
    used: dict[str, float] = state["secrets"].setdefault("used_jti", {})
    now = time.time()
    for key in [k for k, expires in used.items() if expires <= now]:
        del used[key]
    key = f"{client_id} {claims['jti']}"
    if key in used:
        raise OAuthError(
            "invalid_client", "The client_assertion token has already been used (jti).", 401
        )
    used[key] = float(claims["exp"])


def token_endpoint(req: Request, state: State, _: dict[str, str]) -> Response:
    try:
        try:
            text = req.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise OAuthError("invalid_request", "The request body is not UTF-8 form data.") from exc
        form = {k: v[-1] for k, v in parse_qs(text).items()}
        if form.get("grant_type") != "client_credentials":
            raise OAuthError("unsupported_grant_type", "Only client_credentials is supported.")
        client_id = str(_verify_assertion(state, req, form)["sub"])
        requested = form.get("scope", "").split()
        granted = set(state["oauth_clients"][client_id]["scopes"])
        if not requested or not set(requested) <= granted:
            raise OAuthError(
                "invalid_scope",
                "One or more scopes are not configured for the authorization server resource.",
            )
    except OAuthError as error:
        return Response(
            error.status, {"error": error.error, "error_description": error.description}
        )
    token = secrets.token_urlsafe(32)
    state["secrets"]["access_tokens"][token] = {
        "clientId": client_id,
        "scopes": requested,
        "expires": time.time() + TOKEN_LIFETIME,
    }
    client = state["oauth_clients"][client_id]
    req.principal = Principal(
        "oauth",
        client_id,
        "PublicClientApp",
        client_id,
        client.get("name", client_id),
        frozenset(requested),
    )
    events.record(
        state,
        req,
        "app.oauth2.token.grant.access_token",
        "OAuth2 access token is granted",
        [
            events.target(
                client_id,
                "AppInstance",
                client.get("name", client_id),
                client.get("name", client_id),
            )
        ],
    )
    return Response(
        200,
        {
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "access_token": token,
            "scope": " ".join(requested),
        },
    )


def register_client(
    state: State,
    name: str,
    public_key_pem: str,
    scopes: list[str],
    network: dict[str, Any] | None = None,
) -> str:
    """An OAuth service app: its credentials, and the app object `/api/v1/apps` lists (an OIDC
    app's client id is its app id). `network`: `settings.oauthClient.network`, absent when
    None (as on the recorded service app: no network restriction)."""
    client_id = ids.new_id("app")
    state["oauth_clients"][client_id] = {
        "name": name,
        "scopes": sorted(set(scopes)),
        "publicKeys": [public_key_pem],
    }
    state["apps"][client_id] = service_app(client_id, name, network)
    default = next(
        (p for p in state["policies"].values() if p["type"] == "ACCESS_POLICY" and p.get("system")),
        None,
    )
    if default is not None:
        state["app_policy"][client_id] = default["id"]
    return client_id


def service_app(client_id: str, label: str, network: dict[str, Any] | None) -> dict[str, Any]:
    """A service app (client credentials, private_key_jwt) in the shape the API lists it
    (recorded: TestAccResourceOktaAppOAuthRoleAssignment_basic, minus its secret-based auth)."""
    stamp = ids.now_iso()
    # The recording also has `client_uri` and `logo_uri` null, which the spec's schema does not
    # allow (string): they are left out.
    client: dict[str, Any] = {
        "redirect_uris": [],
        "response_types": ["token"],
        "grant_types": ["client_credentials"],
        "application_type": "service",
        "consent_method": "TRUSTED",
        "issuer_mode": "ORG_URL",
        "idp_initiated_login": {"mode": "DISABLED", "default_scope": []},
        "wildcard_redirect": "DISABLED",
        "dpop_bound_access_tokens": False,
    }
    if network is not None:
        client["network"] = network
    return {
        "id": client_id,
        "name": "oidc_client",
        "label": label,
        "status": "ACTIVE",
        "lastUpdated": stamp,
        "created": stamp,
        "accessibility": {"selfService": False},
        "visibility": {
            "autoSubmitToolbar": False,
            "hide": {"iOS": True, "web": True},
            "appLinks": {"oidc_client_link": True},
        },
        "features": [],
        "signOnMode": "OPENID_CONNECT",
        "credentials": {
            "userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"},
            "oauthClient": {
                "autoKeyRotation": True,
                "client_id": client_id,
                "token_endpoint_auth_method": "private_key_jwt",
                "pkce_required": False,
            },
        },
        "settings": {
            "app": {},
            "notifications": {
                "vpn": {"network": {"connection": "DISABLED"}, "message": None, "helpUrl": None}
            },
            "oauthClient": client,
        },
    }


ROUTES: list[Route] = [
    route(
        "POST", "/oauth2/v1/token", token_endpoint, None, "/oauth2/v1/token", write=True, auth=False
    ),
]
