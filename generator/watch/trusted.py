"""The trusted ranges admin access is expected from: the config's resolved egress set, as
`generate` and `sources` resolve it, with `--locked-sources` semantics so `watch` never
fetches a feed: URL sources (a Netskope page URL, URL feeds) take the CIDRs the lock file
beside the generated Terraform recorded; the bundled Netskope snapshot, static lists and
files resolve as always. Plus `watch.trusted_extra` from the config.
"""

from __future__ import annotations

from generator.errors import InputError
from generator.ipsets import IpPolicy, build_group_sets
from generator.lockfile import LOCK_NAME, read_lock
from generator.settings import Config
from generator.sources import RecordedInputs, configured_sources, resolve_sources
from generator.watch.detection import TrustedRanges


def resolve_trusted(config: Config) -> TrustedRanges:
    """Every trusted CIDR of `config` (nothing fetched); InputError when a URL source has no
    recorded CIDRs to stand for it."""
    directory = config.output.dir
    lock = read_lock(directory)
    recorded = RecordedInputs(str(directory / LOCK_NAME), lock.sources) if lock else None
    if recorded is None and any(s.url_origin() is not None for s in configured_sources(config)):
        raise InputError(
            f"{directory / LOCK_NAME}: no lock file; watch takes the CIDRs of URL sources "
            "from the lock `egress-guard generate` writes (it never fetches feeds): run "
            "generate first, or set output.dir to where the lock is"
        )
    results = resolve_sources(config, offline=True, recorded=recorded)
    groups = build_group_sets(results, IpPolicy.from_safety(config.safety))
    cidrs = [cidr for group in groups for cidr in group.cidrs]
    cidrs += list(config.watch.trusted_extra)
    origin = f"lock file {directory / LOCK_NAME}" if lock else "configured sources (offline)"
    return TrustedRanges.of(cidrs, f"{len(cidrs)} CIDRs from {config.path} ({origin})")
