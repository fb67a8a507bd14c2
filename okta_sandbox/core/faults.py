"""Fault injection: `KIND[=VALUE][xCOUNT][@PATH_PREFIX]`, e.g. `latency=250`, `429x3@/api/v1/zones`,
`503x1`, `dropx2`, `truncate@/api/v1/policies`, `repeat-cursor@/api/v1/logs`.

KIND is one of latency (VALUE = milliseconds, required), 403, 429, 500, 501, 503, drop,
truncate, repeat-cursor (403: E0000006 "You do not have permission"; 501: E0000060 "Unsupported
operation.", how an endpoint refuses an operation it does not support). COUNT limits how many
matching requests the fault hits (default: all until cleared). PATH_PREFIX limits it to request
paths starting with it (default: every path).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

KINDS = ("latency", "403", "429", "500", "501", "503", "drop", "truncate", "repeat-cursor")
REPLACING = ("403", "429", "500", "501", "503", "drop")  # kinds that replace the response
_SPEC = re.compile(
    r"^(?P<kind>latency|403|429|500|501|503|drop|truncate|repeat-cursor)"
    r"(?:=(?P<value>\d+))?(?:x(?P<count>\d+))?(?:@(?P<path>/\S*))?$"
)


class FaultSpecError(ValueError):
    """A fault SPEC that does not parse; the message names the spec and the expected syntax."""


@dataclass
class Fault:
    kind: str
    value: int = 0
    remaining: int | None = None  # None: unlimited
    path: str = ""

    def spec(self) -> str:
        """The SPEC that recreates this fault with its remaining count."""
        text = self.kind + (f"={self.value}" if self.kind == "latency" else "")
        text += f"x{self.remaining}" if self.remaining is not None else ""
        return text + (f"@{self.path}" if self.path else "")

    def matches(self, path: str) -> bool:
        return path.startswith(self.path) and (self.remaining is None or self.remaining > 0)


def parse_fault(spec: str) -> Fault:
    match = _SPEC.match(spec.strip())
    if match is None:
        raise FaultSpecError(
            f"invalid fault spec {spec!r}: expected KIND[=VALUE][xCOUNT][@PATH_PREFIX] "
            f"with KIND one of {', '.join(KINDS)}"
        )
    kind, value = match["kind"], match["value"]
    if kind == "latency" and value is None:
        raise FaultSpecError(f"invalid fault spec {spec!r}: latency needs =MILLISECONDS")
    if kind != "latency" and value is not None:
        raise FaultSpecError(f"invalid fault spec {spec!r}: only latency takes a =VALUE")
    count = int(match["count"]) if match["count"] else None
    return Fault(kind, int(value or 0), count, match["path"] or "")


class FaultSet:
    """Thread-safe list of active faults; `take` consumes one use of each fault that fires."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: str) -> Fault:
        fault = parse_fault(spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def specs(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, path: str) -> list[Fault]:
        """The faults firing for this request (at most one of the response-replacing kinds)."""
        fired: list[Fault] = []
        replacing = False
        with self._lock:
            for fault in self._faults:
                if not fault.matches(path):
                    continue
                if fault.kind in REPLACING:
                    if replacing:
                        continue
                    replacing = True
                fired.append(fault)
                if fault.remaining is not None:
                    fault.remaining -= 1
            self._faults = [f for f in self._faults if f.remaining is None or f.remaining > 0]
        return fired
