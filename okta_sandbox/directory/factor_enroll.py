"""Enrolling and activating a user's MFA factors (Okta's UserFactor API, enrollFactor and
activateFactor), with the System Log event Okta writes when a factor becomes usable.

- `POST /api/v1/users/{userId}/factors` enrols `{factorType, provider, profile}`: a security
  question and a hardware token are ACTIVE at once; `sms`, `call`, `email` and `token:hotp` with
  `?activate=true` too; everything else is `PENDING_ACTIVATION` with an `activate` link (push: a
  `poll` link and `_embedded.activation`, as the spec's examples show). A second factor of the
  same type and provider is refused (400, "A factor of this type is already set up.").
- `POST .../factors/{factorId}/lifecycle/activate` completes it: `passCode` for `sms`, `call`,
  `email`, `token:software:totp` (any non-blank code is taken: there is no phone here),
  `attestation` + `clientData` for `webauthn`, `registrationData` + `clientData` for `u2f`,
  nothing for `push` (the device "approves" at once). Activating a factor that is not pending
  is refused.
- A factor that becomes ACTIVE logs `user.mfa.factor.activate` with the user as target.
  `signed_nonce` (FastPass) cannot be enrolled through this API (the spec says so).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.errors import OktaError, not_found
from okta_sandbox.core.routing import Request, Response, Route, State, href, route
from okta_sandbox.directory.factors import (
    BUCKET,
    FACTOR_TYPES,
    FACTORS,
    UM,
    factor_name,
    present_factor,
    user_factors,
)
from okta_sandbox.directory.routes import find_user, user_target
from okta_sandbox.logs import events

# Providers Okta accepts per factor type (the spec's UserFactor subschemas).
PROVIDERS: dict[str, frozenset[str]] = {
    "push": frozenset({"OKTA"}),
    "token:software:totp": frozenset({"OKTA", "GOOGLE"}),
    "sms": frozenset({"OKTA"}),
    "call": frozenset({"OKTA"}),
    "email": frozenset({"OKTA"}),
    "question": frozenset({"OKTA"}),
    "webauthn": frozenset({"FIDO"}),
    "u2f": frozenset({"FIDO"}),
    "token:hardware": frozenset({"YUBICO"}),
}
ACTIVATION_LIFETIME = timedelta(minutes=10)  # push activations expire (the spec's example)
ACTIVE_AT_ONCE = frozenset({"question", "token:hardware"})
AUTO_ACTIVATE = frozenset({"sms", "call", "email", "token:hotp"})  # with ?activate=true
PASSCODE = frozenset({"sms", "call", "email", "token:software:totp"})
ACTIVATION_FIELDS = {"webauthn": ("attestation", "clientData"), "u2f": ("registrationData",)}


def _invalid(field: str, cause: str) -> OktaError:
    return OktaError("E0000001", field, [cause])


def _profile(factor_type: str, body: dict[str, Any]) -> dict[str, Any]:
    profile = body.get("profile")
    profile = dict(profile) if isinstance(profile, dict) else {}
    needs = {"sms": "phoneNumber", "call": "phoneNumber", "email": "email", "question": "question"}
    field = needs.get(factor_type)
    if field and not str(profile.get(field) or "").strip():
        raise _invalid(f"profile.{field}", f"profile.{field}: The field cannot be left blank")
    if factor_type == "question":
        if not str(profile.pop("answer", "") or "").strip():
            raise _invalid("profile.answer", "profile.answer: The field cannot be left blank")
        profile.setdefault("questionText", str(profile["question"]).replace("_", " "))
    return profile


def activate_now(state: State, req: Request, user: dict[str, Any], factor: dict[str, Any]) -> None:
    """Mark `factor` ACTIVE and log `user.mfa.factor.activate`."""
    factor["status"] = "ACTIVE"
    factor["lastUpdated"] = ids.now_iso()
    factor.pop("_pending", None)
    events.record(
        state,
        req,
        "user.mfa.factor.activate",
        "Activate factor or authenticator",
        [user_target(user)],
        debug={"factor": factor_name(factor)},
    )


def _presented(factor: dict[str, Any], user: dict[str, Any], base: str) -> dict[str, Any]:
    body = present_factor(factor, user["id"], base)
    if factor["status"] != "PENDING_ACTIVATION":
        return body
    path = f"/api/v1/users/{user['id']}/factors/{factor['id']}/lifecycle/activate"
    if factor["factorType"] == "push":
        body["_links"]["poll"] = href(base, f"{path}/poll", "POST")
        expires = ids.iso(ids.now() + ACTIVATION_LIFETIME)
        body["_embedded"] = {"activation": {"expiresAt": expires, "factorResult": "WAITING"}}
    else:
        body["_links"]["activate"] = href(base, path, "POST")
    return body


def enroll_factor(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    if user["status"] in ("DEPROVISIONED", "SUSPENDED"):
        raise _invalid("user", f"Cannot enroll a factor for a {user['status']} user")
    body = req.json()
    factor_type = body.get("factorType")
    if factor_type == "signed_nonce":
        raise _invalid("factorType", "Okta FastPass cannot be enrolled with the Factors API")
    if factor_type not in FACTOR_TYPES:
        raise _invalid("factorType", f"factorType: unsupported factor type {factor_type!r}")
    default_provider, vendor, _ = FACTOR_TYPES[factor_type]
    provider = str(body.get("provider") or default_provider)
    if provider not in PROVIDERS[factor_type]:
        raise _invalid("provider", f"provider: {provider!r} does not offer {factor_type}")
    factors = user_factors(state, user["id"])
    if any(f["factorType"] == factor_type and f["provider"] == provider for f in factors.values()):
        raise _invalid("factorType", "A factor of this type is already set up.")
    stamp = ids.now_iso()
    factor: dict[str, Any] = {
        "id": ids.new_id(factor_type),
        "factorType": factor_type,
        "provider": provider,
        "vendorName": vendor if provider == default_provider else provider,
        "status": "PENDING_ACTIVATION",
        "created": stamp,
        "lastUpdated": stamp,
        "profile": _profile(factor_type, body),
    }
    factors[str(factor["id"])] = factor
    if factor_type in ACTIVE_AT_ONCE or (
        factor_type in AUTO_ACTIVATE and req.flag("activate", False)
    ):
        activate_now(state, req, user, factor)
    return Response(200, _presented(factor, user, req.base_url))


def activate_factor(req: Request, state: State, params: dict[str, str]) -> Response:
    user = find_user(state, params["userId"])
    factor = user_factors(state, user["id"]).get(params["factorId"])
    if factor is None:
        raise not_found(f"Factor {params['factorId']}")
    if factor["status"] != "PENDING_ACTIVATION":
        raise _invalid("factor", "The factor is not pending activation")
    body = req.json() if req.body.strip() else {}
    factor_type = factor["factorType"]
    if factor_type in PASSCODE and not str(body.get("passCode") or "").strip():
        raise _invalid("passCode", "passCode: The field cannot be left blank")
    for field in ACTIVATION_FIELDS.get(factor_type, ()):
        if not str(body.get(field) or "").strip():
            raise _invalid(field, f"{field}: The field cannot be left blank")
    if factor_type == "webauthn":
        factor["profile"].setdefault("credentialId", ids.new_uuid().replace("-", ""))
    activate_now(state, req, user, factor)
    return Response(200, present_factor(factor, user["id"], req.base_url))


ROUTES: list[Route] = [
    route("POST", FACTORS, enroll_factor, UM, BUCKET, write=True),
    route(
        "POST",
        f"{FACTORS}/{{factorId}}/lifecycle/activate",
        activate_factor,
        UM,
        BUCKET,
        write=True,
    ),
]
