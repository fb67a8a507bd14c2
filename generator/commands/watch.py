"""`egress-guard watch`: run the System Log detections over a window, or follow the log.

Exit codes: 0 nothing found, 2 alerts, 1 error (a partial read is an error: what was read is
still reported and the state keeps what was processed). Usage and config errors exit 1 too, so
that 2 always means alerts.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from generator.commands.org import org_env
from generator.commands.output import write_output
from generator.commands.usage import exit_one_on_usage_error, whole_number
from generator.config import load_config
from generator.errors import EXIT_DRIFT, EXIT_FAILURE, EXIT_OK, EgressGuardError, InputError
from generator.okta.client import OktaClient
from generator.report.drift_sarif import artifact_prefix
from generator.report.markdown_safe import one_line
from generator.watch.admin_groups import AdminGroups, BreakGlass, RoleGroups
from generator.watch.detection import SEVERITIES, Alert, Detection, WatchContext
from generator.watch.detections import ALL
from generator.watch.detections.admin_group_join import AdminGroupJoined
from generator.watch.engine import Engine, build_detections
from generator.watch.formats import FORMATS, STREAMING, StreamingFormat
from generator.watch.report import WatchReport, report_from_dict
from generator.watch.role_groups import ROLE_AWARE, RoleGroupsKeeper, apply_role_groups
from generator.watch.run import Outbox, Runner
from generator.watch.sinks import GitHubIssueSink, Sink
from generator.watch.sinks.webhook import WEBHOOK_ENV, from_env
from generator.watch.sources import EventSource, FileSource, SystemLogSource
from generator.watch.state import WatchState, load_state, locked
from generator.watch.trusted import resolve_trusted
from generator.watch.when import check_since, okta_time, parse_when

DEFAULT_SINCE = "24h"
RESUME_OVERLAP = timedelta(minutes=10)  # re-read when Okta refuses a stored cursor
# Extra OktaClient keyword arguments (retry policy, sleep function); tests shorten the waits.
CLIENT_OPTIONS: dict[str, Any] = {}


class WatchError(EgressGuardError):
    exit_code = EXIT_FAILURE


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "watch",
        help="System Log detections: breach pattern, risky admin changes (0 none, 2 alerts, "
        "1 error)",
        description="Read the Okta System Log (OKTA_ORG_URL or OKTA_ORG_NAME+OKTA_BASE_URL; "
        "OKTA_API_TOKEN or OAuth with okta.logs.read) and report what the detections find. "
        "Exit 0 nothing found, 2 alerts, 1 error (a partial read is an error).",
    )
    parser.add_argument("--config", type=Path, help="egress-policy.yaml (trusted ranges, watch)")
    parser.add_argument(
        "--since",
        help=f"ISO 8601 time or duration before now (90m, 24h, 7d; default {DEFAULT_SINCE})",
    )
    parser.add_argument("--until", help="end of a bounded window (ISO 8601 or duration)")
    parser.add_argument(
        "--follow", action="store_true", help="keep polling for new events until interrupted"
    )
    parser.add_argument(
        "--state", type=Path, help="cursor and correlation state (resume where the last run ended)"
    )
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument("--output", type=Path, help="write the report here (default: stdout)")
    parser.add_argument(
        "--detections", help="comma-separated detection ids to run (default: all enabled)"
    )
    parser.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default="low",
        help="report alerts of this severity and above (default low; info adds single failed "
        "sign-ins and push denials)",
    )
    parser.add_argument("--input", type=Path, help="read LogEvents from a file (JSON or NDJSON)")
    parser.add_argument(
        "--poll-seconds",
        type=whole_number(1),
        default=30,
        help="--follow: wait between empty polls (default 30)",
    )
    parser.add_argument(
        "--github-issue", action="store_true", help="also open/comment the watch issue"
    )
    parser.add_argument(
        "--webhook", action="store_true", help=f"also post to the webhook in ${WEBHOOK_ENV}"
    )
    parser.add_argument(
        "--sandbox", action="store_true", help="read the local Okta sandbox (as drift --sandbox)"
    )
    parser.add_argument(
        "--list-detections", action="store_true", help="list the detections and exit"
    )
    parser.set_defaults(func=run_watch_command)
    exit_one_on_usage_error(parser)


def register_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`egress-guard report watch`: render a saved watch report in another format, so one read
    of the log gives the JSON, the issue body and the SARIF of the same alerts."""
    parser = commands.add_parser(
        "watch",
        help="render a saved watch report (watch --format json) in another format",
        description="Render the JSON report of `egress-guard watch --format json` with the "
        "same formatters, without reading the System Log again. Exit 0 rendered, 1 error.",
    )
    parser.add_argument("--report", required=True, type=Path, help="the watch report JSON")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument("--output", type=Path, help="write here (default: stdout)")
    parser.set_defaults(func=run_report_watch)
    exit_one_on_usage_error(parser)


