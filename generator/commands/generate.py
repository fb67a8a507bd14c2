"""`egress-guard generate` (config + IP sources → Terraform + lock) and `egress-guard sources`.

Exit codes: 0 ok; 1 stale output (--check) or unsafe change refused (shrink, lockout preflight,
with Okta credentials: the Admin Console's policy shared with other apps); 2 invalid input.
Summaries go to stdout, notes and errors to stderr. Nothing is written on any error.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.cidrs import canonical
from generator.config import load_config
from generator.console_sharing import check_console_sharing
from generator.errors import EXIT_OK, InputError, StaleOutputError
from generator.ipsets import GroupSet, IpPolicy, build_group_sets
from generator.lockfile import (
    LOCK_NAME,
    Lock,
    ZoneChanges,
    check_shrink,
    read_lock,
    shrink_problems,
    zone_changes,
)
from generator.mfa.break_glass import check_break_glass_mfa
from generator.mfa.catch_all import placement_notes
from generator.model import Shard
from generator.outdir import check_ownership, ownership, write_generated_dir
from generator.pipeline import generation, listed_files, no_lock_error, stale_files
from generator.rootfiles import stale_root_files, write_root_files
from generator.simulate.preflight import check_before_write
from generator.sources import RecordedInputs, SourceResult, resolve_sources

MAX_LISTED = 20  # CIDRs listed per source and direction in the summary
LOCKED_HELP = (
    "take the CIDRs of URL sources (a Netskope page URL, URL feeds) from the existing "
    f"{LOCK_NAME} instead of fetching them (for PR and apply checks); other sources resolve "
    "as usual"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    generate = subparsers.add_parser(
        "generate",
        help="render Okta Terraform from the policy config and egress IP sources",
        description="Resolve the egress IP sources, check and shard them into Okta network "
        "zones, and write the generated Terraform plus egress-guard.lock.json.",
    )
    generate.add_argument("--config", required=True, type=Path, help="egress-policy.yaml")
    generate.add_argument(
        "--out", type=Path, help="output directory (default: output.dir of the config)"
    )
    generate.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the output is stale or the lockout preflight fails",
    )
    generate.add_argument(
        "--offline", action="store_true", help="use only the bundled snapshot and files"
    )
    generate.add_argument("--locked-sources", action="store_true", help=LOCKED_HELP)
    generate.add_argument(
        "--force",
        action="store_true",
        help="override the shrink limit and the lockout preflight (both still reported)",
    )
    generate.set_defaults(func=run_generate)

    sources = subparsers.add_parser(
        "sources",
        help="list the resolved trusted CIDRs with their provenance",
        description="Resolve and check every configured IP source and list its CIDRs.",
    )
    sources.add_argument("--config", required=True, type=Path, help="egress-policy.yaml")
    sources.add_argument("--json", action="store_true", help="JSON output")
    sources.add_argument(
        "--offline", action="store_true", help="use only the bundled snapshot and files"
    )
    sources.add_argument("--locked-sources", action="store_true", help=LOCKED_HELP)
    sources.add_argument(
        "--out",
        type=Path,
        help=f"directory holding {LOCK_NAME} for --locked-sources (default: output.dir)",
    )
    sources.set_defaults(func=run_sources)


def run_generate(args: argparse.Namespace) -> int:
    # Restricted API tokens named in the config, and what mfa needs from Okta (policy names,
    # Catch-all Rules, the Default Policy): read when generating with credentials (--offline
    # concerns the IP sources only); --check and --locked-sources, which verify what was
    # generated, take the lock's.
    live = not (args.check or args.locked_sources)
    gen = generation(
        args.config,
        args.out,
        offline=args.offline,
        locked=args.locked_sources,
        read_okta=live,
    )
    out_dir = gen.out_dir
    for note in gen.recovered:
        print(f"egress-guard: note: {note}", file=sys.stderr)
    _print_notes(gen.results)
    for note in placement_notes(gen.state):  # where mfa places no rule, and why
        print(f"egress-guard: note: {note}", file=sys.stderr)
    if not args.check:
        check_ownership(out_dir, listed_files(gen.previous))  # never delete foreign Terraform
        limit = gen.config.safety.max_shrink_percent
        _shrink_rail(gen.previous, gen.shards, limit, force=args.force)
    files = gen.files
    changes = zone_changes(gen.config.output.name_prefix, gen.previous, gen.shards)
    check_before_write(gen.state, force=args.force)  # lockout preflight (docs/simulate.md)
    check_break_glass_mfa(gen.state, os.environ, force=args.force, offline=args.offline)
    check_console_sharing(gen.state, offline=args.offline, force=args.force)  # docs/generate.md
    if args.check:
        stale = stale_files(out_dir, files) + stale_root_files(out_dir, gen.root_files)
        if stale:
            raise StaleOutputError(
                f"generated output in {out_dir} is stale: {', '.join(stale)} "
                f"(run: {regenerate_command(args)})"
            )
        print(f"{out_dir}: up to date ({len(files)} files)")
        return EXIT_OK
    _write(out_dir, files, gen.previous)
    for path in write_root_files(out_dir, gen.root_files):
        print(f"egress-guard: wrote {path} (import blocks: Terraform accepts them only here)")
    locked_from = {r.name: r.locked_from for r in gen.results if r.locked_from}
    print(
        format_summary(
            out_dir, gen.previous, gen.lock, gen.groups, gen.shards, changes, locked_from
        )
    )
    return EXIT_OK


def _recorded(out_dir: Path, lock: Lock | None, config_path: Path) -> RecordedInputs:
    """The lock's sources for --locked-sources; no lock is an input error."""
    path = out_dir / LOCK_NAME
    if lock is None:
        raise no_lock_error(path, config_path)
    return RecordedInputs(str(path), lock.sources)


