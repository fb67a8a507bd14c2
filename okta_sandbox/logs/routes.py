"""`GET /api/v1/logs`: the System Log with Okta's bounded and polling request semantics.

Events are kept in publication order (append-only), so a cursor is `<published ms>_<index>`.
Without `until` and in ascending order the request is a polling request: a `next` link is always
present, even on an empty page, so a client can come back for newer events. Events older than
Okta's 90-day retention are not returned; the documented 400s are in `logs/query.py`.
"""

from __future__ import annotations

import bisect
from datetime import timedelta
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.errors import OktaError, validation
from okta_sandbox.core.routing import Request, Response, Route, State, route
from okta_sandbox.logs.query import check_q, check_since, compile_log_filter, parse_time

DEFAULT_WINDOW = timedelta(days=7)
RETENTION = timedelta(days=90)


def _cursor(events: list[dict[str, Any]], index: int) -> str:
    event = events[index]
    return f"{int(ids.parse_iso(event['published']).timestamp() * 1000)}_{index}"


def _parse_cursor(text: str, count: int) -> int:
    stamp, _, index = text.partition("_")
    if not (stamp.isdigit() and index.isdigit()) or int(index) >= count:
        raise OktaError(
            "E0000001", "after: Invalid after cursor", [f"after: '{text}' is not a valid cursor"]
        )
    return int(index)


def list_logs(req: Request, state: State, _: dict[str, str]) -> Response:
    events: list[dict[str, Any]] = state["logs"]
    until, since = parse_time("until", req.arg("until")), parse_time("since", req.arg("since"))
    now = ids.now()
    if since is not None:
        check_since(since, now)
    order = req.arg("sortOrder", "ASCENDING")
    if order not in ("ASCENDING", "DESCENDING"):
        raise validation("sortOrder", "sortOrder: must be ASCENDING or DESCENDING")
    limit = req.int_arg("limit", 100, 1000)
    polling = until is None and order == "ASCENDING"
    if since is None:
        since = (until or now) - DEFAULT_WINDOW
    since = max(since, now - RETENTION)
    published = [e["published"] for e in events]  # UTC ISO strings sort chronologically
    lo = bisect.bisect_left(published, ids.iso(since))
    hi = bisect.bisect_right(published, ids.iso(until)) if until is not None else len(events)
    after = req.arg("after")
    if after:
        position = _parse_cursor(after, len(events))
        if order == "ASCENDING":
            lo = max(lo, position + 1)
        else:
            hi = min(hi, position)
    predicates = _predicates(req)
    indices = range(lo, hi) if order == "ASCENDING" else range(hi - 1, lo - 1, -1)
    page: list[int] = []
    scanned: int | None = None
    for index in indices:
        scanned = index
        if all(p(events[index]) for p in predicates):
            page.append(index)
            if len(page) == limit:
                break
    more = scanned is not None and scanned != indices[-1]
    next_query: dict[str, str] | None = None
    if polling or more:
        next_query = {k: v[-1] for k, v in req.query.items() if k != "after"}
        if scanned is not None:
            next_query["after"] = _cursor(events, scanned)
        elif after:
            next_query["after"] = after
    return Response(200, [events[i] for i in page], next_query=next_query)


def _predicates(req: Request) -> list[Any]:
    predicates = []
    text = req.arg("filter")
    if text:
        predicates.append(compile_log_filter(text))
    query = req.arg("q")
    if query:
        words = check_q(query)
        predicates.append(lambda e: all(w in _searchable(e) for w in words))
    return predicates


def _searchable(event: dict[str, Any]) -> str:
    parts = [
        event.get("eventType", ""),
        event.get("displayMessage", ""),
        (event.get("actor") or {}).get("alternateId", ""),
        (event.get("actor") or {}).get("displayName", ""),
        (event.get("client") or {}).get("ipAddress", ""),
    ]
    for target in event.get("target") or []:
        parts += [
            target.get("id", ""),
            target.get("alternateId", ""),
            target.get("displayName", ""),
        ]
    return " ".join(str(p) for p in parts).lower()


ROUTES: list[Route] = [route("GET", "/api/v1/logs", list_logs, "okta.logs.read", "/api/v1/logs")]
