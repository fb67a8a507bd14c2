"""Netskope shared NewEdge egress ranges: a bundled dated snapshot, or the docs page.

Netskope publishes the shared ranges only on an HTML docs page ("NewEdge IP Ranges for
Allowlisting"; no JSON feed, no API). The parser reads that section only — from its heading to the
next heading of the same or a higher level — so CIDRs elsewhere on the page (client network
requirements, examples) are never picked up; and inside it only list and table items (`li`, `td`,
`th`, `dd`) and preformatted blocks (`pre`), where the page lists the ranges. Prose is ignored:
"Updated in version 2.1.0.4" is a version, not an address. A page without the section, or a
section without CIDRs, is an error: the shared ranges are never silently empty. A parsed set
that differs from the bundled snapshot is reported in the source's note (printed by `generate`
and recorded in the lock), so an unexpected change is visible before it is merged.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from generator.errors import InputError
from generator.sources.base import SourcedCidr, SourceResult, UrlOrigin, excerpt
from generator.sources.feed import read_file
from generator.sources.fetch import fetch
from generator.sources.secrets import redact_url

SNAPSHOT_DATE = "2026-11-22"  # as listed on the docs page (see ../shared/design.md facts)
SNAPSHOT: tuple[str, ...] = (
    "8.36.116.0/24",
    "8.39.144.0/24",
    "31.186.239.0/24",
    "162.10.0.0/17",
    "163.116.128.0/17",
)
SECTION_TITLE = "NewEdge IP Ranges for Allowlisting"
SHARED = "netskope-shared"
DEDICATED = "netskope-dedicated"

# The section's text is split into tokens of address characters, so punctuation around a CIDR
# ("8.36.116.0/24,", "(162.10.0.0/17)", a sentence's final "." or a trailing ":") never hides it.
_TOKEN = re.compile(r"[\w.:/]+")
# IPv4 with optional prefix; IPv6 only with a prefix (a bare "a:b" could be a time of day).
_CIDR = re.compile(
    r"(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\d{1,3}"
)
# A token that contains something address-like but is not a CIDR is an error, not skipped:
# silently dropping one range would shrink the allowlist without anyone noticing.
_ADDRESS_LIKE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:]*/\d")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Where the page lists addresses: list and table items, definition-list values, code blocks.
_LISTING = frozenset({"li", "td", "th", "dd", "pre"})
_MAX_LISTED = 8  # CIDRs named in a note


def _normalise_title(text: str) -> str:
    return " ".join(text.split()).casefold()


class _SectionParser(HTMLParser):
    """Collects the text of the section under the heading titled `SECTION_TITLE`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.heading_level: int | None = None  # inside a heading of this level
        self.heading_text: list[str] = []
        self.section_level: int | None = None  # inside the wanted section
        self.found = False
        self.done = False
        self.chunks: list[str] = []  # text inside list/table items of the section
        self.prose: list[str] = []  # the section's other text (ignored, only counted)
        self.listing: list[str] = []  # open listing tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        level = _HEADINGS.get(tag)
        if level is None:
            if self.section_level is not None:
                self.chunks.append(" ")  # tags separate tokens (<td>a</td><td>b</td>)
                self.prose.append(" ")
                if tag in _LISTING:
                    self.listing.append(tag)
            return
        if self.section_level is not None and level <= self.section_level:
            self.section_level = None
            self.done = True
        self.heading_level, self.heading_text = level, []

    def handle_endtag(self, tag: str) -> None:
        level = _HEADINGS.get(tag)
        if level is None or self.heading_level != level:
            if self.section_level is not None:
                self.chunks.append(" ")
                self.prose.append(" ")
                if tag in self.listing:  # close it (and anything left open inside it)
                    del self.listing[len(self.listing) - 1 - self.listing[::-1].index(tag) :]
            return
        title = _normalise_title("".join(self.heading_text))
        if not self.found and not self.done and title == _normalise_title(SECTION_TITLE):
            self.found = True
            self.section_level = level
        self.heading_level = None

    def handle_data(self, data: str) -> None:
        if self.heading_level is not None:
            self.heading_text.append(data)
        elif self.section_level is not None:
            (self.chunks if self.listing else self.prose).append(data)


def _section(html: str) -> _SectionParser:
    parser = _SectionParser()
    parser.feed(html)
    parser.close()
    return parser


def parse_page(html: str, origin: str) -> list[SourcedCidr]:
    """CIDRs listed (list and table items, code blocks) in the "NewEdge IP Ranges for
    Allowlisting" section of the docs page."""
    return _cidrs(_section(html), origin)


