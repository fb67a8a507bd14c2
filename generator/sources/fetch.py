"""Bounded HTTP GET for IP feeds and the Netskope page.

Limits: connect/read timeouts per socket operation, and a deadline for each whole attempt
(connect, headers and body), because a server that drips a byte at a time never trips a read
timeout. Up to `ATTEMPTS` attempts with backoff on network errors, timeouts, 429 and 5xx; other
4xx fail at once. Bodies are capped at `MAX_BYTES` (after decompression).

Secrets: the URL is only ever shown redacted (`secrets.redact_url`), error texts from the HTTP
stack are scrubbed of the URL's secrets and the header values, and urllib3's debug log lines
(which quote the request path with its query) are scrubbed while a fetch runs. With request
headers (credentials), redirects are not followed, so the headers never reach another URL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import requests
import urllib3

from generator.errors import InputError
from generator.sources.secrets import redact_url, scrub, url_secrets

TIMEOUT: tuple[float, float] = (5.0, 30.0)  # connect, read (seconds, per socket operation)
DEADLINE_SECONDS = 60.0  # one whole attempt; feeds override it with timeout_seconds
ATTEMPTS = 3
BACKOFF_SECONDS = 0.5
MAX_BYTES = 5 * 1024 * 1024
CHUNK = 65536
USER_AGENT = "egress-guard (+https://github.com/okta-egress-guard)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


class _Transient(Exception):
    """A failure worth another attempt; the message says what happened."""


@dataclass
class _Attempt:
    """State shared between the caller and the worker thread of one attempt."""

    cancelled: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    result: tuple[bytes, str] | None = None
    error: BaseException | None = None


@dataclass(frozen=True)
class _Target:
    url: str
    label: str  # "<source> (<redacted url>)" for messages
    headers: Mapping[str, str]
    secrets: tuple[str, ...]


def fetch(
    url: str,
    label: str,
    headers: Mapping[str, str] | None = None,
    deadline_seconds: float = DEADLINE_SECONDS,
) -> tuple[bytes, str]:
    """GET `url` → (body, content type). Raises InputError naming `label` and the redacted URL."""
    extra = dict(headers or {})
    target = _Target(
        url, f"{label} ({redact_url(url)})", extra, (*url_secrets(url), *extra.values())
    )
    last_problem = "no attempt made"
    with _scrubbed_urllib3_log(target.secrets):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return _attempt_with_deadline(target, deadline_seconds)
            except _Transient as problem:
                last_problem = str(problem)
            if attempt < ATTEMPTS:
                time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise InputError(f"{target.label}: {last_problem} after {ATTEMPTS} attempts")


def _attempt_with_deadline(target: _Target, seconds: float) -> tuple[bytes, str]:
    """One attempt in a daemon thread, abandoned (and told to stop) when `seconds` pass."""
    state = _Attempt()
    worker = threading.Thread(
        target=_run, args=(target, seconds, state), name="egress-guard-fetch", daemon=True
    )
    worker.start()
    if not state.done.wait(seconds):
        state.cancelled.set()
        raise _Transient(f"no complete response within the {seconds:g} s deadline")
    if state.error is not None:
        raise state.error
    assert state.result is not None
    return state.result


def _run(target: _Target, seconds: float, state: _Attempt) -> None:
    try:
        state.result = _get(target, seconds, state.cancelled)
    except BaseException as error:  # handed to the waiting caller
        state.error = error
    finally:
        state.done.set()


def _get(target: _Target, seconds: float, cancelled: threading.Event) -> tuple[bytes, str]:
    timeout = (min(TIMEOUT[0], seconds), min(TIMEOUT[1], seconds))
    try:
        with requests.get(
            target.url,
            timeout=timeout,
            stream=True,
            headers={"User-Agent": USER_AGENT, **target.headers},
            allow_redirects=not target.headers,
        ) as response:
            _check_status(target, response)
            body = _read_capped(target, response, cancelled)
            return body, response.headers.get("Content-Type", "")
    except (requests.Timeout, urllib3.exceptions.TimeoutError):
        raise _Transient(
            f"timed out (limits: connect {timeout[0]:g} s, read {timeout[1]:g} s)"
        ) from None
    except (requests.ConnectionError, urllib3.exceptions.HTTPError) as error:
        raise _Transient(f"connection failed: {type(error).__name__}") from None
    except requests.RequestException as error:
        reason = scrub(str(error), target.secrets)
        raise InputError(f"{target.label}: request failed: {reason}") from None


def _check_status(target: _Target, response: requests.Response) -> None:
    status = response.status_code
    if status in _RETRY_STATUS:
        raise _Transient(f"HTTP {status}")
    if status in _REDIRECT_STATUS:  # only seen when redirects are not followed (headers set)
        location = redact_url(response.headers.get("Location", "(no Location)"))
        raise InputError(
            f"{target.label}: HTTP {status} redirect to {location}; feeds with headers do not "
            "follow redirects (the credentials must not reach another URL): configure the "
            "final URL"
        )
    if status >= 400:
        raise InputError(f"{target.label}: HTTP {status}")


def _read_capped(target: _Target, response: requests.Response, cancelled: threading.Event) -> bytes:
    raw = response.raw
    chunks: list[bytes] = []
    size = 0
    while not cancelled.is_set():
        # read1 returns what has arrived instead of waiting for a full chunk, so a cancelled
        # attempt stops promptly even against a server that drips its body
        chunk = raw.read1(CHUNK, decode_content=True)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise InputError(f"{target.label}: response larger than {MAX_BYTES} bytes; refused")
        chunks.append(chunk)
    raise _Transient("cancelled")


class _ScrubFilter(logging.Filter):
    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub(record.getMessage(), self.secrets), None
        return True


@contextmanager
def _scrubbed_urllib3_log(secrets: tuple[str, ...]) -> Iterator[None]:
    """urllib3 logs `"GET /path?api_key=... HTTP/1.1" 200` at debug level (`egress-guard -v`)."""
    logger = logging.getLogger("urllib3.connectionpool")
    scrubber = _ScrubFilter(secrets)
    logger.addFilter(scrubber)
    try:
        yield
    finally:
        logger.removeFilter(scrubber)
