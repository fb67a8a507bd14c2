"""Runs the detections over a stream of LogEvents: dispatch by event type, de-duplication by
`uuid` within the replay window, a severity floor, and the correlation state in and out.

Time is the events' own (`published`), not the wall clock, so a replayed export behaves like
the live log. Memory is bounded by the replay window: correlation state and the uuids kept for
de-duplication are trimmed to it (and capped in size), whatever the number of events.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any

from generator.errors import InputError
from generator.watch import event as ev
from generator.watch.detection import (
    Alert,
    CorrelationDetection,
    Detection,
    Severity,
    WatchContext,
    rank,
)
from generator.watch.detections import ALL, BY_ID

EXPIRE_EVERY = 10_000  # events between trims of the correlation state


class SeenEvents:
    """The uuids of recently processed events (time-bounded and capped)."""

    def __init__(self, window_ms: int, max_size: int = 500_000) -> None:
        self.window_ms = window_ms
        self.max_size = max_size
        self.uuids: OrderedDict[str, int] = OrderedDict()

    def add(self, uuid: str, moment: int) -> bool:
        """False when `uuid` was seen already (a duplicate)."""
        if uuid in self.uuids:
            return False
        self.uuids[uuid] = moment
        if len(self.uuids) > self.max_size:
            self.uuids.popitem(last=False)
        return True

    def expire(self, now_ms: int) -> None:
        horizon = now_ms - self.window_ms
        for uuid in [u for u, t in self.uuids.items() if t < horizon]:
            del self.uuids[uuid]

    def export(self) -> list[list[Any]]:
        return [[u, t] for u, t in self.uuids.items()]

    def restore(self, data: Any) -> None:
        if isinstance(data, list):
            for entry in data:
                if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], int):
                    self.uuids[str(entry[0])] = entry[1]


def build_detections(
    context: WatchContext,
    only: Sequence[str] = (),
    disabled: Sequence[str] = (),
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    where: str = "watch.parameters",
) -> list[Detection]:
    """The detections to run, each with its parameters checked (unknown id, name or a value of
    the wrong type is an InputError naming it)."""
    for detection_id in (*only, *disabled, *(parameters or {})):
        if detection_id not in BY_ID:
            raise InputError(
                f"unknown detection {detection_id!r} (known: {', '.join(sorted(BY_ID))})"
            )
    chosen = [d for d in ALL if (not only or d.info.id in only) and d.info.id not in disabled]
    built = []
    for kind in chosen:
        given = dict((parameters or {}).get(kind.info.id) or {})
        built.append(kind(context, _parameters(kind, given, f"{where}.{kind.info.id}")))
    return built


def _parameters(kind: type[Detection], given: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(kind.Parameters)}
    for name, value in given.items():
        if name not in known:
            choices = ", ".join(sorted(known)) or "none"
            raise InputError(f"{where}.{name}: unknown parameter (parameters: {choices})")
        default = getattr(kind.Parameters(), name)
        if isinstance(default, bool) != isinstance(value, bool) or not isinstance(
            value, type(default)
        ):
            raise InputError(
                f"{where}.{name}: {value!r} is not a {type(default).__name__} (default {default!r})"
            )
        if isinstance(value, int) and not isinstance(value, bool) and value < 1:
            raise InputError(f"{where}.{name}: {value!r} must be at least 1")
    return kind.Parameters(**given)


class Engine:
    def __init__(
        self,
        detections: Sequence[Detection],
        min_severity: Severity = "low",
        dedupe_minutes: int = 15,
    ) -> None:
        self.detections = list(detections)
        self.floor = rank(min_severity)
        self.seen = SeenEvents(dedupe_minutes * 60_000)
        self.duplicates = 0
        self.events = 0
        self.latest_ms = 0
        self.correlations = [d for d in self.detections if isinstance(d, CorrelationDetection)]
        self._always = [d for d in self.detections if d.info.event_types is None]
        self._typed: dict[str, list[Detection]] = {}
        for detection in self.detections:
            for event_type in detection.info.event_types or ():
                self._typed.setdefault(event_type, []).append(detection)
        self._dispatch: dict[Any, list[Detection]] = {}

    def process(self, event: ev.LogEvent) -> list[Alert]:
        """The alerts of one event (none for a duplicate, or for an item that is no object)."""
        if not isinstance(event, dict):
            return []
        uuid = event.get("uuid")
        moment = ev.published_ms(event) or self.latest_ms
        if isinstance(uuid, str) and uuid and not self.seen.add(uuid, moment):
            self.duplicates += 1
            return []
        self.events += 1
        if moment > self.latest_ms:
            self.latest_ms = moment
        if self.events % EXPIRE_EVERY == 0:
            self.expire()
        event_type = event.get("eventType")
        if not isinstance(event_type, str):
            event_type = None  # a hostile or malformed event: only the untyped detections
        detections = self._dispatch.get(event_type)
        if detections is None:
            typed = self._typed.get(event_type, []) if event_type is not None else []
            detections = self._dispatch[event_type] = self._always + typed
        found: list[Alert] = []
        for detection in detections:
            for alert in detection.observe(event):
                if rank(alert.severity) >= self.floor:
                    found.append(alert)
        return found

    def run(self, events: Iterable[ev.LogEvent]) -> Iterator[Alert]:
        for event in events:
            yield from self.process(event)

    def expire(self) -> None:
        for detection in self.correlations:
            detection.expire(self.latest_ms)
        self.seen.expire(self.latest_ms)

    def export_state(self) -> dict[str, Any]:
        self.expire()
        return {
            "latest_ms": self.latest_ms,
            "seen": self.seen.export(),
            "detections": {d.info.id: d.export_state() for d in self.correlations},
        }

    def import_state(self, data: Any) -> None:
        if not isinstance(data, Mapping):
            return
        if isinstance(data.get("latest_ms"), int):
            self.latest_ms = data["latest_ms"]
        self.seen.restore(data.get("seen"))
        states = data.get("detections")
        if isinstance(states, Mapping):
            for detection in self.correlations:
                if detection.info.id in states:
                    detection.import_state(states[detection.info.id])
