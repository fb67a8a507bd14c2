"""`egress-guard respond ALERT_ID`: carry out the response a watch alert suggests, dry run first.

Prints exactly what it would do; `--execute` does it (needs the manage scopes). Every action,
planned or executed, is logged. Exit 0 when everything planned was done (or printed), 1 on any
error or refusal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator.commands.org import org_env
from generator.commands.usage import exit_one_on_usage_error
from generator.config import load_config
from generator.errors import EXIT_FAILURE, EXIT_OK, EgressGuardError, InputError
from generator.okta.auth import OktaSettings
from generator.okta.client import OktaClient
from generator.report.markdown_safe import one_line
from generator.watch.detection import Alert
from generator.watch.respond import ACTIONS, carry_out, log_action, missing_scopes, plan
from generator.watch.state import find_alert, load_state

ACTION_NAMES = {name.replace("_", "-"): name for name in ACTIONS}


class RespondCommandError(EgressGuardError):
    exit_code = EXIT_FAILURE


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "respond",
        help="respond to a watch alert: clear sessions, suspend a user, revoke a token "
        "(dry run unless --execute)",
        description="Find ALERT_ID in the watch state (--state) or a saved report (--report, "
        "watch --format json or ndjson), print the API calls its suggested responses take, and "
        "make them with --execute (needs okta.users.manage / okta.apiTokens.manage). Every "
        "action is appended to the action log. Exit 0 ok, 1 error or refusal.",
    )
    parser.add_argument("alert_id", metavar="ALERT_ID")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--state", type=Path, help="the watch state file that raised it")
    source.add_argument("--report", type=Path, help="a saved watch report (json or ndjson)")
    parser.add_argument(
        "--action",
        action="append",
        choices=sorted(ACTION_NAMES),
        help="only this response (repeatable; default: every one the alert suggests)",
    )
    parser.add_argument("--config", type=Path, help="egress-policy.yaml (break-glass accounts)")
    parser.add_argument("--execute", action="store_true", help="make the calls (default: print)")
    parser.add_argument(
        "--force", action="store_true", help="also act on break-glass accounts of the config"
    )
    parser.add_argument(
        "--log",
        type=Path,
        help="action log, JSON lines (default: STATE.actions.jsonl, or "
        "egress-guard-actions.jsonl beside the report)",
    )
    parser.add_argument("--sandbox", action="store_true", help="act on the local Okta sandbox")
    parser.set_defaults(func=run_respond)
    exit_one_on_usage_error(parser)


def _find(args: argparse.Namespace) -> Alert:
    if args.state is not None:
        state = load_state(args.state, None)
        if state is None:
            raise InputError(f"{args.state}: no such watch state file")
        found = find_alert(state, args.alert_id)
        where = str(args.state)
    else:
        found = _from_report(args.report, args.alert_id)
        where = str(args.report)
    if found is None:
        raise InputError(f"alert {args.alert_id} is not in {where}")
    return found


def _from_report(path: Path, alert_id: str) -> Alert | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read the report: {error.strerror}") from None
    try:
        document = json.loads(text)
        items = document.get("alerts", []) if isinstance(document, dict) else []
    except ValueError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            raise InputError(f"{path}: not a watch report (JSON or NDJSON)") from None
    for item in items:
        if isinstance(item, dict) and item.get("id") == alert_id:
            try:
                return Alert.from_dict(item)
            except (KeyError, TypeError):
                raise InputError(f"{path}: alert {alert_id} is not readable") from None
    return None


def _log_path(args: argparse.Namespace) -> Path:
    if args.log is not None:
        return Path(args.log)
    if args.state is not None:
        return Path(args.state).with_name(Path(args.state).name + ".actions.jsonl")
    return Path(args.report).with_name("egress-guard-actions.jsonl")


def run_respond(args: argparse.Namespace) -> int:
    try:
        return _respond(args)
    except EgressGuardError as error:
        if error.exit_code == EXIT_FAILURE:
            raise
        raise RespondCommandError(str(error)) from None


def _respond(args: argparse.Namespace) -> int:
    alert = _find(args)
    protected: list[str] = []
    if args.config is not None:
        config = load_config(args.config)
        protected = list(config.okta.break_glass.users)
    chosen = [ACTION_NAMES[a] for a in args.action or ()]
    actions = plan(alert, chosen, protected, force=args.force)
    log = _log_path(args)
    print(f"alert {alert.id} ({alert.detection}, {alert.severity}): {one_line(alert.title)}")
    if not args.execute:
        for action in actions:
            print(
                f"DRY RUN: would {action.method} {action.path} — {one_line(action.description)} "
                f"(needs {action.scope})"
            )
            log_action(log, action, "dry-run", "planned")
        print(f"nothing changed; run again with --execute to do it (logged to {log})")
        return EXIT_OK
    with org_env(args.sandbox) as env, OktaClient.from_env(env, concurrency=1) as client:
        settings = OktaSettings.from_env(env)
        granted = settings.oauth.scopes if settings.oauth is not None else None
        lacking = missing_scopes(actions, granted)
        if lacking:
            raise RespondCommandError(
                f"--execute needs the scope(s) {', '.join(lacking)}: grant them to the service "
                "app and list them in OKTA_API_SCOPES (nothing was changed)"
            )
        failed = 0
        for action in actions:
            try:
                outcome = carry_out(client, action)
            except EgressGuardError as error:
                failed += 1
                log_action(log, action, "execute", f"failed: {error}")
                print(
                    f"FAILED: {action.method} {action.path}: {one_line(str(error))}",
                    file=sys.stderr,
                )
                continue
            log_action(log, action, "execute", outcome)
            print(f"DONE: {action.method} {action.path} — {one_line(action.description)}")
    print(f"logged to {log}")
    return EXIT_FAILURE if failed else EXIT_OK
