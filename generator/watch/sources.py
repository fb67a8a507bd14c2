"""Where events come from: Okta's System Log API (`GET /api/v1/logs`) or an exported file.

The API is read the way Okta's System Log query guide prescribes: a *polling* request (no
`until`, `sortOrder=ASCENDING`) returns every event by persistence time and always has a
`Link: rel="next"`, even on an empty page; the next link is followed as given (never rebuilt
from `published`, which may be out of order), and an empty page means "nothing newer yet": a
one-shot run stops there, `--follow` waits `poll_seconds` and asks the same link again. With
`until` the request is *bounded* and ends at the page without a next link. A next link that
repeats the page it came from while that page had events would loop forever: it is an error
(the read is incomplete), never "done".
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.okta.client import OktaClient
from generator.okta.errors import OktaApiError, OktaPaginationError, OktaTransportError

LOGS_PATH = "/api/v1/logs"
PAGE_LIMIT = 1000
FILE_PAGE = 1000


@dataclass(frozen=True)
class Page:
    events: list[Mapping[str, Any]]
    cursor: str | None  # where to read next (None: a bounded read or a file ended)


class EventSource(ABC):
    @abstractmethod
    def pages(self) -> Iterator[Page]:
        """The pages of events, in reading order; raises on a read that cannot complete."""


class SystemLogSource(EventSource):
    def __init__(
        self,
        client: OktaClient,
        *,
        since: str | None = None,
        until: str | None = None,
        resume: str | None = None,
        event_filter: str | None = None,
        follow: bool = False,
        poll_seconds: float = 30.0,
        stopped: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], None] = time.sleep,
        fallback_since: str | None = None,
    ) -> None:
        self.client = client
        self.fallback_since = fallback_since  # when Okta refuses the stored cursor (400)
        self.notes: list[str] = []
        self.since, self.until, self.resume = since, until, resume
        self.event_filter = event_filter
        self.follow = follow and until is None
        self.poll_seconds = poll_seconds
        self.stopped = stopped
        self.sleep = sleep

    def first_request(self) -> tuple[str, dict[str, str] | None]:
        if self.resume:
            return self.resume, None
        params = {"sortOrder": "ASCENDING", "limit": str(PAGE_LIMIT)}
        if self.since:
            params["since"] = self.since
        if self.until:
            params["until"] = self.until
        if self.event_filter:
            params["filter"] = self.event_filter
        return LOGS_PATH, params

    def _get(self, url: str, params: dict[str, str] | None) -> tuple[Any, str | None, str]:
        try:
            body, next_url = self.client.request("GET", url, params=params)
        except OktaApiError as error:
            if not (url == self.resume and error.status == 400 and self.fallback_since):
                raise
            self.notes.append(
                f"Okta refused the stored cursor ({error.error_code or 'HTTP 400'}); read again "
                f"from {self.fallback_since} (events already processed are skipped by uuid)"
            )
            self.resume = None
            self.since = self.fallback_since
            url, params = self.first_request()
            body, next_url = self.client.request("GET", url, params=params)
        return body, next_url, url

    def pages(self) -> Iterator[Page]:
        url, params = self.first_request()
        while not self.stopped():
            body, next_url, url = self._get(url, params)
            if not isinstance(body, list):
                raise OktaTransportError(
                    f"GET {LOGS_PATH}: expected a JSON array, got {type(body).__name__}"
                )
            events = [e for e in body if isinstance(e, Mapping)]
            yield Page(events, next_url)
            if next_url is None:
                return  # a bounded read ended (a polling read always has a next link)
            if events and next_url == url and params is None:
                raise OktaPaginationError(
                    f"GET {LOGS_PATH}: the next link repeats the page it came from; the read "
                    "is incomplete"
                )
            if not events:
                if not self.follow:
                    return
                self._wait()
            url, params = next_url, None

    def _wait(self) -> None:
        deadline = time.monotonic() + self.poll_seconds
        while not self.stopped() and time.monotonic() < deadline:
            self.sleep(min(1.0, max(deadline - time.monotonic(), 0.0)))


class FileSource(EventSource):
    """LogEvents exported to a file: a JSON array, or one JSON object per line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def pages(self) -> Iterator[Page]:
        batch: list[Mapping[str, Any]] = []
        for event in self._events():
            batch.append(event)
            if len(batch) == FILE_PAGE:
                yield Page(batch, None)
                batch = []
        if batch:
            yield Page(batch, None)

    def _events(self) -> Iterator[Mapping[str, Any]]:
        try:
            handle = self.path.open(encoding="utf-8")
        except OSError as error:
            raise InputError(f"{self.path}: cannot read events: {error.strerror}") from None
        with handle:
            first = handle.read(1)
            while first.isspace():
                first = handle.read(1)
            if first == "[":
                yield from self._array(first + handle.read())
                return
            for number, line in enumerate((first + handle.readline(), *handle), start=1):
                if line.strip():
                    yield self._object(line, f"line {number}")

    def _array(self, text: str) -> Iterator[Mapping[str, Any]]:
        try:
            events = json.loads(text)
        except ValueError as error:
            raise InputError(f"{self.path}: not a JSON array of events: {error}") from None
        for index, event in enumerate(events):
            if not isinstance(event, Mapping):
                raise InputError(f"{self.path}: item {index} is not a LogEvent object")
            yield event

    def _object(self, line: str, where: str) -> Mapping[str, Any]:
        try:
            event = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{self.path}, {where}: not JSON: {error.msg}") from None
        if not isinstance(event, Mapping):
            raise InputError(f"{self.path}, {where}: not a LogEvent object")
        return event
