"""The seeds' mix of MFA enrolments: users with no factor, SMS only, Okta Verify (push and
TOTP, as Okta Verify enrols them) and a security key (WebAuthn), and the System Log history of a
user whose last factor an admin removed.

The default org gets one user of each kind (besides its admins): `carol` (SMS only), `pat`
(none: their SMS factor was removed by Alice two days ago, `user.mfa.factor.deactivate`), `quinn`
(Okta Verify) and `riley` (a security key). The large org gets the same mix at random over its
users (`mix_factors`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.routing import Principal, State
from okta_sandbox.directory.factors import add_factor
from okta_sandbox.directory.routes import user_target
from okta_sandbox.logs import events
from okta_sandbox.seeds.objects import make_user

KINDS = ("none", "sms", "okta_verify", "webauthn")
WEIGHTS = (0.15, 0.25, 0.45, 0.15)  # the large seed's shares of the four kinds
ADMIN_IP = "198.51.100.10"  # where the seeded admin action came from (a documentation range)


def enrol(state: State, user: dict[str, Any], kind: str, stamp: str, serial: int = 0) -> None:
    """Give `user` the factors of `kind` (one of KINDS), ACTIVE."""
    login = user["profile"]["login"]
    if kind == "sms":
        phone = f"+1555555{serial % 10_000:04d}"
        add_factor(state, user, "sms", {"phoneNumber": phone}, stamp)
    elif kind == "okta_verify":
        add_factor(state, user, "push", {"name": "Phone", "platform": "ANDROID"}, stamp)
        add_factor(state, user, "token:software:totp", {"credentialId": login}, stamp)
    elif kind == "webauthn":
        add_factor(state, user, "webauthn", {"authenticatorName": "Security key"}, stamp)


def removed_factor_event(
    state: State, admin: dict[str, Any], user: dict[str, Any], days_ago: int
) -> None:
    """The System Log record of `admin` unenrolling `user`'s SMS factor `days_ago` days ago."""
    profile = admin["profile"]
    principal = Principal(
        "ssws",
        admin["id"],
        "User",
        profile["login"],
        f"{profile['firstName']} {profile['lastName']}",
    )
    request_id = ids.new_uuid().replace("-", "")[:20]
    event = events.build_event(
        event_type="user.mfa.factor.deactivate",
        display_message="Reset factor for user",
        principal=principal,
        client_ip=ADMIN_IP,
        request_id=request_id,
        request_uri=f"/api/v1/users/{user['id']}/factors",
        targets=[user_target(user)],
        published=ids.now() - timedelta(days=days_ago),
        reason="Admin reset SMS_FACTOR factor",
        debug={"factor": "SMS_FACTOR"},
        transaction_detail={},
    )
    state["logs"].append(event)
    state["logs"].sort(key=lambda e: e["published"])


def add_default_users(state: State, admin: dict[str, Any], stamp: str) -> list[dict[str, Any]]:
    """pat (none, last factor removed), quinn (Okta Verify), riley (security key)."""
    pat = make_user(state, "pat@example.com", "Pat", "User", created=stamp)
    quinn = make_user(state, "quinn@example.com", "Quinn", "User", created=stamp)
    riley = make_user(state, "riley@example.com", "Riley", "User", created=stamp)
    enrol(state, quinn, "okta_verify", stamp)
    enrol(state, riley, "webauthn", stamp)
    removed_factor_event(state, admin, pat, days_ago=2)
    return [pat, quinn, riley]


def mix_factors(
    state: State, users: Sequence[dict[str, Any]], stamp: str, rng: random.Random
) -> dict[str, int]:
    """Enrol `users` with the KINDS mix (WEIGHTS); returns how many got each kind."""
    counts = dict.fromkeys(KINDS, 0)
    for serial, user in enumerate(users):
        kind = rng.choices(KINDS, WEIGHTS)[0]
        enrol(state, user, kind, stamp, serial)
        counts[kind] += 1
    return counts
