"""Reading Okta LogEvents as they really arrive: any member may be missing or JSON null
(`outcome`, `target`, `securityContext`, `debugContext.debugData`...), `client.zone` may be the
string "null", `debugData` values are strings (`threatSuspected: "true"`, `behaviors` and
`risk` rendered as `{k=v, ...}`, `logOnlySecurityData` as a JSON string), and targets must be
found by `type`, never by position (the spec's note on `target`).

Plain functions over the raw dict: detections run on a million events, so nothing here builds
an object per event, and objects are checked with `isinstance(x, dict)` (a decoded JSON object
is a dict; the ABC check of `Mapping` costs several times more).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

LogEvent = Mapping[str, Any]
NO_SESSION = frozenset({"", "unknown", "-", "null"})
ADMIN_CONSOLE_NAMES = frozenset({"okta admin console", "okta administration"})
ADMIN_CONSOLE_CLIENT = "okta.b58d5b75-07d4-5f25-bf59-368a1261a405"  # the Admin Console's client
_KEY_VALUE = re.compile(r"([^{},=]+)=([^{},]*)")


def member(event: LogEvent, *path: str) -> Any:
    """`event[path[0]][path[1]]...`, None as soon as a level is missing or not an object."""
    value: Any = event
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def text(event: LogEvent, *path: str) -> str:
    """A member as a string ("" when missing or null)."""
    value = member(event, *path)
    return "" if value is None else str(value)


def result(event: LogEvent) -> str:
    """`outcome.result`, upper-case ("" when `outcome` is null: config events may have none)."""
    outcome = event.get("outcome")
    if not isinstance(outcome, dict):
        return ""
    return str(outcome.get("result") or "").upper()


def reason(event: LogEvent) -> str:
    outcome = event.get("outcome")
    return str(outcome.get("reason") or "") if isinstance(outcome, dict) else ""


EMPTY: Mapping[str, Any] = {}


def debug_data(event: LogEvent) -> Mapping[str, Any]:
    context = event.get("debugContext")
    data = context.get("debugData") if isinstance(context, dict) else None
    return data if isinstance(data, dict) else EMPTY


def targets(event: LogEvent) -> list[Mapping[str, Any]]:
    found = event.get("target")
    return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []


def targets_of_type(event: LogEvent, *kinds: str) -> list[Mapping[str, Any]]:
    wanted = {kind.lower() for kind in kinds}
    return [t for t in targets(event) if str(t.get("type") or "").lower() in wanted]


def targets_admin_console(event: LogEvent) -> bool:
    """A target names the Okta Admin Console (OIE "Okta Admin Console", older "Okta
    Administration"), by display name or alternate id."""
    for target in targets(event):
        for key in ("displayName", "alternateId"):
            if str(target.get(key) or "").strip().lower() in ADMIN_CONSOLE_NAMES:
                return True
    return False


def name_of(obj: Mapping[str, Any]) -> str:
    """An actor's or target's name: its `alternateId` (a login), or its `displayName` when the
    alternate id is missing or Okta's placeholder "unknown" (a `UserGroup` target's is)."""
    alternate = obj.get("alternateId")
    if isinstance(alternate, str) and alternate and alternate.lower() != "unknown":
        return alternate
    display = obj.get("displayName")
    return str(display) if display else str(alternate or "")


def client_ip(event: LogEvent) -> str:
    client = event.get("client")
    value = client.get("ipAddress") if isinstance(client, dict) else None
    return value if isinstance(value, str) else "" if value is None else str(value)


def user_agent(event: LogEvent) -> str:
    return text(event, "client", "userAgent", "rawUserAgent")


def session_ids(event: LogEvent) -> tuple[str, ...]:
    """The event's session keys: `externalSessionId`, then `rootSessionId` when it differs;
    placeholders ("unknown", "-") are no session."""
    context = event.get("authenticationContext")
    if not isinstance(context, dict):
        return ()
    found: list[str] = []
    for key in ("externalSessionId", "rootSessionId"):
        value = context.get(key)
        if isinstance(value, str) and value.strip().lower() not in NO_SESSION:
            found += [] if value in found else [value]
    return tuple(found)


def actor(event: LogEvent) -> Mapping[str, Any]:
    found = event.get("actor")
    return found if isinstance(found, dict) else EMPTY


def actor_name(event: LogEvent) -> str:
    """Who did it: the actor's alternate id (a login), else its display name, else "unknown"."""
    who = actor(event)
    return str(who.get("alternateId") or who.get("displayName") or "unknown")


def parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address, or None for anything else ("redacted", "", a host name)."""
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def key_values(value: Any) -> dict[str, str]:
    """Okta's rendering of a Java map, `{New Device=POSITIVE, New IP=NEGATIVE}`, as a dict; a
    JSON object (string or already parsed) is read too."""
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    if not isinstance(value, str) or not value.strip():
        return {}
    stripped = value.strip()
    if stripped.startswith("{") and '"' in stripped:
        parsed = json_object(stripped)
        return {str(k): str(v) for k, v in parsed.items() if not isinstance(v, Mapping | list)}
    return {k.strip(): v.strip() for k, v in _KEY_VALUE.findall(stripped)}


def json_object(value: Any) -> Mapping[str, Any]:
    """A JSON object given as a string (how the API renders `logOnlySecurityData`) or a dict."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, Mapping) else {}
    return {}


def has_risk(event: LogEvent) -> bool:
    """Whether the event carries any risk verdict at all (cheap: most events do not)."""
    security = event.get("securityContext")
    if isinstance(security, dict) and security.get("risk"):
        return True
    data = debug_data(event)
    return "risk" in data or "logOnlySecurityData" in data


def risk_levels(event: LogEvent) -> set[str]:
    """Every risk level the event states: `securityContext.risk.level`, `debugData.risk`
    (`{level=HIGH, reasons=...}`), `debugData.logOnlySecurityData.risk.level`."""
    levels: set[str] = set()
    if not has_risk(event):
        return levels
    risk = member(event, "securityContext", "risk")
    if isinstance(risk, Mapping) and risk.get("level"):
        levels.add(str(risk["level"]).upper())
    data = debug_data(event)
    if "risk" in data:
        level = key_values(data["risk"]).get("level")
        if level:
            levels.add(level.upper())
    if "logOnlySecurityData" in data:
        nested = json_object(data["logOnlySecurityData"]).get("risk")
        if isinstance(nested, Mapping) and nested.get("level"):
            levels.add(str(nested["level"]).upper())
    return levels


def detection_names(event: LogEvent) -> str:
    """Okta's own detection names and reasons for the event, lower-cased, for matching."""
    if not has_risk(event):
        return ""
    parts = []
    risk = member(event, "securityContext", "risk")
    if isinstance(risk, Mapping):
        parts.append(str(risk.get("detectionName") or ""))
        reasons = risk.get("reasons")
        if isinstance(reasons, list):
            parts += [str(r) for r in reasons]
    data = debug_data(event)
    if "risk" in data:
        parts.append(str(data["risk"]))
    return " ".join(parts).lower()


def is_true(value: Any) -> bool:
    """Okta's boolean-as-string debugData values ("true"/"false")."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


_last_published: list[Any] = ["", None]  # the last text parsed and its value


def published_ms(event: LogEvent) -> int | None:
    """`published` in epoch milliseconds; None when missing or unreadable. The last answer is
    remembered: the engine and several detections ask about the same event in a row."""
    value = event.get("published")
    if not isinstance(value, str) or not value:
        return None
    if value == _last_published[0]:
        cached: int | None = _last_published[1]
        return cached
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found = None
    else:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        found = int(moment.timestamp() * 1000)
    _last_published[0], _last_published[1] = value, found
    return found


def iter_strings(values: Any) -> Iterator[str]:
    if isinstance(values, list):
        for value in values:
            if isinstance(value, str):
                yield value