def _shrink_rail(
    previous: Lock | None, shards: Sequence[Shard], max_percent: float, *, force: bool
) -> None:
    """Refuse a large shrink; under --force report it as a warning instead."""
    if not force:
        check_shrink(previous, shards, max_percent)
        return
    for problem in shrink_problems(previous, shards, max_percent) if previous else ():
        print(f"egress-guard: warning: --force: shrink allowed: {problem}", file=sys.stderr)


def _write(out_dir: Path, files: Mapping[str, str], previous: Lock | None) -> None:
    managed = [*ownership(out_dir, listed_files(previous)).ours, LOCK_NAME]
    try:
        write_generated_dir(out_dir, files, managed)
    except OSError as error:
        where = error.filename or out_dir
        raise InputError(
            f"{out_dir}: cannot write the output directory ({where}: "
            f"{error.strerror or error}); choose another --out or output.dir"
        ) from None


def regenerate_command(args: argparse.Namespace) -> str:
    """The `generate` command line that rewrites the output, with the options this run used."""
    words = ["egress-guard", "generate", "--config", str(args.config)]
    if args.out is not None:
        words += ["--out", str(args.out)]
    flags = (
        ("--offline", args.offline),
        ("--locked-sources", args.locked_sources),
        ("--force", args.force),
    )
    words += [flag for flag, on in flags if on]
    return shlex.join(words)


def _print_notes(results: Sequence[SourceResult]) -> None:
    for result in results:
        if result.note:
            print(f"egress-guard: note: {result.name}: {result.note}", file=sys.stderr)
        if result.locked_from:
            print(
                f"egress-guard: note: {result.name}: {len(result.cidrs)} CIDRs "
                f"{_locked_phrase(result.locked_from)}",
                file=sys.stderr,
            )


def _locked_phrase(lock_path: str) -> str:
    return f"as recorded in {lock_path} (--locked-sources: not fetched)"


