"""`egress-guard terraform apply`: gated, confirmed, recoverable.

1. The gate (`generator.apply_gate`): stale output, hand-edited generated files or a failed
   lockout preflight (on the live org) refuse with exit 1; `--force` applies anyway after a loud
   warning naming every reason. Without `--config` nothing can be checked: refused unless
   `--force`.
2. Without a saved plan: plan into a temporary file (shown), exit 0 at once when there is
   nothing to do, ask for confirmation on a terminal unless `--auto-approve` (not on a terminal:
   refused without `--auto-approve`), then apply exactly that plan. A saved plan is applied as
   given (it was reviewed when it was made).
3. An interrupt (Ctrl-C, SIGTERM: `generator.terraform_runner`) stops Terraform gracefully, so
   its state records what it created. When a create fails because an object of that name
   already exists (an earlier apply was killed before Terraform saved its state), the objects
   are looked up by name and the exact `terraform import` commands printed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from generator import adopt
from generator.apply_gate import GateReport, evaluate_gate, format_gate
from generator.errors import EXIT_OK, EgressGuardError, RefusedError
from generator.okta.client import OktaClient
from generator.terraform_runner import TerraformRunner, TfResult
from generator.terraform_session import Target, ensure_initialised

CONFIRM = "yes"


def org_env(target: Target) -> dict[str, str]:
    """What egress-guard's own client needs to read the org Terraform applies to."""
    if target.mode == "sandbox":
        return {"OKTA_ORG_URL": target.org_url, "OKTA_API_TOKEN": target.env["OKTA_API_TOKEN"]}
    return {**os.environ, **target.env}  # open_target checked that an org is configured


def gate(args: argparse.Namespace, target: Target) -> GateReport | None:
    """Evaluate the gate; refuse (RefusedError) unless it passes or --force."""
    if args.config is None:
        if args.force:
            _warn("--force without --config: applying with no gate at all (no stale-output, "
                  "hand-edit or lockout check)")  # fmt: skip
            return None
        raise RefusedError(
            "terraform apply is gated: pass --config FILE (the policy whose generated output "
            "this root module holds) so the output, hand edits and the lockout preflight can be "
            "checked, or --force to apply unchecked"
        )
    report = evaluate_gate(args.config, org_env(target))
    print(format_gate(report), file=sys.stderr, flush=True)
    if report.ok:
        return report
    reasons = "\n".join(f"  {n}. {reason}" for n, reason in enumerate(report.refusals, 1))
    if args.force:
        _warn(f"--force: applying despite {len(report.refusals)} refusal(s):\n{reasons}")
        return report
    raise RefusedError(f"refusing to apply ({len(report.refusals)} reason(s)):\n{reasons}")


def _warn(text: str) -> None:
    bar = "!" * 72
    print(f"{bar}\negress-guard: WARNING: {text}\n{bar}", file=sys.stderr, flush=True)


def confirm(question: str, stdin: TextIO | None = None, stream: TextIO | None = None) -> bool:
    """Terraform's own prompt: only the exact word 'yes' approves."""
    source, out = stdin or sys.stdin, stream or sys.stderr
    print(f"\n{question}\n  Only '{CONFIRM}' will be accepted to approve.\n", file=out)
    print("  Enter a value: ", end="", file=out, flush=True)
    answer = source.readline()
    return answer.strip() == CONFIRM


def run_apply(args: argparse.Namespace, target: Target, runner: TerraformRunner) -> TfResult:
    report = gate(args, target)
    ensure_initialised(runner)
    if args.plan_file is not None:
        plan_file = args.plan_file.resolve()
        result = runner.apply(plan_file)
        _after(args, target, runner, result, plan_file, report)
        return result
    with tempfile.TemporaryDirectory(prefix="egress-guard-apply-") as tmp:
        plan_file = Path(tmp) / "apply.tfplan"
        planned = runner.plan(plan_file, detailed_exitcode=True)
        if not planned.ok:
            return planned
        if not planned.changes:
            print("egress-guard: no changes: nothing to apply", file=sys.stderr)
            return TfResult(("apply",), EXIT_OK, "", "")
        if not args.auto_approve:
            if not sys.stdin.isatty():
                raise EgressGuardError(
                    "apply needs confirmation: not a terminal, so pass --auto-approve (or apply "
                    "a saved plan: plan -out FILE, then apply FILE)"
                )
            where = target.org_url or "the org"
            if not confirm(f"Do you want to apply the plan above to {where}?"):
                raise RefusedError("apply cancelled: the answer was not 'yes'")
        result = runner.apply(plan_file)
        _after(args, target, runner, result, plan_file, report)
        return result


def _after(
    args: argparse.Namespace,
    target: Target,
    runner: TerraformRunner,
    result: TfResult,
    plan_file: Path,
    report: GateReport | None,
) -> None:
    """After a failed apply: name the objects that already exist, with their import commands."""
    if result.ok or adopt.ALREADY_EXISTS not in (result.stderr + result.stdout):
        return
    if report is None or report.generation is None:
        return
    env = org_env(target)
    state = report.generation.state
    try:
        creates = adopt.planned_creates(runner.show_json(plan_file))
        in_state = set(runner.state_list())
        creates = [c for c in creates if c.address not in in_state]
        with OktaClient.from_env(env) as client:
            found = adopt.find_existing(
                client, creates, state.name_prefix, state.session_policy.name
            )
    except (EgressGuardError, OSError) as error:
        print(f"egress-guard: could not look up existing objects: {error}", file=sys.stderr)
        return
    if not found:
        return
    base = ["egress-guard", "terraform"]
    if target.mode == "sandbox":
        base.append("--sandbox")
    base += ["--config", str(args.config)]
    lines = [
        f"egress-guard: {len(found)} object(s) this apply creates already exist in the org "
        "(an earlier apply was interrupted before Terraform saved its state); adopt them into "
        "the state, then apply again:"
    ]
    lines += [f"  # {a.what}" + "\n  " + cmd for a, cmd in zip(
        found, adopt.import_commands(base, found), strict=True
    )]  # fmt: skip
    lines.append(f"  {shlex.join([*base, 'apply'])}")
    print("\n".join(lines), file=sys.stderr)
