"""The desired state drift compares against: the CONFIG, resolved exactly as `generate` would,
without network access (`--locked-sources` semantics: URL sources as the lock recorded them;
files and the bundled snapshot read as usual).

The declaration on disk (the generated Terraform and its lock) is checked against it too: a
config edited without regenerating, a lock that differs from the config, or a generated file
edited by hand is a `stale-declaration` finding — never "in sync", since what Terraform applies
is then not what the config says.

Without a lock file (never generated): the configured sources resolved offline, sharded from
scratch; a URL source then cannot be resolved and is an error naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.config import load_config
from generator.drift.findings import Finding
from generator.errors import InputError
from generator.ipsets import IpPolicy, build_group_sets, shard
from generator.lockfile import LOCK_NAME, read_lock
from generator.model import DesiredState, build_desired_state
from generator.pipeline import declaration_problems, generation
from generator.sources import resolve_sources


@dataclass(frozen=True)
class Desired:
    state: DesiredState
    source: str  # where the zone set came from, for the report
    generated_dir: Path  # the config's output directory (generated Terraform)
    stale: tuple[Finding, ...] = ()  # the declaration on disk is not the config's


def _stale(generated_dir: Path, config_path: Path, what: str, detail: str) -> Finding:
    return Finding(
        finding_class="stale-declaration",
        severity="high",
        kind="declaration",
        name=str(generated_dir),
        message=(
            f"{what}: {detail}; what Terraform applies is not what {config_path} declares "
            f"(run `egress-guard generate --config {config_path}`, review, apply)"
        ),
        check=what,
    )


def load_desired_state(config_path: Path) -> Desired:
    config = load_config(config_path)
    out = config.output.dir
    lock = read_lock(out)
    if lock is None:
        results = resolve_sources(config, offline=True)
        groups = build_group_sets(results, IpPolicy.from_safety(config.safety))
        return Desired(
            build_desired_state(config, shard(groups)),
            "configured sources (offline, no lock file)",
            out,
        )
    try:
        gen = generation(config_path, offline=True, locked=True, config=config)
    except InputError as error:  # e.g. a URL feed added to the config but never generated
        state = build_desired_state(
            config,
            lock.shards,
            lock.api_tokens,
            mfa_app_policies=lock.mfa_app_policies,
            mfa_catch_alls=lock.mfa_catch_all,
            mfa_default_policy=lock.mfa_default_policy,
        )
        finding = _stale(out, config_path, "config not generated", str(error))
        return Desired(
            state, f"lock file {out / LOCK_NAME} (the config does not resolve)", out, (finding,)
        )
    problems = declaration_problems(gen)
    stale: list[Finding] = []
    if problems.hand_edited:
        stale.append(_stale(out, config_path, "hand-edited", ", ".join(problems.hand_edited)))
    edited = {entry.split(" ", 1)[0] for entry in problems.hand_edited}
    differing = [e for e in problems.stale if e.split(" ", 1)[0] not in edited]
    if differing:
        stale.append(
            _stale(out, config_path, "config changed since generate", ", ".join(differing))
        )
    return Desired(
        gen.state,
        f"config {config_path} (URL sources as recorded in {out / LOCK_NAME})",
        out,
        tuple(stale),
    )
