"""Generic IP feeds from a URL or a file: plain lines, or JSON with an RFC 6901 pointer.

URLs are fetched by `generator.sources.fetch` (timeouts, a deadline per attempt, bounded retries,
a size cap), with any configured headers read from the environment at fetch time. Content is
checked: an HTML page (a login or error page served with 200) or an empty list is an error, never
an empty zone. A URL is only ever shown redacted (`?api_key=***`).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.exceptions import PointerToNowhere

from generator.errors import InputError
from generator.settings import FeedConfig
from generator.sources import fetch as fetching
from generator.sources.base import SourcedCidr, SourceResult, UrlOrigin
from generator.sources.secrets import redact_url, scrub

# Kernel pseudo-filesystems: their "regular files" (/proc/self/environ, /sys/...) report size 0
# and hold process state, never an IP feed.
PSEUDO_FILESYSTEMS = ("/proc", "/sys", "/dev")


def read_file(path: Path, label: str) -> bytes:
    """The bytes of a regular file, read with a hard cap (`fetch.MAX_BYTES`) while reading: a
    size from `stat` is not trusted (a device or a /proc file says 0 and never ends). Devices,
    FIFOs, directories and files under /proc, /sys or /dev are refused. `label` names the source
    and file in errors; no error shows the file's content."""
    real = os.path.realpath(path)
    if any(real == root or real.startswith(root + "/") for root in PSEUDO_FILESYSTEMS):
        raise InputError(f"{label}: {path} is a kernel pseudo-file, not a feed; refused")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (no effect on regular files)
        descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise InputError(f"{label}: cannot read {path}: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InputError(f"{label}: {path} is not a regular file; refused")
        try:
            data = handle.read(fetching.MAX_BYTES + 1)
        except OSError as error:
            raise InputError(f"{label}: cannot read {path}: {error.strerror or error}") from None
    if len(data) > fetching.MAX_BYTES:
        raise InputError(f"{label}: file larger than {fetching.MAX_BYTES} bytes; refused")
    return data


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


def request_headers(feed: FeedConfig, label: str) -> dict[str, str]:
    """Header name → value, each value read from the environment variable the config names."""
    headers = {}
    for header, variable in feed.headers:
        value = os.environ.get(variable)
        if not value:
            raise InputError(
                f"{label}: header {header!r} takes its value from environment variable "
                f"{variable}, which is not set (or empty)"
            )
        if value != value.strip() or any(c in value for c in "\r\n\0"):
            raise InputError(
                f"{label}: environment variable {variable} (header {header!r}) has leading or "
                "trailing whitespace or a line break; refusing to send it"
            )
        headers[header] = value
    return headers


class FeedSource:
    def __init__(self, feed: FeedConfig, shown_file: str = "") -> None:
        self.feed = feed
        self.shown_file = shown_file or str(feed.file)
        self.name = f"feed-{feed.name}"
        self.as_proxies = feed.as_proxies

    def url_origin(self) -> UrlOrigin | None:
        return UrlOrigin("feed-url", redact_url(self.feed.url)) if self.feed.url else None

    def resolve(self, offline: bool) -> SourceResult:
        """The feed's CIDRs. A message about it never carries a header value: a server that
        reflects the request (its credentials) in the body only ever gets its body described."""
        headers: dict[str, str] = {}
        try:
            return self._resolve(offline, headers)
        except InputError as error:
            if not headers:
                raise
            raise InputError(scrub(str(error), headers.values())) from None

    def _resolve(self, offline: bool, headers: dict[str, str]) -> SourceResult:
        feed = self.feed
        if feed.url is not None:
            origin, kind = redact_url(feed.url), "feed-url"
            if offline:
                raise InputError(
                    f"{self.name} ({origin}): URL feeds are not available with --offline "
                    "(use a file feed, or run without --offline)"
                )
            headers.update(request_headers(feed, self.name))
            body, content_type = fetching.fetch(
                feed.url, self.name, headers, deadline_seconds=feed.timeout_seconds
            )
        else:
            assert feed.file is not None  # config guarantees exactly one of url/file
            body, content_type = read_file(feed.file, f"{self.name} ({self.shown_file})"), ""
            origin, kind = self.shown_file, "feed-file"
        cidrs = parse_feed(body, content_type, feed, self.name, origin)
        for cidr in cidrs:
            reflected = [name for name, value in headers.items() if value in cidr.value]
            if reflected:
                raise InputError(
                    f"{self.name} ({origin}, {cidr.where}): the response contains the value of "
                    f"request header {reflected[0]!r} (a server that reflects the request's "
                    "credentials); refused, the value is not shown"
                )
        return SourceResult(self.name, kind, origin, tuple(cidrs), self.as_proxies)
