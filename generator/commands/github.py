"""`egress-guard github …`: the GitHub side of the GitOps workflows (GITHUB_TOKEN, REST API)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any, TypeAlias

from generator.commands.output import write_output
from generator.errors import EXIT_OK, InputError
from generator.github.client import client_from_env
from generator.github.comments import DEFAULT_AUTHOR, upsert_comment
from generator.github.drift import DRIFT_ISSUE, sync_drift_issue
from generator.github.issues import TrackedIssue, digest_of, report_problem, resolve_problem
from generator.github.markers import marker
from generator.github.refresh_pr import RefreshRequest, sync_refresh_pr
from generator.github.reviewed import (
    DEFAULT_ARTIFACT,
    DEFAULT_FILENAME,
    DEFAULT_WORKFLOW,
    find_reviewed_plan,
)
from generator.github.watch import WATCH_ISSUE, sync_watch_issue

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
AUTHOR_ENV = "EGRESS_GUARD_COMMENT_AUTHOR"


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "github", help="PR comments, tracked issues and PRs through the GitHub API (GITHUB_TOKEN)"
    )
    commands = parser.add_subparsers(dest="github_command", metavar="ACTION")
    commands.required = True
    _register_comment(commands)
    _register_drift_issue(commands)
    _register_watch_issue(commands)
    _register_issue(commands)
    _register_refresh_pr(commands)
    _register_reviewed(commands)


def _marker_key(value: str) -> str:
    try:
        marker(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the {what}: {error}") from None


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text.rstrip()}\n{fence}\n"


def _body(args: argparse.Namespace, what: str) -> str:
    """The body file's text; plain text (`--text`) goes into a code block."""
    if args.body_file is None:
        return ""
    text = _read_text(args.body_file, what)
    return _fenced(text) if args.text else text


def _append_step_summary(text: str) -> None:
    """Append to the job summary when running in Actions (GITHUB_STEP_SUMMARY is append-only)."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(text.rstrip("\n") + "\n")


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(_read_text(path, what))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: the {what} is not valid JSON: {error}") from None


def _run_url() -> str:
    keys = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    server, repo, run = (os.environ.get(key) for key in keys)
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run else ""


def _register_comment(commands: Subparsers) -> None:
    parser = commands.add_parser("comment", help="create or update one sticky PR comment")
    parser.add_argument("--pr", type=int, required=True, help="pull request number")
    body = parser.add_mutually_exclusive_group(required=True)
    body.add_argument("--body-file", type=Path, help="Markdown body")
    body.add_argument("--body", help="Markdown body given inline")
    parser.add_argument(
        "--marker", type=_marker_key, default="plan", help="identifies the comment (default plan)"
    )
    parser.add_argument(
        "--author",
        help=f"login whose marked comment is updated (default: ${AUTHOR_ENV} or {DEFAULT_AUTHOR}, "
        "the GITHUB_TOKEN's bot); a marked comment by anyone else is never edited",
    )
    parser.set_defaults(func=run_comment)


def run_comment(args: argparse.Namespace) -> int:
    text = args.body if args.body is not None else _read_text(args.body_file, "comment body")
    author = args.author or os.environ.get(AUTHOR_ENV) or DEFAULT_AUTHOR
    result = upsert_comment(client_from_env(), args.pr, text, args.marker, author)
    print(f"comment {result.action}: {result.url or result.comment_id}")
    return EXIT_OK


def _register_drift_issue(commands: Subparsers) -> None:
    parser = _issue_parser(
        commands,
        "drift-issue",
        "open/reopen/comment/close the drift issue from a drift run",
        "drift",
        DRIFT_ISSUE,
    )
    parser.add_argument(
        "--step-summary", action="store_true", help="also append the outcome to the job summary"
    )
    parser.set_defaults(func=run_drift_issue)


def run_drift_issue(args: argparse.Namespace) -> int:
    report, markdown = _reports(args, "drift (exit 2) needs", "drift report")
    tracked = dataclasses.replace(DRIFT_ISSUE, title=args.title, label=args.label)
    result = sync_drift_issue(
        client_from_env(), args.exit_code, report, markdown or "", tracked, _run_url()
    )
    if args.exit_code == 1:
        line = "drift check failed (exit 1): the drift issue is left as it is"
    else:
        line = f"drift issue {result.action}: {result.url or result.number or '-'}"
    print(line)
    if args.step_summary:
        headline = {0: "Okta is in sync with the repository.", 2: markdown or ""}
        _append_step_summary(f"{headline.get(args.exit_code, '')}\n\n{line}".strip())
    return EXIT_OK


def _register_watch_issue(commands: Subparsers) -> None:
    parser = _issue_parser(
        commands,
        "watch-issue",
        "open/reopen/comment the watch issue from a watch run's alerts",
        "watch",
        WATCH_ISSUE,
    )
    parser.set_defaults(func=run_watch_issue)


def _issue_parser(
    commands: Subparsers, name: str, help: str, command: str, tracked: TrackedIssue
) -> argparse.ArgumentParser:
    """A subcommand syncing the issue `tracked` from a run of `egress-guard <command>`: its exit
    code and, for exit 2, its JSON and Markdown reports."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help)
    parser.add_argument(
        "--exit-code",
        type=int,
        required=True,
        help=f"exit code of `egress-guard {command}` (0/1/2)",
    )
    parser.add_argument("--report-json", type=Path, help=f"{command} --format json output")
    parser.add_argument("--report-markdown", type=Path, help=f"{command} --format markdown output")
    parser.add_argument("--title", default=tracked.title)
    parser.add_argument("--label", default=tracked.label)
    return parser


