"""The desired state drift compares against, built without network access.

Preferred: the shards recorded in the committed lock file (`egress-guard.lock.json` in the
config's output directory) — exactly what `generate` rendered and Terraform applies. Without a
lock file: the configured sources resolved offline (bundled Netskope snapshot, static ranges,
local files), sharded from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.config import load_config
from generator.ipsets import IpPolicy, build_group_sets, shard
from generator.lockfile import LOCK_NAME, read_lock
from generator.model import DesiredState, build_desired_state
from generator.sources import resolve_sources


@dataclass(frozen=True)
class Desired:
    state: DesiredState
    source: str  # where the zone set came from, for the report
    generated_dir: Path  # the config's output directory (generated Terraform)


def load_desired_state(config_path: Path) -> Desired:
    config = load_config(config_path)
    lock = read_lock(config.output.dir)
    if lock is not None:
        source = f"lock file {config.output.dir / LOCK_NAME}"
        return Desired(build_desired_state(config, lock.shards), source, config.output.dir)
    results = resolve_sources(config, offline=True)
    groups = build_group_sets(results, IpPolicy.from_safety(config.safety))
    shards = shard(groups)
    return Desired(
        build_desired_state(config, shards),
        "configured sources (offline, no lock file)",
        config.output.dir,
    )
