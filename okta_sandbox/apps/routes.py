"""`/api/v1/apps`: listing apps (first-party ones included) and their authentication policy;
`/api/v1/policies/{policyId}/mappings`: the apps an authentication policy is assigned to (a
policy can be shared by several apps). Okta's spec example of a mapping carries only an `id`
and `_links` (`application`, `policy`, `self`); the sandbox uses the app's id as the mapping's."""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.emulation import choice
from okta_sandbox.core.errors import OktaError, validation
from okta_sandbox.core.filters import select
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
from okta_sandbox.facts import ADMIN_CONSOLE_APP
from okta_sandbox.logs import events
from okta_sandbox.policies.routes import get_policy

ADMIN_CONSOLE = ADMIN_CONSOLE_APP


# An OIDC client links its credentials by how it authenticates at the token endpoint: secrets,
# or its public keys; a public client (`none`) links neither (recorded: every `oidc_client` of
# the provider's Identity Engine cassettes; secrets: TestAccResourceOktaAppOAuthRoleAssignment_
# basic/oie-00 #2, jwks: TestAccResourceOktaAppSignOnPolicyRule_AUTH_METHOD_CHAIN/oie-00).
# `client_secret_jwt` is not recorded: it signs with the secret, so it is taken to be secrets.
CLIENT_CREDENTIALS = {
    "client_secret_basic": "secrets",
    "client_secret_post": "secrets",
    "client_secret_jwt": "secrets",
    "private_key_jwt": "jwks",
}


def present(app: dict[str, Any], state: State, base: str) -> dict[str, Any]:
    """An app as Okta shows it (recorded: GET /api/v1/apps of the provider's cassettes, e.g.
    TestAccResourceOktaAppBookmarkApplication_PR1366_authentication_policy #17): no `self`
    link; a SAML app's setup help and metadata; logo upload, app links, the org's profile
    enrollment policy (every app of an Identity Engine org), assignments, an OIDC client's
    credentials, the sign-on policy (`accessPolicy`) and where to assign another (`policies`),
    and the lifecycle toggle."""
    path = f"/api/v1/apps/{app['id']}"
    body = dict(app)
    toggle = "deactivate" if app.get("status", "ACTIVE") == "ACTIVE" else "activate"
    links: dict[str, Any] = {}
    if app.get("signOnMode") == "SAML_2_0":
        # Okta links the help on the org's admin host; the sandbox has one host
        help_path = f"/app/{app['name']}/{app['id']}/setup/help/SAML_2_0/instructions"
        links["help"] = {"href": base + help_path, "type": "text/html"}
        links["metadata"] = {
            "href": f"{base}{path}/sso/saml/metadata",
            "type": "application/xml",
        }
    links |= {
        "uploadLogo": href(base, f"{path}/logo", "POST"),
        "appLinks": [
            {
                "name": name,
                "href": f"{base}/home/{app['name']}/{app['id']}/{name}",
                "type": "text/html",
            }
            for name in app.get("visibility", {}).get("appLinks", {})
        ],
        **_profile_enrollment(state, base),
        "policies": href(base, f"{path}/policies", "PUT"),
        "groups": href(base, f"{path}/groups"),
        "logo": [
            {
                "name": "medium",
                "href": f"{base}/assets/img/logos/okta-logo-admin.png",
                "type": "image/png",
            }
        ],
    }
    credentials = _client_credentials(app, base, path)
    if credentials:
        links["clientCredentials"] = credentials
    policy_id = state["app_policy"].get(app["id"])
    if policy_id:
        links["accessPolicy"] = href(base, f"/api/v1/policies/{policy_id}")
    links["users"] = href(base, f"{path}/users")
    links[toggle] = href(base, f"{path}/lifecycle/{toggle}")
    body["_links"] = links
    return body


def _profile_enrollment(state: State, base: str) -> dict[str, Any]:
    """The org's default profile enrollment policy, which every app links (none in a state
    written before the sandbox had one)."""
    for policy in state["policies"].values():
        if policy["type"] == "PROFILE_ENROLLMENT" and policy["system"]:
            return {"profileEnrollment": {"href": f"{base}/api/v1/policies/{policy['id']}"}}
    return {}


