"""A small Okta Management API client: raw JSON over `requests`.

Why not the official SDK: it cannot parse DYNAMIC_V2 zones (present in every org) and fills in
schema defaults, which would hide exactly the differences drift must see.

Behaviour: `Link rel="next"` pagination (a repeating or foreign cursor is an error), pacing from
`X-Rate-Limit-Remaining/-Reset`, 429 waited out until the reset (bounded), 5xx, connection errors
and truncated bodies retried with jittered exponential backoff (bounded), typed errors. Requests
and errors are logged by method and path only; credentials never reach a message or a log line.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from generator.okta.auth import OktaSettings, PrivateKeyJwtAuth, build_auth
from generator.okta.errors import (
    OktaPaginationError,
    OktaRateLimitError,
    OktaTransportError,
)
from generator.okta.rate_limits import RateLimiter, announce, rate_bucket
from generator.okta.responses import (
    api_error,
    error_detail,
    retry_after,
)
from generator.okta.scopes import resource_of

log = logging.getLogger("generator.okta")

T = TypeVar("T")
R = TypeVar("R")
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
_TRANSPORT_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
USER_AGENT = "okta-egress-guard"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5  # per request, for 5xx / connection errors / unreadable bodies
    backoff_base: float = 0.5  # seconds; doubled per attempt, jittered to 50-100 %
    backoff_max: float = 10.0
    max_rate_limit_waits: int = 5  # 429 answers waited out per request
    max_rate_limit_wait: float = 120.0  # longest single wait for a rate-limit reset
    rate_limit_reserve: int = 1  # pace (wait for reset) when a bucket has this many left
    timeout: float = 30.0  # per HTTP request
    max_pages: int = 10_000


@dataclass
class RequestStats:
    """Counters for benchmarks and logs (thread-safe through the client's lock)."""

    requests: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    by_resource: Counter[str] = field(default_factory=Counter)


class OktaClient:
    def __init__(
        self,
        settings: OktaSettings,
        *,
        retry: RetryPolicy | None = None,
        concurrency: int = 8,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.org_url = settings.org_url
        self.retry = retry or RetryPolicy()
        self.concurrency = max(1, concurrency)
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._session = session or requests.Session()
        _read_environment_once(self._session, self.org_url)
        adapter = requests.adapters.HTTPAdapter(
            pool_connections=4, pool_maxsize=self.concurrency + 2, max_retries=0
        )
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
        self._auth = build_auth(settings, self._session, clock=clock)
        self._lock = threading.Lock()
        # Bounds the requests in flight however many threads callers use (nested pools are safe:
        # the slot is held only for the duration of one HTTP exchange).
        self._inflight = threading.BoundedSemaphore(self.concurrency)
        self.stats = RequestStats()
        self._limits = RateLimiter(self.retry, self.stats, self._lock, clock, sleep, jitter)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **kwargs: Any) -> OktaClient:
        return cls(OktaSettings.from_env(os.environ if env is None else env), **kwargs)

    def __enter__(self) -> OktaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    @property
    def missing_scopes(self) -> tuple[str, ...]:
        """Optional OAuth scopes the access token lacks (known once a request was made)."""
        return self._auth.missing_scopes if isinstance(self._auth, PrivateKeyJwtAuth) else ()

    # ---- public API -------------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        return self.request("GET", path, params=params)[0]

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None = None,
        json: Any = None,
    ) -> tuple[Any, str | None]:
        """One API call (with retries); returns the decoded body and the `next` link, if any."""
        url = self._url(path)
        response, body = self._send(method, url, params, json)
        next_url = response.links.get("next", {}).get("url")
        return body, next_url

    def list_all(self, path: str, params: Mapping[str, str] | None = None) -> list[Any]:
        """Every item of a paginated collection, following `Link: rel="next"` to the end."""
        return [item for page in self.pages(path, params) for item in page]

    def pages(self, path: str, params: Mapping[str, str] | None = None) -> Iterator[list[Any]]:
        """The pages of a collection as they arrive (callers can act on page 1 while page 2
        is read); a repeating or foreign cursor raises before the listing is complete."""
        seen: set[str] = set()
        url: str | None = self._url(path)
        query: Mapping[str, str] | None = params
        pages = 0
        while url is not None:
            pages += 1
            if pages > self.retry.max_pages:
                raise OktaPaginationError(f"GET {_path_of(path)}: more than {pages - 1} pages")
            body, next_url = self.request("GET", url, params=query)
            if not isinstance(body, list):
                raise OktaTransportError(
                    f"GET {_path_of(url)}: expected a JSON array, got {type(body).__name__}"
                )
            yield body
            query = None  # the next link carries the whole query
            if next_url is None:
                return
            if next_url in seen:
                raise OktaPaginationError(
                    f"GET {_path_of(path)}: the pagination cursor repeated after page {pages} "
                    "(the listing would never end); the read is incomplete"
                )
            seen.add(next_url)
            url = next_url

    def map_concurrent(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """`function` over `items` in threads, order kept; HTTP requests in flight stay bounded
        by `concurrency`. The first exception propagates (a partial read fails the run)."""
        work = list(items)
        if len(work) <= 1:
            return [function(item) for item in work]
        with ThreadPoolExecutor(max_workers=min(max(self.concurrency, 2), len(work))) as pool:
            return list(pool.map(function, work))

    # ---- internals --------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            target, org = urlsplit(path), urlsplit(self.org_url)
            if (target.scheme, target.netloc) != (org.scheme, org.netloc):
                raise OktaPaginationError(
                    f"refusing to follow a link to another origin: {target.scheme}://"
                    f"{target.netloc}{target.path}"
                )
            return path
        return self.org_url + ("" if path.startswith("/") else "/") + path

    def _send(
        self, method: str, url: str, params: Mapping[str, str] | None, json: Any
    ) -> tuple[requests.Response, Any]:
        path = _path_of(url)
        resource = resource_of(path)
        bucket = rate_bucket(path)
        attempt = 0
        waits_429 = 0
        reauthenticated = False
        while True:
            self._limits.pace(bucket)
            self._count(resource)
            try:
                with self._inflight:
                    response = self._session.request(
                        method,
                        url,
                        params=params,
                        json=json,
                        auth=self._auth,
                        timeout=self.retry.timeout,
                    )
                self._limits.record(bucket, response)
                if response.status_code == 429:
                    waits_429 += 1
                    if waits_429 > self.retry.max_rate_limit_waits:
                        raise api_error(method, path, response, OktaRateLimitError)
                    self._limits.wait_for_reset(method, path, bucket, response)
                    continue
                if response.status_code in RETRYABLE_STATUS:
                    reason = f"HTTP {response.status_code}{error_detail(response)}"
                    raise _Retryable(reason, retry_after(response))
                if (
                    response.status_code == 401
                    and isinstance(self._auth, PrivateKeyJwtAuth)
                    and not reauthenticated
                ):
                    self._auth.invalidate()
                    reauthenticated = True
                    continue
                if response.status_code >= 400:
                    raise api_error(method, path, response)
                body = _decode(response)
            except _Retryable as retry:
                attempt = self._retry_or_raise(method, path, attempt, retry.reason, retry.after)
                continue
            except _TRANSPORT_ERRORS as error:
                reason = _transport_reason(error)
                attempt = self._retry_or_raise(method, path, attempt, reason, None)
                continue
            log.debug("%s %s -> %s", method, path, response.status_code)
            return response, body

    def _count(self, resource: str) -> None:
        with self._lock:
            self.stats.requests += 1
            self.stats.by_resource[resource] += 1

    def _retry_or_raise(
        self, method: str, path: str, attempt: int, reason: str, after: float | None
    ) -> int:
        """Back off and return the next attempt number, or raise when out of attempts. A POST
        (create) is never repeated: the first one may have taken effect."""
        attempt += 1
        if method.upper() == "POST":
            raise OktaTransportError(f"{method} {path}: {reason} (not retried: not idempotent)")
        if attempt >= self.retry.max_attempts:
            raise OktaTransportError(
                f"{method} {path}: {reason}, still failing after {attempt} attempts"
            )
        delay = min(self.retry.backoff_max, self.retry.backoff_base * 2 ** (attempt - 1))
        delay *= 0.5 + self._jitter() / 2
        if after is not None:
            delay = max(delay, min(after, self.retry.backoff_max))
        with self._lock:
            self.stats.retries += 1
        announce(delay, f"{method} {path}: {reason}; retry {attempt}")
        self._sleep(delay)
        return attempt


class _Retryable(Exception):
    def __init__(self, reason: str, after: float | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


def _transport_reason(error: Exception) -> str:
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "response body truncated (connection closed mid-body)"
    if isinstance(error, requests.Timeout):
        return "request timed out"
    return f"connection failed or dropped ({type(error).__name__})"


def _read_environment_once(session: requests.Session, org_url: str) -> None:
    """Take the proxy and CA-bundle variables once, not on every request: requests' per-request
    lookup (every environment variable, ~/.netrc) costs more CPU than a small API call, and a
    ~/.netrc entry for the org would replace the Authorization header with Basic auth."""
    if not session.trust_env:
        return
    session.proxies.update(requests.utils.get_environ_proxies(org_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle and session.verify is True:
        session.verify = bundle
    session.trust_env = False


def _path_of(url: str) -> str:
    return urlsplit(url).path or "/"


def _decode(response: requests.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise _Retryable("unreadable (truncated?) JSON body", None) from None
