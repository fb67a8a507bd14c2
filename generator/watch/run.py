"""One watch run: pages of events through the engine, the state file as an outbox, the sinks.

For every page: its events go through the detections; the alerts join `pending`; the new
cursor, seen uuids and correlation state are saved with them (atomically). At the end of a
one-shot run (after every page with `--follow`) the pending alerts go to the sinks and, once
all delivered, are cleared from the state. A read that fails midway stops the run: what was
processed stays processed (cursor saved), what was found is reported, and the run is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import EgressGuardError
from generator.watch.detection import Alert
from generator.watch.engine import Engine
from generator.watch.report import WatchReport
from generator.watch.sinks.base import Sink
from generator.watch.sources import EventSource, Page
from generator.watch.state import WatchState, save_state


@dataclass
class Outbox:
    """The state (if any) and where it is saved."""

    state: WatchState | None = None
    path: Path | None = None

    def save(self) -> None:
        if self.state is not None and self.path is not None:
            save_state(self.path, self.state)


@dataclass
class Runner:
    engine: Engine
    report: WatchReport
    sinks: Sequence[Sink] = ()
    outbox: Outbox = field(default_factory=Outbox)
    on_alerts: Callable[[list[Alert]], None] | None = None  # streaming output (--follow)
    on_delivery: Callable[[str], None] | None = None  # one line per sink outcome
    follow: bool = False
    delivery_failed: bool = False
    between_pages: Callable[[], None] | None = None  # --follow: refresh what is due

    def run(self, source: EventSource) -> WatchReport:
        state = self.outbox.state
        if state is not None:
            self.engine.import_state(state.engine)
            carried = [Alert.from_dict(a) for a in state.pending]
            if carried:
                self.report.notes.append(
                    f"{len(carried)} alert(s) of an interrupted run delivered again"
                )
                self.report.alerts += carried
        try:
            for page in source.pages():
                self._page(page)
                if self.follow:
                    self.deliver()
                if self.between_pages is not None:
                    self.between_pages()
        except EgressGuardError as error:
            self.report.error = str(error)
        finally:
            self.report.events = self.engine.events
            self.report.duplicates = self.engine.duplicates
        if not self.follow:
            self.deliver()
        return self.report

    def _page(self, page: Page) -> None:
        found: list[Alert] = []
        for event in page.events:
            found += self.engine.process(event)
            published = event.get("published")
            if isinstance(published, str):
                if self.report.first_published is None or published < self.report.first_published:
                    self.report.first_published = published
                if self.report.last_published is None or published > self.report.last_published:
                    self.report.last_published = published
        self.report.alerts += found
        state = self.outbox.state
        if state is not None:
            if page.cursor is not None:
                state.next_url = page.cursor
            if self.report.last_published:
                state.last_published = max(state.last_published or "", self.report.last_published)
            state.events += len(page.events)
            state.pending += [a.as_dict() for a in found]
            state.remember(found)
            if page.events or page.cursor:
                state.engine = self.engine.export_state()
                self.outbox.save()
        if found and self.on_alerts is not None:
            self.on_alerts(found)

    def deliver(self) -> None:
        """Send the pending alerts to every sink. With `--follow` the alerts were printed as
        they came, so they are then acknowledged; a one-shot run's command acknowledges them
        once it has written its report (until then they stay pending in the state)."""
        state = self.outbox.state
        pending = (
            [Alert.from_dict(a) for a in state.pending] if state is not None else self.report.alerts
        )
        if not pending:
            return
        try:
            for sink in self.sinks:
                outcome = sink.deliver(pending, self.report)
                if self.on_delivery is not None:
                    self.on_delivery(outcome)
        except EgressGuardError as error:
            self.report.error = self.report.error or str(error)
            self.delivery_failed = True
            return
        if self.follow:
            self.acknowledge()

    def acknowledge(self) -> None:
        """The pending alerts were delivered everywhere: clear them from the state."""
        state = self.outbox.state
        if state is not None and state.pending and not self.delivery_failed:
            state.pending = []
            self.outbox.save()
