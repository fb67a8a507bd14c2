"""The System Log's query parameters and the 400s Okta documents for them.

From Okta's "System Log query" reference (Errors section) and the spec's `/api/v1/logs`:

- a `since`/`until` that is not ISO 8601: 400 `E0000001`, "Api validation failed: 'until': The
  date format in your query is not recognized. Please enter dates using ISO8601 string format.
  'until': must be a valid date-time or empty." (one errorCause per sentence);
- `since` more than 180 days ago: 400 `E0000053`, "Invalid parameter: The since parameter is
  over 180 days prior to the current day."; older events than the 90-day retention are simply
  not returned;
- a `filter` with an unknown operator: 400 `E0000053`, "Invalid filter '<filter>':
  Unrecognized attribute operator 'eqq' at position 16. Expected: eq,co,sw,pr,gt,ge,lt,le";
  an unknown field: 400 `E0000053`, "field is not valid: <field>"; an operator a field does
  not support (`co` on `debugContext.debugData.url`): 400 `E0000031`, "The supplied combination
  of operator and field is not currently supported. Operator: co, Field: <field>";
- a `q` item longer than 40 characters: 400 `E0000001`, "Api validation failed: 'q': Freeform
  search cannot contain items longer than 40 characters. ...".

Filter attributes may be written in camelCase (`eventType`) or snake_case (`event_type`, as the
reference's examples do).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.errors import OktaError
from okta_sandbox.core.filters import Predicate, compile_filter

MAX_SINCE_AGE = timedelta(days=180)
MAX_Q_ITEM = 40
OPERATORS = ("eq", "co", "sw", "pr", "gt", "ge", "lt", "le")
ACCEPTED_OPERATORS = {*OPERATORS, "ne", "ew"}
ANY = "*"  # an open map: any key below it
_GEO: dict[str, Any] = {
    "city": {},
    "state": {},
    "country": {},
    "postalCode": {},
    "geolocation": {"lat": {}, "lon": {}},
}
_IP_DETAILS: dict[str, Any] = {
    "asNumber": {},
    "asOrg": {},
    "isp": {},
    "domain": {},
    "ipServiceCategories": ANY,
}
# LogEvent's properties (the spec's LogEvent schema, plus `rootSessionId` of its examples).
FIELDS: dict[str, Any] = {
    "uuid": {},
    "published": {},
    "eventType": {},
    "version": {},
    "severity": {},
    "legacyEventType": {},
    "displayMessage": {},
    "actor": {"id": {}, "type": {}, "alternateId": {}, "displayName": {}, "detailEntry": ANY},
    "client": {
        "userAgent": {"rawUserAgent": {}, "os": {}, "browser": {}},
        "zone": {},
        "device": {},
        "id": {},
        "ipAddress": {},
        "geographicalContext": _GEO,
    },
    "device": ANY,
    "authenticationContext": {
        "authenticationProvider": {},
        "credentialProvider": {},
        "credentialType": {},
        "issuer": {"id": {}, "type": {}},
        "interface": {},
        "authenticationStep": {},
        "externalSessionId": {},
        "rootSessionId": {},
    },
    "securityContext": {
        "asNumber": {},
        "asOrg": {},
        "isp": {},
        "domain": {},
        "isProxy": {},
        "ipDetails": _IP_DETAILS,
        "risk": ANY,
        "userBehaviors": ANY,
        "botProtection": ANY,
    },
    "debugContext": {"debugData": ANY},
    "outcome": {"result": {}, "reason": {}},
    "target": {"id": {}, "type": {}, "alternateId": {}, "displayName": {}, "detailEntry": ANY},
    "transaction": {"type": {}, "id": {}, "detail": ANY},
    "request": {
        "ipChain": {
            "ip": {},
            "version": {},
            "source": {},
            "geographicalContext": _GEO,
            "ipDetails": _IP_DETAILS,
        }
    },
}
# field -> operators Okta refuses on it (the reference's example: `co` on the URL fields)
UNSUPPORTED = {
    "debugContext.debugData.url": {"co"},
    "debugContext.debugData.requestUri": {"co"},
}
_TOKEN = re.compile(r'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_.\-:+]+))')


def parse_time(name: str, raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        return ids.parse_iso(raw)
    except ValueError as exc:
        first = (
            f"{name}: The date format in your query is not recognized. Please enter dates "
            "using ISO8601 string format."
        )
        second = f"{name}: must be a valid date-time or empty."
        raise OktaError(
            "E0000001",
            f"'{name}': The date format in your query is not recognized. Please enter dates "
            f"using ISO8601 string format. '{name}': must be a valid date-time or empty.",
            [first, second],
        ) from exc


def check_since(since: datetime, now: datetime) -> None:
    if now - since > MAX_SINCE_AGE:
        raise OktaError(
            "E0000053",
            summary="Invalid parameter: The since parameter is over 180 days prior to the "
            "current day.",
        )


def check_q(query: str) -> list[str]:
    """The keywords of `q`; a keyword over 40 characters is refused as Okta documents."""
    words = query.split()
    if any(len(word) > MAX_Q_ITEM for word in words):
        raise OktaError(
            "E0000001",
            "'q': Freeform search cannot contain items longer than 40 characters. Please "
            "shorten the items in your search or use an advanced filter to query by specific "
            "fields.",
        )
    return [word.lower() for word in words]


def camel(segment: str) -> str:
    head, *rest = segment.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def field_path(attribute: str) -> str | None:
    """`attribute` as a LogEvent field path (camelCase), or None when it names no field."""
    node: Any = FIELDS
    parts = [camel(segment) for segment in attribute.split(".")]
    for index, part in enumerate(parts):
        if node == ANY:
            return ".".join([*parts[:index], *attribute.split(".")[index:]])
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return ".".join(parts)


def compile_log_filter(text: str) -> Predicate:
    """The predicate of a System Log `filter`, with Okta's documented errors."""
    invalid = f"Invalid filter '{text}'"
    rewritten, offset = text, 0
    expect_attribute = True
    tokens = list(_tokens(text))
    index = 0
    while index < len(tokens):
        kind, value, start = tokens[index]
        joins = kind == "word" and value.lower() in ("and", "or") and not expect_attribute
        if joins or kind == "(":
            expect_attribute = True
        elif kind == ")":
            expect_attribute = False
        elif kind == "word" and expect_attribute:
            path = field_path(value)
            if path is None:
                raise OktaError("E0000053", summary=f"field is not valid: {value}")
            operator = tokens[index + 1] if index + 1 < len(tokens) else None
            if operator is None or operator[0] != "word" or operator[1] not in ACCEPTED_OPERATORS:
                found, where = (operator[1], operator[2]) if operator else ("", len(text))
                raise OktaError(
                    "E0000053",
                    summary=f"{invalid}: Unrecognized attribute operator '{found}' at position "
                    f"{where}. Expected: {','.join(OPERATORS)}",
                )
            if operator[1] in UNSUPPORTED.get(path, set()):
                raise OktaError(
                    "E0000031",
                    summary="The supplied combination of operator and field is not currently "
                    f"supported. Operator: {operator[1]}, Field: {path}",
                )
            rewritten = (
                rewritten[: start + offset] + path + rewritten[start + offset + len(value) :]
            )
            offset += len(path) - len(value)
            index += 1 if operator[1] == "pr" else 2
            expect_attribute = False
        else:
            raise OktaError(
                "E0000053", summary=f"{invalid}: unexpected '{value}' at position {start}"
            )
        index += 1
    try:
        return compile_filter(rewritten)
    except OktaError as error:
        cause = error.causes[0] if error.causes else "syntax error"
        raise OktaError("E0000053", summary=f"{invalid}: {cause}") from None


def _tokens(text: str) -> list[tuple[str, str, int]]:
    found: list[tuple[str, str, int]] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            raise OktaError(
                "E0000053",
                summary=f"Invalid filter '{text}': unexpected character at position {position}",
            )
        if match.group(1):
            found.append(("(", "(", match.start(1)))
        elif match.group(2):
            found.append((")", ")", match.start(2)))
        elif match.group(3) is not None:
            found.append(("string", match.group(3), match.start(3) - 1))
        else:
            found.append(("word", match.group(4), match.start(4)))
        position = match.end()
    return found
