"""Generic IP feeds from a URL or a file: plain lines, or JSON with an RFC 6901 pointer.

Fetching is bounded: connect/read timeouts, a few retries with backoff on network errors, 429 and
5xx, and a response size cap. Content is checked: an HTML page (a login or error page served with
200) or an empty list is an error, never an empty zone.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import requests
from referencing import Registry, Resource
from referencing.exceptions import PointerToNowhere

from generator.errors import InputError
from generator.settings import FeedConfig
from generator.sources.base import SourcedCidr, SourceResult

TIMEOUT: tuple[float, float] = (5.0, 30.0)  # connect, read (seconds)
ATTEMPTS = 3
BACKOFF_SECONDS = 0.5
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "egress-guard (+https://github.com/okta-egress-guard)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def fetch(url: str, label: str) -> tuple[bytes, str]:
    """GET `url` → (body, content type). Raises InputError naming `label` and the URL."""
    last_problem = "no attempt made"
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with requests.get(
                url, timeout=TIMEOUT, stream=True, headers={"User-Agent": USER_AGENT}
            ) as response:
                if response.status_code in _RETRY_STATUS:
                    last_problem = f"HTTP {response.status_code}"
                elif response.status_code >= 400:
                    raise InputError(f"{label} ({url}): HTTP {response.status_code}")
                else:
                    return _read_capped(response, label, url), response.headers.get(
                        "Content-Type", ""
                    )
        except requests.Timeout:
            last_problem = f"timed out (limits: connect {TIMEOUT[0]}s, read {TIMEOUT[1]}s)"
        except requests.ConnectionError as error:
            last_problem = f"connection failed: {type(error).__name__}"
        except requests.RequestException as error:
            raise InputError(f"{label} ({url}): request failed: {error}") from error
        if attempt < ATTEMPTS:
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise InputError(f"{label} ({url}): {last_problem} after {ATTEMPTS} attempts")


def _read_capped(response: requests.Response, label: str, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_BYTES:
            raise InputError(f"{label} ({url}): response larger than {MAX_BYTES} bytes; refused")
        chunks.append(chunk)
    return b"".join(chunks)


def read_file(path: Path, label: str) -> bytes:
    """The file's bytes; `label` names the source and file in errors."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{label}: file larger than {MAX_BYTES} bytes; refused")
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{label}: cannot read {path}: {error.strerror or error}") from error


def looks_like_html(text: str, content_type: str = "") -> bool:
    head = text.lstrip()[:512].lower()
    return "html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<head", "<"))


def parse_lines(text: str, name: str, origin: str) -> list[SourcedCidr]:
    """One address or CIDR per line; blank lines and `#` comments ignored."""
    cidrs = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split("#", 1)[0].strip()
        if value:
            cidrs.append(SourcedCidr(value, name, origin, f"line {number}"))
    return cidrs


def parse_json(text: str, pointer: str, name: str, origin: str) -> list[SourcedCidr]:
    """The list of strings at RFC 6901 `pointer` ("" = the whole document)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{name} ({origin}): not valid JSON: {error}") from error
    resource: Resource[Any] = Resource.opaque(document)
    try:
        target = resource.pointer(pointer, Registry().resolver()).contents if pointer else document
    except PointerToNowhere:
        raise InputError(f"{name} ({origin}): JSON pointer {pointer!r} matches nothing") from None
    if not isinstance(target, list) or not all(isinstance(item, str) for item in target):
        raise InputError(
            f"{name} ({origin}): JSON pointer {pointer or '(root)'!r} must select a list of "
            f"CIDR strings, found {type(target).__name__}"
        )
    return [SourcedCidr(item, name, origin, f"{pointer}/{i}") for i, item in enumerate(target)]


def parse_feed(
    body: bytes, content_type: str, feed: FeedConfig, name: str, origin: str
) -> list[SourcedCidr]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name} ({origin}): not UTF-8 text: {error}") from error
    if looks_like_html(text, content_type):
        raise InputError(f"{name} ({origin}): returned an HTML page, not an IP feed")
    if feed.format == "json":
        cidrs = parse_json(text, feed.pointer or "", name, origin)
    else:
        cidrs = parse_lines(text, name, origin)
    if not cidrs:
        raise InputError(f"{name} ({origin}): feed lists no CIDRs; refusing an empty zone")
    return cidrs


class FeedSource:
    def __init__(self, feed: FeedConfig, shown_file: str = "") -> None:
        self.feed = feed
        self.shown_file = shown_file or str(feed.file)
        self.name = f"feed-{feed.name}"

    def resolve(self, offline: bool) -> SourceResult:
        feed = self.feed
        if feed.url is not None:
            if offline:
                raise InputError(
                    f"{self.name} ({feed.url}): URL feeds are not available with --offline "
                    "(use a file feed, or run without --offline)"
                )
            body, content_type = fetch(feed.url, self.name)
            origin, kind = feed.url, "feed-url"
        else:
            assert feed.file is not None  # config guarantees exactly one of url/file
            body, content_type = read_file(feed.file, f"{self.name} ({self.shown_file})"), ""
            origin, kind = self.shown_file, "feed-file"
        cidrs = parse_feed(body, content_type, feed, self.name, origin)
        return SourceResult(self.name, kind, origin, tuple(cidrs), feed.as_proxies)
