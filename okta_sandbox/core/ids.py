"""Okta-looking identifiers and timestamps."""

from __future__ import annotations

import random
import secrets
import string
import uuid
from datetime import UTC, datetime

ALPHABET = string.ascii_letters + string.digits
_rng = random.Random(secrets.randbits(64))
_rng_lock_free = _rng.choices  # random.Random methods are thread-safe enough for ids (GIL)

PREFIX = {
    "zone": "nzo",
    "signon_policy": "00p",
    "access_policy": "rst",
    "rule": "0pr",
    "app": "0oa",
    "group": "00g",
    "user": "00u",
    "api_token": "00T",
    "org": "00o",
    # user factors, by factorType (prefixes as Okta's examples and recordings show them)
    "push": "opf",
    "token:software:totp": "ost",
    "sms": "mbl",
    "call": "clf",
    "email": "emf",
    "question": "ufs",
    "webauthn": "fwf",
    "u2f": "fuf",
    "token:hardware": "ykf",
    "role_assignment": "ra1",  # SUPER_ADMIN and other opaque user role assignment ids
    "group_role_assignment": "gra",
}


def new_id(kind: str) -> str:
    """20-character Okta-style id: a 3-character type prefix and 17 random characters."""
    return PREFIX[kind] + "".join(_rng_lock_free(ALPHABET, k=17))


def new_uuid() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Okta's timestamp format: millisecond precision, `Z` suffix."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def now_iso() -> str:
    return iso(now())


def parse_iso(text: str) -> datetime:
    """Parse an ISO 8601 timestamp as Okta accepts it in `since`/`until` (Z or offset)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
