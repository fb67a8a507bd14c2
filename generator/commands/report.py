"""`egress-guard report plan`, `egress-guard report plan-checksum` (and `report drift`)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from generator.commands import drift as drift_command
from generator.commands import watch as watch_command
from generator.commands.output import write_output
from generator.errors import EXIT_FAILURE, EXIT_OK, InputError, RefusedError
from generator.report.plan import Preflight, load_json, plan_checksum, summarise_plan, validate_plan
from generator.report.plan_inputs import (
    DEFAULT_LOCK,
    load_preflight,
    load_provenance,
    preflight_from_config,
)
from generator.report.plan_json import render_json
from generator.report.plan_markdown import render_markdown

CHECKSUM = re.compile(r"sha256:[0-9a-f]{64}")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("report", help="summaries of Terraform plans for review")
    commands = parser.add_subparsers(dest="report_command", metavar="REPORT")
    commands.required = True

    plan = commands.add_parser(
        "plan", help="summarise a `terraform show -json` plan (zones, CIDRs per source, rules)"
    )
    plan.add_argument("--plan", type=Path, required=True, help="plan JSON (terraform show -json)")
    plan.add_argument(
        "--lock",
        type=Path,
        help=f"generator lock file for provenance (default: {DEFAULT_LOCK} if present)",
    )
    preflight = plan.add_mutually_exclusive_group()
    preflight.add_argument(
        "--preflight", type=Path, help="lockout preflight result JSON to include"
    )
    preflight.add_argument(
        "--config", type=Path, help="egress-policy.yaml: run the offline lockout preflight"
    )
    plan.add_argument("--plan-text", type=Path, help="human-readable plan to fold into Markdown")
    plan.add_argument("--format", choices=("markdown", "json"), default="markdown")
    plan.add_argument("--output", type=Path, help="write here instead of stdout")
    plan.set_defaults(func=run_plan)

    checksum = commands.add_parser(
        "plan-checksum", help="print the plan checksum; with --expect, refuse a different one"
    )
    checksum.add_argument("--plan", type=Path, required=True, help="plan JSON")
    checksum.add_argument("--output", type=Path, help="also write the checksum to this file")
    checksum.add_argument(
        "--expect", help="reviewed checksum (sha256:…) or a file holding it; mismatch exits 1"
    )
    checksum.set_defaults(func=run_checksum)

    drift_command.register_report(commands)  # `report drift`: see generator/commands/drift.py
    watch_command.register_report(commands)  # `report watch`: see generator/commands/watch.py


def run_plan(args: argparse.Namespace) -> int:
    plan = validate_plan(load_json(args.plan, "plan"), args.plan)
    lock: Path | None = args.lock
    if lock is None and DEFAULT_LOCK.is_file():
        lock = DEFAULT_LOCK
    preflight: Preflight | None = (
        preflight_from_config(args.config)
        if args.config is not None
        else load_preflight(args.preflight)
    )
    summary = summarise_plan(plan, load_provenance(lock), preflight)
    if args.format == "json":
        text = render_json(summary)
    else:
        plan_text = None
        if args.plan_text is not None:
            try:
                plan_text = args.plan_text.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise InputError(f"{args.plan_text}: cannot read the plan text: {error}") from None
        text = render_markdown(summary, plan_text)
    write_output(text, args.output, "summary")
    return EXIT_OK if preflight is None or preflight.ok else _preflight_failed(preflight)


def _preflight_failed(preflight: Preflight) -> int:
    """Exit 1 after the summary is out, so CI posts it and then fails the job."""
    failing = [check for check in preflight.checks if not check.ok]
    print(
        f"egress-guard: lockout preflight FAILED ({len(failing)} failing check(s)); "
        "the summary was written; do not merge:",
        file=sys.stderr,
    )
    for check in failing:
        print(f"  - {check.name}" + (f": {check.detail}" if check.detail else ""), file=sys.stderr)
    return EXIT_FAILURE


def expected_checksum(value: str) -> str:
    if CHECKSUM.fullmatch(value):
        return value
    path = Path(value)
    try:
        found = CHECKSUM.search(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            f"--expect {value!r}: neither a sha256:… checksum nor a file: {error}"
        ) from None
    if found is None:
        raise InputError(f"{path}: holds no sha256:… plan checksum")
    return found.group(0)


def run_checksum(args: argparse.Namespace) -> int:
    checksum = plan_checksum(validate_plan(load_json(args.plan, "plan"), args.plan))
    if args.output is not None:
        write_output(checksum + "\n", args.output, "checksum")
    print(checksum)
    if args.expect is not None:
        reviewed = expected_checksum(args.expect)
        if reviewed != checksum:
            raise RefusedError(
                f"the plan differs from the reviewed one: reviewed {reviewed}, now {checksum}. "
                "Open a pull request so the new plan is reviewed before it is applied."
            )
        print("egress-guard: the plan matches the reviewed plan", file=sys.stderr)
    return EXIT_OK
