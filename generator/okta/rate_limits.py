"""Okta's rate limits, per endpoint family: each answer's `X-Rate-Limit-Remaining/-Reset`
recorded, requests paced (a nearly used bucket waits for its reset), a 429 waited out until the
reset (bounded by `RetryPolicy.max_rate_limit_wait`). Used by `generator.okta.client`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import requests

from generator.okta.errors import OktaRateLimitError
from generator.okta.responses import api_error, int_header, retry_after, server_time

if TYPE_CHECKING:
    from generator.okta.client import RequestStats, RetryPolicy

log = logging.getLogger("generator.okta")


@dataclass
class Bucket:
    remaining: int
    resets_at: float  # local clock
    reset: int = 0  # the server's X-Rate-Limit-Reset (epoch seconds): identifies the window


class RateLimiter:
    """The buckets seen so far; `lock` and `stats` are the client's (shared with its counters)."""

    def __init__(
        self,
        retry: RetryPolicy,
        stats: RequestStats,
        lock: threading.Lock,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        jitter: Callable[[], float],
    ) -> None:
        self._retry = retry
        self._stats = stats
        self._lock = lock
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._buckets: dict[str, Bucket] = {}

    def record(self, resource: str, response: requests.Response) -> None:
        remaining = int_header(response, "X-Rate-Limit-Remaining")
        reset = int_header(response, "X-Rate-Limit-Reset")
        if remaining is None or reset is None:
            return
        server_now = server_time(response) or self._clock()
        resets_at = self._clock() + max(0.0, reset - server_now)
        with self._lock:
            known = self._buckets.get(resource)
            if known is not None and known.reset == reset:
                # Same window: the local count already holds the requests still in flight,
                # which the server had not seen when it answered; never raise it.
                known.remaining = min(known.remaining, remaining)
            else:
                self._buckets[resource] = Bucket(remaining, resets_at, reset)

    def _reset_wait(self, resource: str) -> float:
        with self._lock:
            bucket = self._buckets.get(resource)
            if bucket is None:
                return 0.0
            return max(0.0, bucket.resets_at - self._clock())

    def pace(self, resource: str) -> None:
        """Wait for the bucket's reset when it is nearly used up; else take one request from
        it, in the same step (concurrent requests cannot all pass on the last one left)."""
        with self._lock:
            bucket = self._buckets.get(resource)
            low = bucket is not None and bucket.remaining <= self._retry.rate_limit_reserve
            if bucket is not None and not low:
                bucket.remaining -= 1
        if not low:
            return
        wait = self._reset_wait(resource)
        if wait > 0:
            wait = min(wait, self._retry.max_rate_limit_wait)
            announce(wait, f"Okta rate limit for {resource} nearly used; pausing until its reset")
            with self._lock:
                self._stats.rate_limit_waits += 1
            self._sleep(wait)
        with self._lock:
            self._buckets.pop(resource, None)

    def wait_for_reset(
        self, method: str, path: str, resource: str, response: requests.Response
    ) -> None:
        wait = self._reset_wait(resource)
        if int_header(response, "X-Rate-Limit-Reset") is None:
            wait = retry_after(response) or self._retry.backoff_base
        if wait > self._retry.max_rate_limit_wait:
            raise api_error(method, path, response, OktaRateLimitError)
        with self._lock:
            self._stats.rate_limit_waits += 1
            self._buckets.pop(resource, None)
        announce(wait, f"{method} {path}: HTTP 429 (rate limited); waiting for the reset")
        self._sleep(wait + 0.05 * self._jitter())


LONG_WAIT_SECONDS = 3.0  # a wait this long is announced on stderr, not only with -v


def announce(seconds: float, what: str) -> None:
    """One line before a wait: a warning (shown without -v) when it is long enough to look like
    a hang (a 429 reset can be most of a minute), else a debug detail."""
    if seconds >= LONG_WAIT_SECONDS:
        log.warning("%s: waiting %.0f s", what, seconds)
    else:
        log.info("%s: waiting %.2f s", what, seconds)


def rate_bucket(path: str) -> str:
    """The rate-limit bucket a request is paced by: its endpoint template, ids replaced by
    `{}` (`/api/v1/users/{}/factors`). Okta limits per endpoint family, and a user's factors
    are not counted with the users listing (`/api/v1/users`): pacing both as one would pause a
    listing for a bucket it does not draw from, or miss the one it does."""
    parts = [part for part in path.split("?", 1)[0].split("/") if part]
    if len(parts) >= 3 and parts[:2] == ["api", "v1"]:
        parts = [
            ("{}" if index >= 3 and index % 2 == 1 else part) for index, part in enumerate(parts)
        ]
    return "/" + "/".join(parts)
