"""The org's authenticators (`GET /api/v1/authenticators`, `GET /api/v1/authenticators/{id}`;
Okta Identity Engine): what each can be used for (`settings.allowedFor`: `any`, `recovery`,
`sso`, `none`), so a reader can tell an MFA factor from a recovery-only one.

A new org's set as the provider's acceptance-test org returns it (the recording
TestAccDataSourceOktaAuthenticator_read): email and security question for recovery only, Okta
Verify, password, Passkey (FIDO2 WebAuthn), phone (here ACTIVE and allowed for any use: the
seeds give users SMS factors), Google Authenticator inactive. They live in
`state["authenticators"]`, created on first use so older state files still load.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.routing import Request, Response, Route, State, href, lookup, route

FOR_RECOVERY = {"allowedFor": "recovery"}
# (key, type, name, status, settings)
DEFAULTS: tuple[tuple[str, str, str, str, dict[str, Any] | None], ...] = (
    ("okta_email", "email", "Email", "ACTIVE", {**FOR_RECOVERY, "tokenLifetimeInMinutes": 5}),
    ("okta_password", "password", "Password", "ACTIVE", None),
    (
        "okta_verify",
        "app",
        "Okta Verify",
        "ACTIVE",
        {
            "compliance": {"fips": "OPTIONAL"},
            "channelBinding": {"style": "NUMBER_CHALLENGE", "required": "NEVER"},
            "userVerification": "PREFERRED",
        },
    ),
    ("phone_number", "phone", "Phone", "ACTIVE", {"allowedFor": "any"}),
    ("security_question", "security_question", "Security Question", "ACTIVE", FOR_RECOVERY),
    ("webauthn", "security_key", "Passkey (FIDO2 WebAuthn)", "ACTIVE", None),
    ("google_otp", "app", "Google Authenticator", "INACTIVE", {}),
)
READ = "okta.authenticators.read"
BUCKET = "/api/v1/authenticators"


def default_authenticators(stamp: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for key, kind, name, status, settings in DEFAULTS:
        authenticator: dict[str, Any] = {
            "type": kind,
            "id": ids.new_id("authenticator"),
            "key": key,
            "status": status,
            "name": name,
            "created": stamp,
            "lastUpdated": stamp,
        }
        if settings is not None:
            authenticator["settings"] = dict(settings)
        found[authenticator["id"]] = authenticator
    return found


def org_authenticators(state: State) -> dict[str, dict[str, Any]]:
    if "authenticators" not in state:
        state["authenticators"] = default_authenticators(str(state["org"]["created"]))
    authenticators: dict[str, dict[str, Any]] = state["authenticators"]
    return authenticators


def present(authenticator: dict[str, Any], base: str) -> dict[str, Any]:
    body = dict(authenticator)
    path = f"/api/v1/authenticators/{authenticator['id']}"
    toggle = "deactivate" if authenticator["status"] == "ACTIVE" else "activate"
    body["_links"] = {
        "self": href(base, path, "GET", "PUT"),
        toggle: href(base, f"{path}/lifecycle/{toggle}", "POST"),
        "methods": href(base, f"{path}/methods", "GET"),
    }
    return body


def list_authenticators(req: Request, state: State, _: dict[str, str]) -> Response:
    return Response(200, [present(a, req.base_url) for a in org_authenticators(state).values()])


def read_authenticator(req: Request, state: State, params: dict[str, str]) -> Response:
    found = lookup(org_authenticators(state), params["authenticatorId"], "Authenticator")
    return Response(200, present(found, req.base_url))


ROUTES: list[Route] = [
    route("GET", "/api/v1/authenticators", list_authenticators, READ, BUCKET),
    route("GET", "/api/v1/authenticators/{authenticatorId}", read_authenticator, READ, BUCKET),
]