def _cidrs(parser: _SectionParser, origin: str) -> list[SourcedCidr]:
    if not parser.found:
        raise InputError(f"{SHARED} ({origin}): no '{SECTION_TITLE}' heading found on the page")
    cidrs: list[SourcedCidr] = []
    for token in _TOKEN.findall("".join(parser.chunks)):
        value = token.lstrip(".").rstrip(".:")
        if _CIDR.fullmatch(value):
            where = f"section '{SECTION_TITLE}' item {len(cidrs) + 1}"
            cidrs.append(SourcedCidr(value, SHARED, origin, where))
        elif _ADDRESS_LIKE.search(value):
            raise InputError(
                f"{SHARED} ({origin}): section '{SECTION_TITLE}' lists {excerpt(token)}, which "
                "looks like an address but is not one CIDR; refusing to guess (check the page, "
                "or leave egress.netskope.page unset to use the bundled snapshot)"
            )
    if not cidrs:
        raise InputError(
            f"{SHARED} ({origin}): section '{SECTION_TITLE}' lists no CIDRs (in list or table "
            "items or code blocks; prose is not read)"
        )
    return cidrs


def _ignored_prose(parser: _SectionParser) -> int:
    """How many address-like words the section has outside lists and tables (not read)."""
    return sum(bool(_ADDRESS_LIKE.search(t)) for t in _TOKEN.findall("".join(parser.prose)))


def snapshot_difference(values: list[str]) -> str | None:
    """A note when the page's ranges differ from the bundled snapshot, else None."""
    found, known = set(values), set(SNAPSHOT)
    if found == known:
        return None
    added = sorted(found - known)
    removed = sorted(known - found)
    parts = [
        f"{sign}{', '.join(items[:_MAX_LISTED])}"
        + (f" (+{len(items) - _MAX_LISTED} more)" if len(items) > _MAX_LISTED else "")
        for sign, items in (("added ", added), ("removed ", removed))
        if items
    ]
    return (
        f"the page's ranges differ from the bundled snapshot ({SNAPSHOT_DATE}): "
        f"{'; '.join(parts)}; check the change against Netskope's page before merging"
    )


def is_url(page: str) -> bool:
    """`egress.netskope.page` is fetched when it is an http(s) URL, else read as a saved file."""
    return page.startswith(("http://", "https://"))


def snapshot() -> SourceResult:
    origin = f"bundled snapshot {SNAPSHOT_DATE}"
    cidrs = tuple(
        SourcedCidr(value, SHARED, origin, f"snapshot[{index}]")
        for index, value in enumerate(SNAPSHOT)
    )
    return SourceResult(SHARED, "netskope-snapshot", origin, cidrs)


class NetskopeSharedSource:
    """The snapshot, or the docs page when `page` (URL or saved file) is configured."""

    name = SHARED

    def __init__(
        self, page: str | None, as_proxies: bool = False, shown: str | None = None
    ) -> None:
        self.page = page
        self.as_proxies = as_proxies
        # how the page is named in provenance and the lock: a URL always redacted (as every
        # URL-backed source, so --locked-sources finds it), a file by the name given
        self.shown = redact_url(page) if page is not None and is_url(page) else shown or page

    def url_origin(self) -> UrlOrigin | None:
        if self.page is None or not is_url(self.page):
            return None
        return UrlOrigin("netskope-page", redact_url(self.page))

    def resolve(self, offline: bool) -> SourceResult:
        page = self.page
        if page is None:
            return self._with_proxies(snapshot(), None)
        if is_url(page):
            if offline:
                note = (
                    f"offline: used the bundled snapshot ({SNAPSHOT_DATE}) instead of {self.shown}"
                )
                return self._with_proxies(snapshot(), note)
            body, _ = fetch(page, SHARED)
        else:
            body = read_file(Path(page), f"{SHARED} ({self.shown})")
        html = body.decode("utf-8", errors="replace")
        origin = self.shown or page
        parser = _section(html)
        cidrs = _cidrs(parser, origin)
        notes = [snapshot_difference([c.value for c in cidrs])]
        skipped = _ignored_prose(parser)
        if skipped:
            notes.append(
                f"{skipped} address-like word(s) in the section's prose were not read (only list "
                "and table items and code blocks are)"
            )
        result = SourceResult(SHARED, "netskope-page", origin, tuple(cidrs))
        return self._with_proxies(result, "; ".join(n for n in notes if n) or None)

    def _with_proxies(self, result: SourceResult, note: str | None) -> SourceResult:
        return SourceResult(
            result.name, result.kind, result.origin, result.cidrs, self.as_proxies, note
        )
