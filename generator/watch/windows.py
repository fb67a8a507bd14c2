"""Sliding-window counters for threshold detections: per key (a user, an address), the times
of recent occurrences, bounded in keys (least recently used forgotten first) and in time."""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Any


class SlidingCounts:
    def __init__(self, window_ms: int, max_keys: int) -> None:
        self.window_ms = window_ms
        self.max_keys = max_keys
        self.times: OrderedDict[str, deque[int]] = OrderedDict()
        self.alerted: dict[str, int] = {}  # key -> time of its last alert

    def add(self, key: str, moment: int) -> int:
        """Record an occurrence; the number within the window ending at `moment`."""
        times = self.times.get(key)
        if times is None:
            times = self.times[key] = deque()
            while len(self.times) > self.max_keys:
                gone, _ = self.times.popitem(last=False)
                self.alerted.pop(gone, None)
        else:
            self.times.move_to_end(key)
        times.append(moment)
        horizon = moment - self.window_ms
        while times and times[0] < horizon:
            times.popleft()
        return len(times)

    def count(self, key: str, moment: int) -> int:
        times = self.times.get(key)
        if not times:
            return 0
        horizon = moment - self.window_ms
        return sum(1 for t in times if t >= horizon)

    def first_alert(self, key: str, moment: int) -> bool:
        """True once per window per key: whether to alert now."""
        last = self.alerted.get(key)
        if last is not None and moment - last < self.window_ms:
            return False
        self.alerted[key] = moment
        return True

    def clear(self, key: str) -> None:
        self.times.pop(key, None)

    def expire(self, now_ms: int) -> None:
        horizon = now_ms - self.window_ms
        for key in [k for k, t in self.times.items() if not t or t[-1] < horizon]:
            del self.times[key]
        for key in [k for k, t in self.alerted.items() if t < horizon]:
            del self.alerted[key]

    def export(self) -> Any:
        return {"times": {k: list(v) for k, v in self.times.items()}, "alerted": self.alerted}

    def restore(self, data: Any) -> None:
        if not isinstance(data, dict):
            return
        times = data.get("times")
        if isinstance(times, dict):
            for key, values in times.items():
                if isinstance(values, list) and all(isinstance(v, int) for v in values):
                    self.times[str(key)] = deque(values)
        alerted = data.get("alerted")
        if isinstance(alerted, dict):
            self.alerted.update({str(k): v for k, v in alerted.items() if isinstance(v, int)})
