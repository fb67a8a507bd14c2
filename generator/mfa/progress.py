"""Progress of a long coverage read on a terminal: one line on stderr, rewritten in place at
most a few times a second; nothing when stderr is not a terminal (CI logs stay clean)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.25,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.clock = clock
        self.interval = interval
        self.started = clock()
        self._last = float("-inf")
        self._shown = False

    def update(self, checked: int, without_mfa: int, requests: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        elapsed = max(now - self.started, 1e-9)
        line = (
            f"MFA coverage: {checked:,} users read, {without_mfa:,} without MFA, "
            f"{requests / elapsed:,.0f} requests/s"
        )
        self.stream.write("\r" + line + "\033[K")
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\n")
            self.stream.flush()
