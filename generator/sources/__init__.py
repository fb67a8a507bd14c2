"""IP sources: Netskope shared ranges (snapshot or docs page), static config lists, feeds."""

from __future__ import annotations

import os
from pathlib import Path

from generator.settings import Config
from generator.sources.base import Source, SourcedCidr, SourceResult
from generator.sources.feed import FeedSource
from generator.sources.locked import RecordedInputs, resolve_locked
from generator.sources.netskope import DEDICATED, NetskopeSharedSource, is_url
from generator.sources.static import StaticSource

__all__ = [
    "RecordedInputs",
    "Source",
    "SourceResult",
    "SourcedCidr",
    "configured_sources",
    "resolve_sources",
]


def display_path(config: Config, path: Path | None) -> str:
    """A file's name relative to the config's directory, so the lock file (which records
    origins) does not depend on where the repository is checked out."""
    if path is None:
        return ""
    return Path(os.path.relpath(path, config.path.resolve().parent)).as_posix()


def configured_sources(config: Config) -> list[Source]:
    """Every source the config enables, in a fixed order; empty static lists are skipped."""
    egress = config.egress
    netskope = egress.netskope
    sources: list[Source] = []
    if netskope.shared:
        page = netskope.page
        shown = None if page is None or is_url(page) else display_path(config, Path(page))
        sources.append(NetskopeSharedSource(page, netskope.as_proxies, shown))
    if netskope.dedicated:
        sources.append(
            StaticSource(
                DEDICATED,
                netskope.dedicated,
                config.path,
                "egress.netskope.dedicated",
                netskope.as_proxies,
            )
        )
    if egress.corporate:
        sources.append(StaticSource("corporate", egress.corporate, config.path, "egress.corporate"))
    sources.extend(FeedSource(feed, display_path(config, feed.file)) for feed in egress.feeds)
    return sources


def resolve_sources(
    config: Config, offline: bool, recorded: RecordedInputs | None = None
) -> list[SourceResult]:
    """Resolve every configured source; `offline` allows only the snapshot and files.

    With `recorded` (--locked-sources) URL-backed sources are taken from the lock, not fetched.
    """
    sources = configured_sources(config)
    if recorded is not None:
        return resolve_locked(sources, offline, recorded)
    return [source.resolve(offline) for source in sources]
