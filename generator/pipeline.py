"""One generation: config + IP sources (+ the previous lock) → desired state, rendered files and
the new lock. `generate` writes it; `generate --check`, the gated `terraform apply` and drift
compare it with what is on disk (`declaration_problems`), so all three judge the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.config import load_config
from generator.controls.token_ids import resolve as token_id_resolution
from generator.errors import InputError
from generator.ipsets import GroupSet, IpPolicy, build_group_sets, shard
from generator.lockfile import (
    LOCK_NAME,
    Lock,
    build_lock,
    dump_lock,
    file_hash,
    locked_source,
    read_lock,
)
from generator.mfa.policies import resolve_mfa_facts
from generator.model import DesiredState, Shard, build_desired_state
from generator.outdir import recover
from generator.render import render_terraform
from generator.render.controls import root_files
from generator.rootfiles import file_difference, stale_root_files
from generator.settings import Config
from generator.sources import RecordedInputs, SourceResult, resolve_sources


@dataclass(frozen=True)
class Generation:
    config: Config
    out_dir: Path
    previous: Lock | None  # the lock on disk before this run
    results: tuple[SourceResult, ...]
    groups: tuple[GroupSet, ...]
    shards: tuple[Shard, ...]
    state: DesiredState
    rendered: Mapping[str, str]  # *.tf name → text
    lock: Lock
    recovered: tuple[str, ...] = ()  # what an interrupted earlier write left and was undone

    @property
    def files(self) -> dict[str, str]:
        """Everything the output directory holds after a write: the *.tf files and the lock."""
        return {**self.rendered, LOCK_NAME: dump_lock(self.lock)}

    @property
    def root_files(self) -> dict[str, str]:
        """Generated files of the root module (the restricted API tokens' import blocks)."""
        return root_files(self.state)


def no_lock_error(path: Path, config_path: Path) -> InputError:
    return InputError(
        f"{path}: no lock file; --locked-sources takes the CIDRs of URL sources from the "
        f"lock that generate writes beside the Terraform: run `egress-guard generate --config "
        f"{config_path}` (without --locked-sources) or the IP refresh workflow first, or point "
        "--out at the directory that holds it"
    )


def generation(
    config_path: Path,
    out: Path | None = None,
    *,
    offline: bool = False,
    locked: bool = False,
    config: Config | None = None,
    read_okta: bool = False,
) -> Generation:
    """Resolve, check, shard, model and render, as `generate` does (nothing is written).
    `read_okta`: with Okta credentials, look the restricted API tokens' names up and read what
    `mfa.app_policies` and `mfa.everyone` need (generate); otherwise they come from the
    previous lock."""
    loaded = config if config is not None else load_config(config_path)
    out_dir = out if out is not None else loaded.output.dir
    try:  # a write killed half-way is undone first: the lock read below is then whole
        recovered = tuple(recover(out_dir))
    except OSError as error:
        raise InputError(
            f"{out_dir}: cannot recover from an interrupted write: {error.strerror or error}"
        ) from None
    previous = read_lock(out_dir)
    recorded = None
    if locked:
        if previous is None:
            raise no_lock_error(out_dir / LOCK_NAME, config_path)
        recorded = RecordedInputs(str(out_dir / LOCK_NAME), previous.sources)
    results = resolve_sources(loaded, offline=offline, recorded=recorded)
    groups = build_group_sets(results, IpPolicy.from_safety(loaded.safety))
    shards = shard(groups, previous.assignment() if previous else None)
    token_ids = token_id_resolution(loaded, previous, out_dir, live=read_okta)
    mfa = resolve_mfa_facts(loaded, previous, live=read_okta)
    state = build_desired_state(
        loaded,
        shards,
        token_ids,
        mfa_app_policies=mfa.app_policies,
        mfa_catch_alls=mfa.catch_alls,
        mfa_default_policy=mfa.default_policy,
    )
    rendered = render_terraform(state)
    locked_sources = [locked_source(r, g.inputs) for r, g in zip(results, groups, strict=True)]
    lock = build_lock(
        locked_sources, shards, rendered, token_ids, mfa.app_policies, mfa.catch_alls,
        mfa.default_policy,
    )  # fmt: skip
    return Generation(
        loaded, out_dir, previous, tuple(results), tuple(groups), tuple(shards), state,
        rendered, lock, recovered,
    )  # fmt: skip


def hand_edited(directory: Path, lock: Lock | None) -> list[str]:
    """Generated files whose content no longer matches the hash the lock recorded."""
    if lock is None:
        return []
    problems = []
    for name, recorded in sorted(lock.files.items()):
        try:
            text = (directory / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{name} (deleted; the lock records it)")
            continue
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{name} (unreadable: {getattr(error, 'strerror', None) or error})")
            continue
        if file_hash(text) != recorded:
            problems.append(f"{name} (hand-edited: its sha256 differs from the lock's)")
    return problems


def stale_files(directory: Path, files: Mapping[str, str]) -> list[str]:
    """Names that differ from, are missing in, or are extra (*.tf) in `directory`."""
    stale = []
    for name, text in sorted(files.items()):
        problem = file_difference(directory / name, text)
        if problem is not None:
            stale.append(f"{name} ({problem})")
    if directory.is_dir():
        stale += [
            f"{p.name} (extra)" for p in sorted(directory.glob("*.tf")) if p.name not in files
        ]
    return stale


@dataclass(frozen=True)
class DeclarationProblems:
    hand_edited: tuple[str, ...]
    stale: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.hand_edited and not self.stale


def declaration_problems(gen: Generation) -> DeclarationProblems:
    """Is the output directory exactly what this generation would write? Hand edits (against
    the lock's hashes) are told apart from a config (or source) change not yet generated."""
    edited = hand_edited(gen.out_dir, gen.previous)
    stale = stale_files(gen.out_dir, gen.files) + stale_root_files(gen.out_dir, gen.root_files)
    return DeclarationProblems(tuple(edited), tuple(stale))


def listed_files(lock: Lock | None) -> Sequence[str] | None:
    return None if lock is None else tuple(lock.files)
