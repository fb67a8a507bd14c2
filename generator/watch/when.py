"""`--since`/`--until` values: an ISO 8601 timestamp, or a duration before now (`90m`, `24h`,
`7d`, `PT2H`, `P1D`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from generator.errors import InputError

_SHORT = re.compile(r"^(\d+)\s*([smhdw])$")
_ISO = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_AGE = timedelta(days=180)  # Okta refuses an older `since` (E0000053)
RETENTION = timedelta(days=90)  # older events are not returned


def parse_when(text: str, now: datetime, option: str) -> datetime:
    value = text.strip()
    short = _SHORT.match(value.lower())
    if short:
        return now - timedelta(seconds=int(short[1]) * UNITS[short[2]])
    iso = _ISO.match(value.upper())
    if iso and any(iso.groups()):
        weeks, days, hours, minutes, seconds = (int(g or 0) for g in iso.groups())
        return now - timedelta(
            weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds
        )
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{option} {text!r}: not an ISO 8601 timestamp (2026-01-31T12:00:00Z) or a "
            "duration (90m, 24h, 7d, PT2H)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def okta_time(moment: datetime) -> str:
    """The form Okta's `since`/`until` take: UTC, milliseconds, `Z`."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def check_since(since: datetime, now: datetime) -> list[str]:
    """Notes about `since`; an InputError when Okta would refuse it (over 180 days)."""
    if now - since > MAX_AGE:
        raise InputError(
            f"--since {okta_time(since)} is over 180 days ago; Okta refuses it (E0000053) and "
            "keeps 90 days of events"
        )
    if now - since > RETENTION:
        return ["--since is over 90 days ago: Okta keeps 90 days, older events are gone"]
    return []
