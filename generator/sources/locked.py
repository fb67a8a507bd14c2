"""`--locked-sources`: URL-backed sources answered from the lock file instead of fetched.

PR and apply checks judge a change against the CIDRs the lock recorded when the output was last
generated, so an upstream change to a feed or to the Netskope page cannot mark every pull request
stale; only a plain `generate` (the IP refresh workflow) fetches (docs/gitops.md). Static lists,
files and the bundled snapshot resolve as always.

A URL source is found in the lock by its name and its origin in the redacted form the lock stores
(`secrets.redact_url`): a rotated credential in the URL still matches, a changed host, path or
parameter name does not. The result keeps the recorded kind, origin and note, so a check
regenerates a byte-identical lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from generator.errors import InputError
from generator.sources.base import Source, SourcedCidr, SourceResult, UrlOrigin


class Recorded(Protocol):
    """One `sources[]` entry of the lock (`generator.lockfile.LockedSource`)."""

    @property
    def name(self) -> str: ...

    @property
    def origin(self) -> str: ...

    @property
    def cidrs(self) -> tuple[str, ...]: ...

    @property
    def note(self) -> str | None: ...


@dataclass(frozen=True)
class RecordedInputs:
    path: str  # the lock file, as named in provenance and errors
    sources: Sequence[Recorded]

    def find(self, name: str, origin: str) -> tuple[int, Recorded] | None:
        return next(
            ((i, s) for i, s in enumerate(self.sources) if (s.name, s.origin) == (name, origin)),
            None,
        )


def resolve_locked(
    sources: Sequence[Source], offline: bool, recorded: RecordedInputs
) -> list[SourceResult]:
    """Every source resolved, URL-backed ones from `recorded`; nothing is fetched."""
    urls = [source.url_origin() for source in sources]
    missing = [
        f"{source.name} ({url.origin})"
        for source, url in zip(sources, urls, strict=True)
        if url is not None and recorded.find(source.name, url.origin) is None
    ]
    if missing:
        raise InputError(
            f"{recorded.path}: --locked-sources: not recorded in the lock file: "
            f"{', '.join(missing)} (a source added, or its URL changed, since the lock was "
            "written); run `egress-guard generate` without --locked-sources (or the IP refresh "
            "workflow) to fetch it and record its CIDRs"
        )
    return [
        source.resolve(offline) if url is None else _from_lock(source, url, recorded)
        for source, url in zip(sources, urls, strict=True)
    ]


def _from_lock(source: Source, url: UrlOrigin, recorded: RecordedInputs) -> SourceResult:
    found = recorded.find(source.name, url.origin)
    assert found is not None  # checked by resolve_locked
    index, entry = found
    if not entry.cidrs:
        raise InputError(
            f"{source.name} ({url.origin}): {recorded.path} records no CIDRs for it; refusing "
            "an empty zone (run `egress-guard generate` without --locked-sources)"
        )
    cidrs = tuple(
        SourcedCidr(value, source.name, url.origin, f"{recorded.path} sources[{index}].cidrs[{i}]")
        for i, value in enumerate(entry.cidrs)
    )
    return SourceResult(
        source.name,
        url.kind,
        url.origin,
        cidrs,
        source.as_proxies,
        entry.note,
        locked_from=recorded.path,
    )