def _reports(args: argparse.Namespace, missing: str, what: str) -> tuple[Any, str | None]:
    """(JSON report, Markdown report) of a run that exited 2; (None, None) for any other exit.
    `missing` starts the error when one is not given."""
    if args.exit_code != 2:
        return None, None
    if args.report_json is None or args.report_markdown is None:
        raise InputError(f"{missing} --report-json and --report-markdown")
    return _read_json(args.report_json, what), _read_text(args.report_markdown, what)


def run_watch_issue(args: argparse.Namespace) -> int:
    report, markdown = _reports(args, "watch alerts (exit 2) need", "watch report")
    tracked = dataclasses.replace(WATCH_ISSUE, title=args.title, label=args.label)
    result = sync_watch_issue(
        client_from_env(), args.exit_code, report, markdown or "", tracked, _run_url()
    )
    if args.exit_code == 2:
        print(f"watch issue {result.action}: {result.url or result.number or '-'}")
    else:
        print(f"watch exit {args.exit_code}: the watch issue is left as it is")
    return EXIT_OK


def _register_issue(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "issue", help="open/update a tracked issue by key, or close it with --resolve"
    )
    parser.add_argument("--key", type=_marker_key, required=True, help="identifies the issue")
    parser.add_argument("--title", required=True)
    parser.add_argument("--label", default="egress-guard")
    parser.add_argument("--body-file", type=Path, help="Markdown body (required unless --resolve)")
    parser.add_argument("--text", action="store_true", help="the body file is plain text")
    parser.add_argument("--resolve", action="store_true", help="close the issue if it is open")
    parser.set_defaults(func=run_issue)


def run_issue(args: argparse.Namespace) -> int:
    tracked = TrackedIssue(key=args.key, title=args.title, label=args.label)
    text = _body(args, "issue body")
    if text and _run_url():
        text += f"\nWorkflow run: {_run_url()}\n"
    client = client_from_env()
    if args.resolve:
        result = resolve_problem(client, tracked, text)
    elif not text:
        raise InputError("--body-file is required unless --resolve")
    else:
        result = report_problem(client, tracked, text, digest_of(text))
    print(f"issue {result.action}: {result.url or result.number or '-'}")
    return EXIT_OK


def _register_refresh_pr(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "refresh-pr", help="commit regenerated files to a bot branch and open/update one PR"
    )
    parser.add_argument(
        "--path", action="append", required=True, help="file or directory the PR carries"
    )
    parser.add_argument("--body-file", type=Path, required=True, help="PR description (Markdown)")
    parser.add_argument("--text", action="store_true", help="the body file is plain text")
    parser.add_argument("--base", default="main")
    parser.add_argument("--branch", default="egress-guard/ip-refresh")
    parser.add_argument("--title", default="egress-guard: refresh trusted egress IP ranges")
    parser.add_argument("--commit-message", default="Refresh trusted egress IP ranges")
    parser.add_argument("--root", type=Path, default=Path("."), help="repository checkout")
    parser.set_defaults(func=run_refresh_pr)


def _refresh_footer() -> str:
    run = f" by [this workflow run]({_run_url()})" if _run_url() else ""
    return (
        f"\n---\nOpened{run} with `egress-guard github refresh-pr`. The plan comment on this "
        "pull request shows what changes in Okta; merging applies it.\n"
    )


def run_refresh_pr(args: argparse.Namespace) -> int:
    request = RefreshRequest(
        root=args.root,
        paths=tuple(args.path),
        base=args.base,
        branch=args.branch,
        title=args.title,
        body=_body(args, "PR body") + _refresh_footer(),
        commit_message=args.commit_message,
    )
    result = sync_refresh_pr(client_from_env(), request)
    print(f"refresh PR {result.action}: {result.url or result.number or '-'}")
    for path in result.changed_files:
        print(f"  {path}")
    return EXIT_OK


def _register_reviewed(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "reviewed-checksum",
        help="the plan checksum recorded by the PR workflow for the PR merged as COMMIT",
    )
    parser.add_argument("--commit", required=True, help="merge commit SHA (github.sha)")
    parser.add_argument("--workflow", default=DEFAULT_WORKFLOW, help="PR workflow file name")
    parser.add_argument("--artifact", default=DEFAULT_ARTIFACT, help="checksum artifact name")
    parser.add_argument("--filename", default=DEFAULT_FILENAME, help="file inside the artifact")
    parser.add_argument("--output", type=Path, help="also write the checksum to this file")
    parser.set_defaults(func=run_reviewed)


def run_reviewed(args: argparse.Namespace) -> int:
    reviewed = find_reviewed_plan(
        client_from_env(), args.commit, args.workflow, args.artifact, args.filename
    )
    if args.output is not None:
        write_output(reviewed.checksum + "\n", args.output, "checksum")
    print(reviewed.checksum)
    print(
        f"egress-guard: reviewed in PR #{reviewed.pr_number} (head {reviewed.head_sha[:12]}), "
        f"run {reviewed.run_url or reviewed.run_id}",
        file=sys.stderr,
    )
    return EXIT_OK
