"""The source interface: every IP source yields CIDR strings that carry their provenance.

A source is resolved once per run into a `SourceResult`. Each entry is a `SourcedCidr` holding the
raw text as found (canonicalised later by `generator.ipsets`) and where it came from, so
summaries and error messages can name the source, its URL or file, and the line or config path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

# What an error message may quote from a source: hex digits, dots, colons and slashes (every IPv4
# and IPv6 address or CIDR is made of them), with a dot or a colon, at most 64 characters.
_SHOWABLE = re.compile(r"(?=.*[.:])[0-9A-Fa-f.:/]{1,64}")


def excerpt(value: str) -> str:
    """`value` as an error message may show it. A source's content is untrusted: a `file:` feed
    may point at a file of secrets, a feed server may reflect the request's credentials. Only
    a value that looks like an address is quoted; anything else is described by its length."""
    if _SHOWABLE.fullmatch(value):
        return repr(value)
    return f"a value of {len(value)} characters (not shown: not address characters)"


@dataclass(frozen=True)
class SourcedCidr:
    value: str  # as found in the source; not yet validated
    source: str  # source name = zone group slug (netskope-shared, corporate, feed-<name>, ...)
    origin: str  # URL, file path, "snapshot YYYY-MM-DD" or "config <file>"
    where: str  # position inside the origin: "line 3", "/prefixes/2", "egress.corporate[1]"

    def describe(self) -> str:
        """Source, origin and position; the value only as `excerpt` shows it."""
        return f"{self.source} ({self.origin}, {self.where}): {excerpt(self.value)}"


@dataclass(frozen=True)
class SourceResult:
    name: str  # zone group slug; one source → one group of zones
    kind: str  # netskope-snapshot, netskope-page, static, feed-url, feed-file
    origin: str
    cidrs: tuple[SourcedCidr, ...]
    as_proxies: bool = False  # list these ranges as trusted proxies as well as gateways
    note: str | None = None  # e.g. "offline: used the bundled snapshot instead of <url>"
    # --locked-sources: the lock file the CIDRs were taken from instead of fetching `origin`
    # (shown in summaries, never written to the lock, so the lock stays byte-identical)
    locked_from: str | None = None

    @property
    def values(self) -> list[str]:
        return [cidr.value for cidr in self.cidrs]


@dataclass(frozen=True)
class UrlOrigin:
    """What a URL-backed source records in the lock when it fetches: kind and redacted URL."""

    kind: str
    origin: str


class Source(Protocol):
    """One configured source. `resolve` raises `InputError` (never returns an empty result)."""

    name: str
    as_proxies: bool

    def resolve(self, offline: bool) -> SourceResult: ...

    def url_origin(self) -> UrlOrigin | None:
        """The kind and origin a fetch records, or None for a source that never fetches."""
        ...
