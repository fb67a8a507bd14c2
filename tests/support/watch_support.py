"""LogEvents for watch tests, shaped as Okta sends them (explicit nulls included)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from generator.watch.detection import TrustedRanges, WatchContext
from generator.watch.engine import Engine, build_detections

TRUSTED = TrustedRanges.of(["198.51.100.0/24", "163.116.128.0/17"], "test")
CONTEXT = WatchContext(trusted=TRUSTED, name_prefix="egress-guard")
# A policy for watch commands: the trusted set is the bundled Netskope snapshot and the office.
CONFIG = """\
version: 1
egress:
  netskope: {shared: true}
  corporate: [198.51.100.0/24]
okta:
  break_glass: {users: [breakglass@example.com], group: Break Glass Accounts}
safety:
  allow_ranges: [198.51.100.0/24]
output: {dir: generated}
"""
CHROME = "Mozilla/5.0 (Macintosh) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
SCRIPT = "python-requests/2.32.3"
_counter = itertools.count(1)
START = datetime(2026, 1, 1, tzinfo=UTC)


def event(
    event_type: str,
    *,
    ip: str = "198.51.100.10",
    agent: str = CHROME,
    actor: str = "alice@example.com",
    actor_id: str = "00ualice",
    session: str | None = None,
    result: str | None = "SUCCESS",
    reason: str | None = None,
    targets: list[dict[str, Any]] | None = None,
    debug: dict[str, Any] | None = None,
    security: dict[str, Any] | None = None,
    minute: float = 0,
    client_id: str | None = None,
) -> dict[str, Any]:
    """One LogEvent `minute` minutes after 2026-01-01T00:00 (a fresh uuid each call)."""
    number = next(_counter)
    moment = START + timedelta(minutes=minute)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return {
        "uuid": f"00000000-0000-4000-a000-{number:012d}",
        "published": stamp,
        "eventType": event_type,
        "version": "0",
        "severity": "INFO",
        "displayMessage": event_type,
        "actor": {
            "id": actor_id,
            "type": "User",
            "alternateId": actor,
            "displayName": actor.split("@")[0].title(),
            "detailEntry": None,
        },
        "client": {
            "ipAddress": ip,
            "userAgent": {"rawUserAgent": agent, "os": "Mac OS X", "browser": "CHROME"},
            "zone": "null",
            "device": "Computer",
            "id": client_id,
        },
        "authenticationContext": {
            "authenticationProvider": None,
            "credentialProvider": None,
            "credentialType": None,
            "issuer": None,
            "interface": None,
            "authenticationStep": 0,
            "externalSessionId": session or "unknown",
        },
        "outcome": None if result is None else {"result": result, "reason": reason},
        "securityContext": security
        or {"asNumber": None, "asOrg": None, "isp": None, "domain": None, "isProxy": None},
        "debugContext": {"debugData": {"requestId": "r", **(debug or {})}},
        "transaction": {"type": "WEB", "id": "t", "detail": {}},
        "target": targets,
    }


def target(kind: str, name: str, target_id: str = "id1") -> dict[str, Any]:
    return {
        "id": target_id,
        "type": kind,
        "alternateId": name,
        "displayName": name,
        "detailEntry": None,
    }


CONSOLE = target("AppInstance", "Okta Admin Console", "0oaconsole")


def engine(min_severity: str = "info", **parameters: dict[str, Any]) -> Engine:
    detections = build_detections(
        CONTEXT, parameters={k.replace("_", "-"): v for k, v in parameters.items()}
    )
    return Engine(detections, min_severity=min_severity)  # type: ignore[arg-type]


def found(events: list[dict[str, Any]], min_severity: str = "info") -> list[tuple[str, str]]:
    """(detection id, severity) of every alert the events raise, in order."""
    runner = engine(min_severity)
    return [(a.detection, a.severity) for e in events for a in runner.process(e)]
