"""The interface of alert sinks."""

from __future__ import annotations

from abc import ABC, abstractmethod

from generator.watch.detection import Alert
from generator.watch.report import WatchReport


class Sink(ABC):
    name: str

    @abstractmethod
    def deliver(self, alerts: list[Alert], report: WatchReport) -> str:
        """Deliver `alerts` (the run's `report` gives context); a one-line outcome. Raises an
        EgressGuardError when delivery failed (the alerts stay pending in the state)."""
