"""`egress-guard drift`: compare the live Okta org with the declared desired state.

Exit codes: 0 in sync, 2 drift, 1 error (including any incomplete read, bad input or a report
that could not be written). Drift and error never share a code, so config errors and usage
errors (both 2 elsewhere, argparse's usage code included) are mapped to 1 here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import jsonschema

from generator.commands.org import org_env
from generator.commands.output import write_output
from generator.commands.usage import exit_one_on_usage_error, whole_number
from generator.drift.desired import Desired, load_desired_state
from generator.drift.findings import DriftReport
from generator.drift.ignore import load_ignore
from generator.drift.plan import load_plan
from generator.drift.posture import default_posture_checks
from generator.drift.run import DriftOptions, run_drift
from generator.errors import (
    EXIT_DRIFT,
    EXIT_FAILURE,
    EXIT_OK,
    EgressGuardError,
    describe_unexpected,
)
from generator.mfa.coverage_read import CoverageOptions
from generator.mfa.progress import Progress
from generator.okta.client import OktaClient
from generator.report.drift_render import FORMATS, load_report, render_report
from generator.report.drift_sarif import artifact_prefix, repository_root
from generator.settings import MfaConfig

# Extra OktaClient keyword arguments (retry policy, sleep function); tests shorten the waits.
CLIENT_OPTIONS: dict[str, Any] = {}


class DriftError(EgressGuardError):
    exit_code = EXIT_FAILURE


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "drift",
        help="compare the live Okta org with the declared state (0 in sync, 2 drift, 1 error)",
        description="Read the live Okta org (OKTA_ORG_URL or OKTA_ORG_NAME+OKTA_BASE_URL; "
        "OKTA_API_TOKEN or OAuth private_key_jwt) and report missing, changed and unmanaged "
        "objects against the desired state of --config.",
    )
    parser.add_argument("--config", required=True, type=Path, help="egress-policy.yaml")
    parser.add_argument("--plan", type=Path, help="`terraform show -json` of a plan or state")
    parser.add_argument("--ignore", type=Path, help="YAML/JSON file of accepted differences")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format")
    parser.add_argument("--output", type=Path, help="write the report here (default: stdout)")
    parser.add_argument(
        "--no-events", action="store_true", help="do not read the System Log for findings"
    )
    parser.add_argument(
        "--log-days",
        type=whole_number(1),
        default=7,
        help="System Log look-back in days (default 7)",
    )
    parser.add_argument(
        "--concurrency", type=whole_number(1), default=8, help="parallel API reads (default 8)"
    )
    mfa = parser.add_argument_group(
        "MFA enrolment coverage",
        "read every user's factors (one request per user, paced by Okta's rate limits)",
    )
    mfa.add_argument(
        "--mfa-coverage",
        action="store_true",
        help="report users who can sign in without an MFA factor, and those whose last factor "
        "was removed (progress on a terminal)",
    )
    mfa.add_argument(
        "--max-users",
        type=whole_number(1),
        help="with --mfa-coverage: read at most N users this run (with --mfa-cursor, the next "
        "run continues after them)",
    )
    mfa.add_argument(
        "--mfa-cursor",
        type=Path,
        metavar="FILE",
        help="with --mfa-coverage: checkpoint file; an interrupted or --max-users run resumes "
        "from it, and it is removed once every user was read",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="read the local Okta sandbox instead (also EGRESS_GUARD_SANDBOX=1; attaches to "
        "EGRESS_GUARD_SANDBOX_URL/_TOKEN or starts one from .sandbox/org.json)",
    )
    parser.set_defaults(func=run_drift_command)
    exit_one_on_usage_error(parser)  # 2 means "drift found"


def _coverage_options(args: argparse.Namespace, desired: Desired) -> CoverageOptions | None:
    if not args.mfa_coverage:
        for flag, value in (("--max-users", args.max_users), ("--mfa-cursor", args.mfa_cursor)):
            if value is not None:
                raise DriftError(f"drift: {flag} needs --mfa-coverage")
        return None
    mfa = desired.state.mfa
    return CoverageOptions(
        max_users=args.max_users,
        cursor=args.mfa_cursor,
        names_limit=mfa.report_max_names if mfa else MfaConfig.report_max_names,
        log_days=args.log_days,
        with_events=not args.no_events,
    )


def _produce(args: argparse.Namespace) -> tuple[DriftReport, str]:
    desired = load_desired_state(args.config)
    coverage = _coverage_options(args, desired)
    plan = load_plan(args.plan) if args.plan else None
    ignore = load_ignore(args.ignore) if args.ignore else ()
    options = DriftOptions(
        plan=plan,
        ignore=ignore,
        posture_checks=default_posture_checks(),
        with_events=not args.no_events,
        log_days=args.log_days,
        config_path=str(args.config),
        notes=(f"desired zones from {desired.source}",),
        generated_dir=artifact_prefix(desired.generated_dir, args.config.parent),
        declaration=desired.stale,
        mfa_coverage=coverage,
        progress=Progress() if coverage else None,
    )
    with (
        org_env(args.sandbox) as env,
        OktaClient.from_env(env, concurrency=max(1, args.concurrency), **CLIENT_OPTIONS) as client,
    ):
        report = run_drift(client, desired.state, options)
    return report, render_report(report, args.format, desired.generated_dir)


def run_drift_command(args: argparse.Namespace) -> int:
    try:
        report, text = _produce(args)
    except KeyboardInterrupt:
        if args.mfa_coverage and args.mfa_cursor:
            raise DriftError(
                f"drift: interrupted; the users read so far are checkpointed in "
                f"{args.mfa_cursor}: run the same command again to resume"
            ) from None
        raise
    except EgressGuardError as error:
        if error.exit_code == EXIT_FAILURE:
            raise
        raise DriftError(str(error)) from error
    except jsonschema.ValidationError as error:
        raise DriftError(
            f"internal error: report does not match its schema: {error.message}"
        ) from None
    except Exception as error:  # the one place that must never show a traceback
        raise DriftError(describe_unexpected(error)) from None
    write_output(text, args.output)
    if args.output:
        counts = report.counts()
        status = "in sync" if report.in_sync else f"{len(report.findings)} finding(s) {counts}"
        print(f"egress-guard drift: {status}; report written to {args.output}", file=sys.stderr)
    return EXIT_OK if report.in_sync else EXIT_DRIFT


def register_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`egress-guard report drift`: render a saved JSON drift report in another format, so one
    read of the org gives the JSON, the issue body and the SARIF of the same result."""
    parser = commands.add_parser(
        "drift",
        help="render a saved drift report (drift --format json) as text, markdown, sarif or json",
        description="Render the JSON report of `egress-guard drift --format json` with the same "
        "formatters as drift, without reading the org again. Exit 0 rendered, 1 error "
        "(unreadable or invalid report, usage).",
    )
    parser.add_argument("--report", required=True, type=Path, help="the drift report JSON")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--output", type=Path, help="write here (default: stdout)")
    parser.set_defaults(func=run_report_drift)
    exit_one_on_usage_error(parser)


def run_report_drift(args: argparse.Namespace) -> int:
    try:
        report = load_report(args.report)
    except EgressGuardError as error:
        raise DriftError(str(error)) from None
    # SARIF block lines come from the generated files, found from the repository root.
    base = repository_root(Path.cwd()) or Path.cwd()
    generated_dir = base / (report.generated_dir or "terraform/generated")
    write_output(render_report(report, args.format, generated_dir), args.output)
    return EXIT_OK