def run_report_watch(args: argparse.Namespace) -> int:
    try:
        text = args.report.read_text(encoding="utf-8")
    except OSError as error:
        raise WatchError(f"{args.report}: cannot read the report: {error.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise WatchError(f"{args.report}: not JSON") from None
    try:
        report = report_from_dict(data, str(args.report))
    except EgressGuardError as error:
        raise WatchError(str(error)) from None
    write_output(FORMATS[args.format].render(report), args.output)
    return EXIT_OK


def run_watch_command(args: argparse.Namespace) -> int:
    if args.list_detections:
        print(_catalogue())
        return EXIT_OK
    try:
        return _watch(args)
    except WatchError:
        raise
    except EgressGuardError as error:
        raise WatchError(str(error)) from None


def _catalogue() -> str:
    lines = [f"{'id':8} {'category':28} {'severity':8} title"]
    lines += [f"{d.info.id:8} {d.info.category:28} {d.info.severity:8} {d.info.title}" for d in ALL]
    return "\n".join(lines)


def _check_usage(args: argparse.Namespace) -> None:
    if args.config is None:
        raise InputError("--config is required (the trusted ranges come from it)")
    if args.follow and args.until:
        raise InputError("--follow reads new events as they come: it takes no --until")
    if args.state and args.until:
        raise InputError("--state resumes a cursor; a bounded --until window does not move it")
    if args.input and (args.follow or args.state or args.sandbox):
        raise InputError("--input reads a file: no --follow, --state or --sandbox")
    if args.follow and args.format not in STREAMING:
        raise InputError(
            f"--follow prints alerts as they come: --format {'|'.join(sorted(STREAMING))}"
        )
    if args.follow and args.output:
        raise InputError("--follow prints to stdout; redirect it instead of --output")


def _watch(args: argparse.Namespace) -> int:
    _check_usage(args)
    config = load_config(args.config)
    trusted = resolve_trusted(config)
    context = WatchContext(
        trusted=trusted,
        name_prefix=config.output.name_prefix,
        automation_actors=frozenset(config.watch.automation_actors),
        admin_groups=AdminGroups.of(config.okta.admin_groups),
        break_glass=BreakGlass(config.okta.break_glass.users, config.okta.break_glass.group),
    )
    only = [d.strip() for d in (args.detections or "").split(",") if d.strip()]
    parameters = {d: dict(values) for d, values in config.watch.parameters}
    detections = build_detections(context, only, config.watch.disabled, parameters)
    engine = Engine(detections, min_severity=args.min_severity)
    now = datetime.now(UTC)
    report = WatchReport(
        org="",
        detections=tuple(d.info.id for d in detections),
        min_severity=args.min_severity,
        trusted=trusted.source,
        generated_at=okta_time(now),
        config_path=artifact_prefix(args.config.resolve(), args.config.resolve().parent),
    )
    sinks = _sinks(args)
    with ExitStack() as stack:
        source = _source(args, stack, report, now)
        outbox = _outbox(args, stack, report, source, now)
        stopping = stack.enter_context(_stop_on_signals()) if args.follow else None
        if isinstance(source, SystemLogSource) and stopping is not None:
            source.stopped = stopping.is_set
        roles = _role_groups(detections, source, outbox)
        if roles is not None:
            report.notes += _refresh_roles(roles, detections, outbox, now)
        runner = Runner(
            engine=engine,
            report=report,
            sinks=sinks,
            outbox=outbox,
            follow=args.follow,
            on_alerts=_streamer(args.format) if args.follow else None,
            on_delivery=lambda line: print(
                f"egress-guard watch: {one_line(line)}", file=sys.stderr
            ),
            between_pages=_follow_roles(roles, detections, outbox) if args.follow else None,
        )
        runner.run(source)
        if isinstance(source, SystemLogSource):
            report.notes += source.notes
        if not args.follow:
            write_output(FORMATS[args.format].render(report), args.output)
            runner.acknowledge()  # reported: no longer pending in the state
    if args.output or args.follow:
        print(f"egress-guard watch: {_status(report)}", file=sys.stderr)
    if report.error:
        print(f"egress-guard: error: {one_line(report.error)}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_DRIFT if report.alerts else EXIT_OK


def _status(report: WatchReport) -> str:
    counts = ", ".join(f"{n} {s}" for s, n in report.counts().items()) or "none"
    return f"{report.events} event(s), {len(report.alerts)} alert(s) ({counts})"


def _sinks(args: argparse.Namespace) -> list[Sink]:
    sinks: list[Sink] = []
    if args.github_issue:
        sinks.append(GitHubIssueSink())
    if args.webhook:
        sinks.append(from_env())
    return sinks


def _source(
    args: argparse.Namespace, stack: ExitStack, report: WatchReport, now: datetime
) -> EventSource:
    if args.input:
        report.org = f"file {args.input}"
        return FileSource(args.input)
    env = stack.enter_context(org_env(args.sandbox))
    client = stack.enter_context(OktaClient.from_env(env, concurrency=1, **CLIENT_OPTIONS))
    report.org = client.org_url
    since = parse_when(args.since or DEFAULT_SINCE, now, "--since")
    report.notes += check_since(since, now)
    until = parse_when(args.until, now, "--until") if args.until else None
    if until is not None and until <= since:
        raise InputError("--until must be after --since")
    report.since, report.until = okta_time(since), okta_time(until) if until else None
    return SystemLogSource(
        client,
        since=report.since,
        until=report.until,
        follow=args.follow,
        poll_seconds=float(args.poll_seconds),
    )


def _outbox(
    args: argparse.Namespace,
    stack: ExitStack,
    report: WatchReport,
    source: EventSource,
    now: datetime,
) -> Outbox:
    if args.state is None:
        return Outbox()
    stack.enter_context(locked(args.state))
    state = load_state(args.state, report.org) or WatchState(org=report.org)
    if state.next_url and isinstance(source, SystemLogSource):
        source.resume = state.next_url
        if args.since:
            report.notes.append("--since is ignored: the state file resumes its cursor")
        if state.last_published:
            last = datetime.fromisoformat(state.last_published.replace("Z", "+00:00"))
            source.fallback_since = okta_time(max(last - RESUME_OVERLAP, now - timedelta(days=179)))
        report.since = None
    return Outbox(state, args.state)


def _role_groups(
    detections: list[Detection], source: EventSource, outbox: Outbox
) -> RoleGroupsKeeper | None:
    """The reader of the role-holding groups, when a detection uses them (PRV-002, BRK-001)."""
    if not any(d.info.id in ROLE_AWARE for d in detections):
        return None
    params = next(
        (d.params for d in detections if isinstance(d, AdminGroupJoined)),
        AdminGroupJoined.Parameters(),
    )
    state = outbox.state
    return RoleGroupsKeeper(
        client=source.client if isinstance(source, SystemLogSource) else None,
        refresh=timedelta(hours=params.refresh_hours),
        scan_all=params.scan_all_groups,
        cached=RoleGroups.from_json(state.role_groups) if state is not None else None,
    )


def _refresh_roles(
    keeper: RoleGroupsKeeper, detections: list[Detection], outbox: Outbox, now: datetime
) -> list[str]:
    """Read the role-holding groups if due (else the cached read), give them to the
    detections and the state file; what to say about them."""
    roles, notes, keep = keeper.current(now)
    if keep and outbox.state is not None:
        outbox.state.role_groups = roles.to_json()
    apply_role_groups(detections, roles)
    return notes


def _follow_roles(
    keeper: RoleGroupsKeeper | None, detections: list[Detection], outbox: Outbox
) -> Callable[[], None] | None:
    """--follow: read the role-holding groups again between pages when the interval is over."""
    if keeper is None:
        return None

    def refresh() -> None:
        now = datetime.now(UTC)
        if keeper.due(now):
            for note in _refresh_roles(keeper, detections, outbox, now):
                print(f"egress-guard watch: {one_line(note)}", file=sys.stderr)

    return refresh


def _streamer(name: str) -> Any:
    fmt = FORMATS[name]
    assert isinstance(fmt, StreamingFormat)

    def show(alerts: list[Alert]) -> None:
        sys.stdout.write(fmt.stream(alerts))
        sys.stdout.flush()

    return show


class _Flag:
    def __init__(self) -> None:
        self.value = False

    def is_set(self) -> bool:
        return self.value


@contextmanager
def _stop_on_signals() -> Iterator[_Flag]:
    """--follow: SIGINT/SIGTERM end the run after the current page (state saved)."""
    flag = _Flag()

    def stop(signum: int, frame: FrameType | None) -> None:
        flag.value = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield flag
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
