"""Recent System Log events per finding: who touched the object, when, from where.

One bounded batch: object ids are OR-ed into a few `target.id eq "…"` filters (not one query per
object), each read for at most MAX_PAGES pages, in the background while the posture checks run.
Optional by design: when the log cannot be read the drift result is still complete, so a failure
becomes a note, not an error.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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


class EventLookup:
    """System Log events for findings, read in the background (the caller goes on with the
    posture checks meanwhile) and attached at the end. `start` may be called several times:
    each call queries only the ids not asked for yet."""

    def __init__(self, client: OktaClient, days: int = 7, enabled: bool = True) -> None:
        self.client = client
        self.enabled = enabled
        now = dt.datetime.now(dt.UTC)
        self.since = (now - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._asked: set[str] = set()
        self._reads: list[Future[list[Any]]] = []

    def __enter__(self) -> EventLookup:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def start(self, findings: Sequence[Finding]) -> None:
        ids = sorted({f.object_id for f in findings if f.object_id} - self._asked)
        if not self.enabled or not ids:
            return
        self._asked.update(ids)
        chunks = [ids[i : i + IDS_PER_QUERY] for i in range(0, len(ids), IDS_PER_QUERY)]
        self._reads.append(self._pool.submit(self._read, chunks))

    def _read(self, chunks: list[list[str]]) -> list[Any]:
        pages = self.client.map_concurrent(lambda c: _query(self.client, c, self.since), chunks)
        return [event for page in pages for event in page]

    def attach(self, findings: list[Finding]) -> tuple[list[Finding], tuple[str, ...]]:
        """`findings` with their recent events; a log that could not be read is a note."""
        try:
            raw = [event for read in self._reads for event in read.result()]
        except OktaError as error:
            log.info("System Log not read: %s", error)
            return findings, (f"System Log events not included: {error}",)
        # An event targeting objects of two queries (a policy and its rule) comes back twice.
        unique = {str(e.get("uuid") or json.dumps(e, sort_keys=True)): e for e in raw}
        by_id: dict[str, list[LogEvent]] = {}
        for event in unique.values():
            for target in event.get("target") or ():
                target_id = str(target.get("id"))
                if target_id in self._asked:
                    by_id.setdefault(target_id, []).append(_event(event))
        return [f.with_events(_latest(by_id.get(f.object_id or "", []))) for f in findings], ()


def _latest(events: list[LogEvent]) -> tuple[LogEvent, ...]:
    return tuple(sorted(events, key=lambda e: e.published, reverse=True)[:EVENTS_PER_FINDING])