def _client_credentials(app: dict[str, Any], base: str, path: str) -> list[dict[str, str]]:
    if app.get("name") != "oidc_client":
        return []
    method = ((app.get("credentials") or {}).get("oauthClient") or {}).get(
        "token_endpoint_auth_method"
    )
    kind = CLIENT_CREDENTIALS.get(str(method))
    return [{"name": kind, "href": f"{base}{path}/credentials/{kind}"}] if kind else []


def app_target(app: dict[str, Any]) -> dict[str, Any]:
    """An app as a System Log target."""
    return events.target(app["id"], "AppInstance", app["label"], app["label"])


def get_app_instance(state: State, app_id: str) -> dict[str, Any]:
    return lookup(state["apps"], app_id, "AppInstance")


def list_apps(req: Request, state: State, _: dict[str, str]) -> Response:
    apps = list(state["apps"].values())
    query = req.arg("q")
    if query:
        wanted = query.lower()
        apps = [
            a
            for a in apps
            if a["name"].lower().startswith(wanted) or a["label"].lower().startswith(wanted)
        ]
    apps = select(apps, req.arg("filter"), {"status", "name", "id", "signOnMode"})
    # The spec: limit defaults to -1 (as many as a page holds), at most 200.
    return paged_response(req, apps, lambda a: present(a, state, req.base_url), -1, 200)


def get_app(req: Request, state: State, params: dict[str, str]) -> Response:
    return Response(200, present(get_app_instance(state, params["appId"]), state, req.base_url))


def assign_policy(req: Request, state: State, params: dict[str, str]) -> Response:
    app = get_app_instance(state, params["appId"])
    policy = get_policy(state, params["policyId"])
    if policy["type"] != "ACCESS_POLICY":
        raise validation("policyId", "Only an authentication policy can be assigned to an app")
    console = app["name"] == ADMIN_CONSOLE
    if (
        console
        and state["app_policy"].get(app["id"]) != policy["id"]
        and not choice(state, "adminConsolePolicyReassignable")
    ):
        raise OktaError(
            "E0000001",
            "The Okta Admin Console authentication policy cannot be reassigned",
            ["Assigning a different policy to the Okta Admin Console is not allowed"],
        )
    state["app_policy"][app["id"]] = policy["id"]
    app["lastUpdated"] = ids.now_iso()
    events.record(
        state,
        req,
        "application.policy.sign_on.update",
        "Update application sign on policy",
        [
            app_target(app),
            events.target(policy["id"], "PolicyEntity", policy["name"], policy["name"]),
        ],
    )
    return Response(204)


def list_policy_mappings(req: Request, state: State, params: dict[str, str]) -> Response:
    policy = get_policy(state, params["policyId"])
    base, path = req.base_url, f"/api/v1/policies/{policy['id']}"
    mapped = sorted(app_id for app_id, pid in state["app_policy"].items() if pid == policy["id"])
    return Response(
        200,
        [
            {
                "id": app_id,
                "_links": {
                    "application": href(base, f"/api/v1/apps/{app_id}", "GET", "PUT", "DELETE"),
                    "self": href(base, f"{path}/mappings/{app_id}", "GET", "PUT", "DELETE"),
                    "policy": href(base, path, "GET", "PUT", "DELETE"),
                },
            }
            for app_id in mapped
            if app_id in state["apps"]
        ],
    )


READ, MANAGE, BUCKET = "okta.apps.read", "okta.apps.manage", "/api/v1/apps"
ROUTES: list[Route] = [
    route(
        "GET",
        "/api/v1/policies/{policyId}/mappings",
        list_policy_mappings,
        "okta.policies.read",
        "/api/v1/policies",
    ),
    route("GET", "/api/v1/apps", list_apps, READ, BUCKET),
    route("GET", "/api/v1/apps/{appId}", get_app, READ, BUCKET),
    route(
        "PUT", "/api/v1/apps/{appId}/policies/{policyId}", assign_policy, MANAGE, BUCKET, write=True
    ),
]
