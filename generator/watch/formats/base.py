"""The interfaces of alert formats: a document (`render`), and for `--follow` a format that can
also print alerts as they come (`stream`)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from generator.watch.detection import Alert
from generator.watch.report import WatchReport


class AlertFormat(ABC):
    name: str  # the --format value

    @abstractmethod
    def render(self, report: WatchReport) -> str:
        """The whole document, newline-terminated."""


class StreamingFormat(AlertFormat):
    @abstractmethod
    def stream(self, alerts: list[Alert]) -> str:
        """`alerts` as lines to print as soon as they are found ("" for none)."""
