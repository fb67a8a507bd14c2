"""`egress-guard admin-console`: the Okta Admin Console's session timeouts, which Terraform
cannot manage (the provider has no resource: okta/terraform-provider-okta#1953), applied through
the API with plan/apply semantics.

Exit codes (as `terraform plan -detailed-exitcode`): 0 nothing to change (or applied with
`--apply`), 2 changes pending (shown, not applied), 1 error, usage and config errors included.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from generator.commands import drift
from generator.commands.org import org_env
from generator.commands.usage import exit_one_on_usage_error
from generator.controls.console_settings import PATH, ConsolePlan, apply, plan
from generator.drift.desired import load_desired_state
from generator.errors import EXIT_FAILURE, EXIT_OK, EgressGuardError, describe_unexpected
from generator.okta.client import OktaClient

EXIT_CHANGES = 2


class AdminConsoleError(EgressGuardError):
    exit_code = EXIT_FAILURE


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "admin-console",
        help="plan or apply the Admin Console's session timeouts (0 in place, 2 changes, 1 error)",
        description="Compare the Okta Admin Console's session idle time and lifetime with "
        "controls.admin_console_session of --config and, with --apply, set them (the Terraform "
        "provider has no resource for them). Reads the same Okta variables as drift; --apply "
        "needs okta.apps.manage.",
    )
    parser.add_argument("--config", required=True, type=Path, help="egress-policy.yaml")
    parser.add_argument("--apply", action="store_true", help="make the change (default: plan)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="the local Okta sandbox instead (also EGRESS_GUARD_SANDBOX=1)",
    )
    parser.set_defaults(func=run_admin_console)
    exit_one_on_usage_error(parser)  # 2 means "changes pending"


def _text(org: str, planned: ConsolePlan, applied: bool, command: str) -> str:
    lines = [f"Okta Admin Console session ({org}, {PATH}):"]
    if not planned.configured:
        lines.append(
            "  controls.admin_console_session is not set in the config: nothing to apply "
            f"(Okta has idle {planned.live.get('sessionIdleTimeoutMinutes')} min, lifetime "
            f"{planned.live.get('sessionMaxLifetimeMinutes')} min)"
        )
        return "\n".join(lines) + "\n"
    if not planned.changes:
        lines.append("  in place: " + ", ".join(f"{k} {v}" for k, v in planned.desired.items()))
        return "\n".join(lines) + "\n"
    for change in planned.changes:
        note = " (loosens: sessions get more time)" if change.loosens else ""
        lines.append(f"  {change.setting}: {change.live} -> {change.desired}{note}")
    if applied:
        lines.append(f"applied {len(planned.changes)} change(s); Okta now has the values above")
    else:
        lines.append(f"{len(planned.changes)} change(s) pending; apply with: {command} --apply")
    return "\n".join(lines) + "\n"


def _json(org: str, planned: ConsolePlan, applied: bool) -> str:
    document: dict[str, Any] = {
        "org_url": org,
        "setting": "admin-console",
        "configured": planned.configured,
        "desired": dict(planned.desired) if planned.configured else None,
        "live": {k: planned.live.get(k) for k in planned.desired},
        "changes": [
            {"setting": c.setting, "live": c.live, "desired": c.desired, "loosens": c.loosens}
            for c in planned.changes
        ],
        "applied": applied,
    }
    return json.dumps(document, indent=2) + "\n"


def _run(args: argparse.Namespace) -> int:
    state = load_desired_state(args.config).state
    client_options = drift.CLIENT_OPTIONS  # the same client settings as drift (tests shorten them)
    with (
        org_env(args.sandbox) as env,
        OktaClient.from_env(env, **client_options) as client,
    ):
        planned = plan(client, state.controls)
        applied = bool(args.apply and planned.changes)
        if applied:
            apply(client, planned)
        org = client.org_url
    command = f"egress-guard admin-console --config {args.config}"
    output = (
        _json(org, planned, applied)
        if args.format == "json"
        else _text(org, planned, applied, command)
    )
    sys.stdout.write(output)
    return EXIT_CHANGES if planned.changes and not applied else EXIT_OK


def run_admin_console(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except EgressGuardError as error:
        if error.exit_code == EXIT_FAILURE:
            raise
        raise AdminConsoleError(str(error)) from error
    except Exception as error:  # never a traceback (it could hold a credential)
        raise AdminConsoleError(describe_unexpected(error)) from None
