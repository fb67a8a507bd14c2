"""JSON (one document: the run and its alerts) and NDJSON (one alert per line, for SIEMs and
`--follow`)."""

from __future__ import annotations

import json

from generator.watch.detection import Alert
from generator.watch.formats.base import AlertFormat, StreamingFormat
from generator.watch.report import WatchReport


class JsonFormat(AlertFormat):
    name = "json"

    def render(self, report: WatchReport) -> str:
        return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


class NdjsonFormat(StreamingFormat):
    name = "ndjson"

    def render(self, report: WatchReport) -> str:
        return self.stream(report.ordered())

    def stream(self, alerts: list[Alert]) -> str:
        return "".join(
            json.dumps(alert.as_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
            for alert in alerts
        )
