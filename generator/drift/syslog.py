"""Recent System Log events per finding: who touched the object, when, from where.

One bounded batch: object ids are OR-ed into a few `target.id eq "…"` filters (not one query per
object), each read for at most `max_pages` pages. Optional by design: when the log cannot be read
the drift result is still complete, so a failure becomes a note, not an error.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from generator.drift.findings import Finding, LogEvent
from generator.okta.client import OktaClient
from generator.okta.errors import OktaError

log = logging.getLogger("generator.drift")

IDS_PER_QUERY = 20
MAX_PAGES = 2
PAGE_LIMIT = 1000
EVENTS_PER_FINDING = 5


def _event(raw: Mapping[str, Any]) -> LogEvent:
    actor = raw.get("actor") or {}
    return LogEvent(
        published=str(raw.get("published", "")),
        event_type=str(raw.get("eventType", "")),
        actor=str(actor.get("alternateId") or actor.get("displayName") or actor.get("id") or "?"),
        client_ip=(raw.get("client") or {}).get("ipAddress"),
        outcome=(raw.get("outcome") or {}).get("result"),
        display_message=raw.get("displayMessage"),
    )


def _query(client: OktaClient, ids: Sequence[str], since: str) -> list[Any]:
    # DESCENDING without `until` is a bounded query (no endless polling `next` link) that
    # includes events of the last second, which a truncated `until` would cut off.
    params: Mapping[str, str] | None = {
        "filter": " or ".join(f'target.id eq "{i}"' for i in ids),
        "since": since,
        "sortOrder": "DESCENDING",
        "limit": str(PAGE_LIMIT),
    }
    url: str | None = "/api/v1/logs"
    events: list[Any] = []
    for _ in range(MAX_PAGES):
        if url is None:
            break
        body, next_url = client.request("GET", url, params=params)
        params = None
        page = body if isinstance(body, list) else []
        events += page
        url = next_url if page else None
    return events


def attach_events(
    client: OktaClient, findings: list[Finding], days: int = 7
) -> tuple[list[Finding], tuple[str, ...]]:
    ids = sorted({f.object_id for f in findings if f.object_id})
    if not ids:
        return findings, ()
    now = dt.datetime.now(dt.UTC)
    since = (now - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    chunks = [ids[i : i + IDS_PER_QUERY] for i in range(0, len(ids), IDS_PER_QUERY)]
    try:
        pages = client.map_concurrent(lambda chunk: _query(client, chunk, since), chunks)
    except OktaError as error:
        log.info("System Log not read: %s", error)
        return findings, (f"System Log events not included: {error}",)
    by_id: dict[str, list[LogEvent]] = {}
    for raw in (event for page in pages for event in page):
        for target in raw.get("target") or ():
            target_id = str(target.get("id"))
            if target_id in ids:
                by_id.setdefault(target_id, []).append(_event(raw))
    attached = [
        f.with_events(
            tuple(
                sorted(by_id.get(f.object_id or "", []), key=lambda e: e.published, reverse=True)[
                    :EVENTS_PER_FINDING
                ]
            )
        )
        for f in findings
    ]
    return attached, ()
