"""A user's MFA factors (`/api/v1/users/{userId}/factors`, Okta's UserFactor API) and the
`reset_factors` lifecycle operation.

Factors live in `state["factors"][userId][factorId]` (created on first use, so state files
written before factors existed still load). Served: list, read, unenroll (DELETE) and reset all
(enrol and activate: `factor_enroll`);
each unenrolment logs `user.mfa.factor.deactivate` and a reset logs `user.mfa.factor.reset_all`,
with the user as target, as Okta's event catalogue describes them. Unenrolling `push` or
`signed_nonce` also unenrolls the user's other Okta Verify factors (`token:software:totp` with
provider OKTA, `push`, `signed_nonce`), as the spec's unenrollFactor says.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.errors import OktaError, not_found
from okta_sandbox.core.routing import Request, Response, Route, State, href, route
from okta_sandbox.directory.routes import find_user, user_target
from okta_sandbox.logs import events

# factorType -> (provider, vendorName, the factor's name in System Log outcome reasons)
FACTOR_TYPES: dict[str, tuple[str, str, str]] = {
    "push": ("OKTA", "OKTA", "OKTA_VERIFY_PUSH"),
    "token:software:totp": ("OKTA", "OKTA", "OKTA_SOFT_TOKEN"),
    "sms": ("OKTA", "OKTA", "SMS_FACTOR"),
    "call": ("OKTA", "OKTA", "CALL_FACTOR"),
    "email": ("OKTA", "OKTA", "EMAIL_FACTOR"),
    "question": ("OKTA", "OKTA", "SECURITY_QUESTION"),
    "webauthn": ("FIDO", "FIDO", "FIDO_WEBAUTHN"),
    "u2f": ("FIDO", "FIDO", "U2F"),
    "token:hardware": ("YUBICO", "YUBICO", "YUBIKEY_TOKEN"),
}
OKTA_VERIFY = {"push", "signed_nonce"}  # unenrolling one unenrolls the Okta Verify siblings


def factor_name(factor: dict[str, Any]) -> str:
    """The factor's name in System Log outcome reasons and debug data (OKTA_VERIFY_PUSH, ...)."""
    return FACTOR_TYPES.get(factor["factorType"], ("", "", "UNKNOWN"))[2]


def user_factors(state: State, user_id: str) -> dict[str, dict[str, Any]]:
    factors: dict[str, dict[str, dict[str, Any]]] = state.setdefault("factors", {})
    return factors.setdefault(user_id, {})


def add_factor(
    state: State,
    user: dict[str, Any],
    factor_type: str,
    profile: dict[str, Any],
    stamp: str,
    provider: str | None = None,
) -> dict[str, Any]:
    """Enrol an ACTIVE factor directly in the state (seeds)."""
    default_provider, vendor, _ = FACTOR_TYPES[factor_type]
    factor: dict[str, Any] = {
        "id": ids.new_id(factor_type),
        "factorType": factor_type,
        "provider": provider or default_provider,
        "vendorName": vendor if provider is None else provider,
        "status": "ACTIVE",
        "created": stamp,
        "lastUpdated": stamp,
        "profile": profile,
    }
    user_factors(state, user["id"])[str(factor["id"])] = factor
    return factor


def present_factor(factor: dict[str, Any], user_id: str, base: str) -> dict[str, Any]:
    body = dict(factor)
    path = f"/api/v1/users/{user_id}/factors/{factor['id']}"
    body["_links"] = {
        "self": href(base, path, "GET", "DELETE"),
        "user": href(base, f"/api/v1/users/{user_id}", "GET"),
    }
    if factor["factorType"] == "question":
        body["_links"]["questions"] = href(
            base, f"/api/v1/users/{user_id}/factors/questions", "GET"
        )
    return body


def list_factors(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    factors = user_factors(state, user["id"]).values()
    return Response(200, [present_factor(f, user["id"], req.base_url) for f in factors])


def _factor(state: State, user: dict[str, Any], factor_id: str) -> dict[str, Any]:
    factor = user_factors(state, user["id"]).get(factor_id)
    if factor is None:
        raise not_found(f"Factor {factor_id}")
    return factor


def read_factor(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    factor = _factor(state, user, params["factorId"])
    return Response(200, present_factor(factor, user["id"], req.base_url))


def _reason(req: Request, user: dict[str, Any], factor: dict[str, Any]) -> str:
    who = "User" if req.principal and req.principal.actor_id == user["id"] else "Admin"
    return f"{who} reset {factor_name(factor)} factor"


def unenroll_factor(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    if user["status"] == "DEPROVISIONED":
        raise OktaError("E0000001", "factor: the user is deactivated", ["Cannot unenroll a factor"])
    factor = _factor(state, user, params["factorId"])
    factors = user_factors(state, user["id"])
    removed = [factor]
    if factor["factorType"] in OKTA_VERIFY:
        removed += [
            f
            for f in factors.values()
            if f is not factor
            and (
                f["factorType"] in OKTA_VERIFY
                or (f["factorType"] == "token:software:totp" and f["provider"] == "OKTA")
            )
        ]
    for gone in removed:
        del factors[gone["id"]]
        events.record(
            state,
            req,
            "user.mfa.factor.deactivate",
            "Reset factor for user",
            [user_target(user)],
            outcome_reason=_reason(req, user, gone),
            debug={"factor": factor_name(gone)},
        )
    return Response(204)


def reset_factors(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    if user["status"] == "DEPROVISIONED":
        raise OktaError(
            "E0000001", "reset_factors: the user is deactivated", ["Cannot reset factors"]
        )
    user_factors(state, user["id"]).clear()
    events.record(
        state,
        req,
        "user.mfa.factor.reset_all",
        "Reset all factors for user",
        [user_target(user)],
    )
    return Response(200)  # the spec: 200 with no body


U, UM = "okta.users.read", "okta.users.manage"
FACTORS = "/api/v1/users/{userId}/factors"
BUCKET = FACTORS  # not the users listing's: one of Okta's "other API actions"
ROUTES: list[Route] = [
    route("GET", FACTORS, list_factors, U, BUCKET),
    route("GET", f"{FACTORS}/{{factorId}}", read_factor, U, BUCKET),
    route("DELETE", f"{FACTORS}/{{factorId}}", unenroll_factor, UM, BUCKET, write=True),
    route(
        "POST",
        "/api/v1/users/{userId}/lifecycle/reset_factors",
        reset_factors,
        UM,
        "/api/v1/users",
        write=True,
    ),
]