def _listed(label: str, cidrs: Sequence[str]) -> list[str]:
    if not cidrs:
        return []
    shown = ", ".join(cidrs[:MAX_LISTED])
    more = f" (+{len(cidrs) - MAX_LISTED} more)" if len(cidrs) > MAX_LISTED else ""
    return [f"      {label} {shown}{more}"]


def format_summary(
    out_dir: Path,
    previous: Lock | None,
    lock: Lock,
    groups: Sequence[GroupSet],
    shards: Sequence[Shard],
    changes: ZoneChanges,
    locked_from: Mapping[str, str] | None = None,
) -> str:
    lines = [f"wrote {out_dir} ({len(lock.files)} Terraform files + {LOCK_NAME})", "sources:"]
    for source in lock.sources:
        before = previous.source(source.name) if previous else None
        old = before.cidrs if before else ()
        old_set, new = set(old), set(source.cidrs)
        added = [c for c in source.cidrs if c not in old_set]
        removed = [c for c in old if c not in new]  # both in address order, as in the lock
        recorded = (locked_from or {}).get(source.name)
        provenance = f"{source.origin} {_locked_phrase(recorded)}" if recorded else source.origin
        lines.append(
            f"  {source.name}: {len(source.cidrs)} CIDRs from {provenance} "
            f"(+{len(added)} -{len(removed)})"
        )
        lines += _listed("+", added) + _listed("-", removed)
        if source.note:  # e.g. the Netskope page differs from the bundled snapshot
            lines.append(f"      note: {source.note}")
    current = {source.name for source in lock.sources}
    for gone in previous.sources if previous else ():
        if gone.name not in current:
            lines.append(f"  {gone.name}: source removed (-{len(gone.cidrs)})")
    for label, keys in (
        ("created", changes.created),
        ("changed", changes.changed),
        ("removed", changes.removed),
    ):
        lines.append(f"zones {label}: {len(keys)}{' (' + ', '.join(keys) + ')' if keys else ''}")
    entries = sum(len(s.gateways) for s in shards)
    inputs = sum(len(g.inputs) for g in groups)
    lines.append(
        f"totals: {inputs} input CIDRs from {len(groups)} sources -> {entries} zone entries "
        f"in {len(shards)} zones"
    )
    return "\n".join(lines)


def run_sources(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    recorded = None
    if args.locked_sources:
        out_dir: Path = args.out if args.out is not None else config.output.dir
        recorded = _recorded(out_dir, read_lock(out_dir), args.config)
    results = resolve_sources(config, offline=args.offline, recorded=recorded)
    _print_notes(results)
    groups = build_group_sets(results, IpPolicy.from_safety(config.safety))  # validates all
    formatter = format_sources_json if args.json else format_sources_text
    print(formatter(results, groups))
    return EXIT_OK


def format_sources_text(results: Sequence[SourceResult], groups: Sequence[GroupSet]) -> str:
    lines = []
    for result, group in zip(results, groups, strict=True):
        locked = f", {_locked_phrase(result.locked_from)}" if result.locked_from else ""
        lines.append(
            f"# {result.name} ({result.kind}, {result.origin}{locked}): {len(result.cidrs)} CIDRs, "
            f"{len(group.cidrs)} after collapsing{', also as proxies' if result.as_proxies else ''}"
        )
        lines += [f"{canonical(c.value)}\t{c.source}\t{c.origin}\t{c.where}" for c in result.cidrs]
    return "\n".join(lines)


def format_sources_json(results: Sequence[SourceResult], groups: Sequence[GroupSet]) -> str:
    document: dict[str, Any] = {
        "sources": [
            {
                "name": result.name,
                "kind": result.kind,
                "origin": result.origin,
                "note": result.note,
                "locked_from": result.locked_from,
                "as_proxies": result.as_proxies,
                "cidrs": [
                    {"cidr": canonical(c.value), "value": c.value, "where": c.where}
                    for c in result.cidrs
                ],
                "collapsed": list(group.cidrs),
            }
            for result, group in zip(results, groups, strict=True)
        ]
    }
    return json.dumps(document, indent=2)
