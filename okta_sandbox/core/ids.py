"""Okta-looking identifiers and timestamps."""

from __future__ import annotations

import itertools
import random
import secrets
import string
import time
import uuid
from datetime import UTC, datetime

ALPHABET = string.ascii_letters + string.digits
ORDERED = string.digits + string.ascii_uppercase + string.ascii_lowercase  # in ASCII order
_rng = random.Random(secrets.randbits(64))
_rng_lock_free = _rng.choices  # random.Random methods are thread-safe enough for ids (GIL)
_sequence = itertools.count(int(time.time() * 1000) * 64)  # thread-safe increments (GIL)

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
    "authenticator": "aut",
    "iam_role": "cr0",  # custom admin roles
    "resource_set": "iam",
    "binding_member": "irb",  # a user or group in a role's binding (a CUSTOM assignment id)
}


def _ordered(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, len(ORDERED))
        digits.append(ORDERED[digit])
    return "".join(reversed(digits))


def new_id(kind: str) -> str:
    """20-character Okta-style id: a 3-character type prefix, 9 characters that grow with
    creation time and 8 random ones. Okta's ids sort in creation order, and Okta lists users
    and group members in id order (recorded: TestAccDataSourceOktaUsers_read, three users
    created in one second list as 00ukwqre2m..., 00ukwqsl25..., 00ukwqu0lz...)."""
    return PREFIX[kind] + _ordered(next(_sequence), 9) + "".join(_rng_lock_free(ALPHABET, k=8))


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
