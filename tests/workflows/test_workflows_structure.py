"""What the workflows promise: least privilege, concurrency, the reviewed-plan guard, the drift
and refresh lifecycles, and every `run:` command being one the project provides."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml
from paths import REPO

from generator.cli import build_parser
from generator.github.reviewed import DEFAULT_ARTIFACT, DEFAULT_FILENAME, DEFAULT_WORKFLOW
from generator.okta.scopes import OPTIONAL_SCOPES

WORKFLOWS = REPO / ".github" / "workflows"
NAMES = ("pr.yml", "apply.yml", "drift.yml", "ip-refresh.yml", "watch.yml")
EG = "egress-guard"
EXTERNAL = {"python", EG}
BUILTINS = {"echo", "exit", "set", "[", "test", "true"}
KEYWORDS = {"if", "then", "else", "elif", "fi", "!"}
# Third-party actions pinned by full commit SHA (a tag can be moved to other code), the release
# in a comment. SHAs of the releases as pinned in several public repositories' workflows (GitHub
# itself is out of reach here; see docs/gitops.md).
PINNED_ACTIONS = {
    "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683": "v4.2.2",
    "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065": "v5.6.0",
    "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02": "v4.6.2",
    "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093": "v4.3.0",
    "actions/cache/restore@5a3ec84eff668545956fd18022155c47e93e2684": "v4.2.3",
    "actions/cache/save@5a3ec84eff668545956fd18022155c47e93e2684": "v4.2.3",
}
ALLOWED_ACTIONS = set(PINNED_ACTIONS)
UPLOAD = next(a for a in PINNED_ACTIONS if a.startswith("actions/upload-artifact@"))
# The steps that talk to Okta, and so the only ones given its secrets.
OKTA_STEPS = {
    "pr.yml": {"terraform plan"},
    "apply.yml": {
        "terraform plan",
        "terraform apply (the saved plan; Terraform refuses it if the state moved since)",
    },
    "drift.yml": {"egress-guard drift (0 in sync, 2 drift, 1 error)"},
    "ip-refresh.yml": set(),
    "watch.yml": {"egress-guard watch (0 nothing found, 2 alerts, 1 error)"},
}
# What Terraform plan reads (zones, policies, and the app/group/user data sources).
PLAN_SCOPES = {
    "okta.networkZones.read",
    "okta.policies.read",
    "okta.apps.read",
    "okta.groups.read",
    "okta.users.read",
}
# drift also reads the System Log and Okta's own controls (API tokens, their owners' roles,
# ThreatInsight); read scopes only
DRIFT_SCOPES = PLAN_SCOPES | {
    "okta.logs.read",
    "okta.apiTokens.read",
    "okta.roles.read",
    "okta.threatInsights.read",
}


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on: dict[str, Any] = workflow[True]  # YAML 1.1 reads the key `on` as True
    return on


ON_CONFIG = 'terraform --config "$EGRESS_GUARD_CONFIG" '


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    """The steps of every job; `terraform --config "$EGRESS_GUARD_CONFIG" ACTION` reads as
    `terraform ACTION` (test_terraform_runs_on_the_configs_root_module checks the option)."""
    found = [dict(step) for job in workflow["jobs"].values() for step in job["steps"]]
    for step in found:
        if "run" in step:
            step["run"] = step["run"].replace(ON_CONFIG, "terraform ")
    return found


def step_named(workflow: dict[Any, Any], fragment: str) -> dict[str, Any]:
    return next(s for s in steps(workflow) if fragment in s.get("name", ""))


SEPARATORS = {";", "&&", "||", "|", "&"}
REDIRECTIONS = {">", ">>", "<", ">&", "&>", "<&"}
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def commands(script: str) -> list[list[str]]:
    """Simple commands of a run script (quotes respected, redirections dropped)."""
    found: list[list[str]] = []
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        words: list[str] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if token in REDIRECTIONS:
                index += 2
                continue
            if token.isdigit() and following in REDIRECTIONS:
                index += 1
                continue
            if token in SEPARATORS:
                found.append(words)
                words = []
            else:
                words.append(token)
            index += 1
        found.append(words)
    result = []
    for words in found:
        while words and (words[0] in KEYWORDS or ASSIGNMENT.match(words[0])):
            words = words[1:]
        if words:
            result.append(words)
    return result


def test_command_splitting() -> None:
    script = (
        'set +e\nif [ "$c" = 2 ]; then echo "a; b | c" >> "$OUT"; exit 0; fi\nx 2>&1 > f\nc=$? y'
    )
    assert commands(script) == [
        ["set", "+e"],
        ["[", "$c", "=", "2", "]"],
        ["echo", "a; b | c"],
        ["exit", "0"],
        ["x"],
        ["y"],
    ]


def all_commands() -> list[tuple[str, list[str]]]:
    return [
        (name, words)
        for name in NAMES
        for step in steps(load(name))
        if "run" in step
        for words in commands(step["run"])
    ]


def test_every_workflow_is_checked() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.y*ml")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_least_privilege(name: str) -> None:
    workflow = load(name)
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    # Only the apply job, behind the protected environment, asks for write scopes in Okta.
    assert text.count(".manage") == (2 if name == "apply.yml" else 0)
    assert isinstance(workflow["permissions"], dict), "explicit top-level permissions"
    assert "write-all" not in str(workflow)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
            if "uses" in step:
                assert step["uses"] in ALLOWED_ACTIONS


def test_run_steps_only_call_project_commands() -> None:
    used = {words[0] for _, words in all_commands()}
    assert used <= EXTERNAL | BUILTINS, used - EXTERNAL - BUILTINS


def test_egress_guard_invocations_match_the_cli() -> None:
    parser = build_parser()
    invocations = [words for _, words in all_commands() if words[0] == EG]
    assert len(invocations) >= 20
    for words in invocations:
        args = [re.sub(r"\$\{?[A-Z_]+\}?", "1", word) for word in words[1:]]
        try:
            parser.parse_args(args)
        except SystemExit as error:
            pytest.fail(f"{' '.join(words)}: egress-guard refuses these arguments ({error})")


def test_terraform_runs_on_the_configs_root_module() -> None:
    """Every Terraform step derives the root module from the policy's output.dir, so a
    workflow can never plan or apply another module than the one generate wrote."""
    for name in NAMES:
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert text.count("egress-guard terraform ") == text.count("egress-guard " + ON_CONFIG)


def test_workflows_install_the_package_not_the_checkout_tools() -> None:
    installs = [words for _, words in all_commands() if words[0] == "python"]
    assert installs and all(words[:4] == ["python", "-m", "pip", "install"] for words in installs)
    assert "make" not in {words[0] for _, words in all_commands()}


def test_pr_plans_comments_and_records_the_checksum() -> None:
    pr = load("pr.yml")
    assert "pull_request" in triggers(pr)
    assert pr["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert set(pr["env"]["OKTA_API_SCOPES"].split(",")) == PLAN_SCOPES
    assert "github.event.pull_request.number" in pr["concurrency"]["group"]
    assert pr["concurrency"]["cancel-in-progress"] is True
    script = "\n".join(s.get("run", "") for s in steps(pr))
    for needed in (
        "generate --config",
        "--check",
        "terraform fmt",
        "terraform validate",
        "terraform plan --out",
        "--json >",
        "report plan --plan",
        "GITHUB_STEP_SUMMARY",
        "github comment --pr",
        "report plan-checksum",
    ):
        assert needed in script, needed
    # Only ip-refresh.yml fetches live sources; the check uses the CIDRs the lock recorded.
    assert "--check --locked-sources" in step_named(pr, "Generated Terraform")["run"]
    stale = step_named(pr, "stale")
    assert stale["if"] == "failure()" and "github comment" in stale["run"]
    assert "--marker plan" in stale["run"]  # replaces the old summary, no second comment
    upload = next(s for s in steps(pr) if s.get("uses") == UPLOAD)
    # apply.yml finds the checksum by these names (generator.github.reviewed defaults).
    assert upload["with"]["name"] == DEFAULT_ARTIFACT
    assert upload["with"]["path"].endswith("/" + DEFAULT_FILENAME)
    assert DEFAULT_WORKFLOW == "pr.yml"
    # A stale check or failed preflight records no checksum (nothing reviewed to apply).
    assert upload["if"] == (
        "steps.generate.outputs.exit-code == '0' && steps.summary.outputs.exit-code == '0'"
    )


def test_pr_posts_the_comment_before_failing_on_the_preflight() -> None:
    names = [s.get("name", s.get("uses", "")) for s in steps(load("pr.yml"))]
    order = {fragment: next(i for i, n in enumerate(names) if fragment in n) for fragment in (
        "Generated Terraform", "Summarise", "Sticky PR comment", "stale", "Result: generated",
        "Result: lockout preflight",
    )}  # fmt: skip
    assert order["Generated Terraform"] < order["Summarise"] < order["Sticky PR comment"]
    # The result steps come last, after the stale-marking step, so that step (if: failure())
    # never replaces the comment that explains the failure.
    assert order["stale"] < order["Result: generated"] < order["Result: lockout preflight"]
    assert min(order["Result: generated"], order["Result: lockout preflight"]) >= len(names) - 2
    pr = load("pr.yml")
    assert step_named(pr, "Result: generated")["if"] == "steps.generate.outputs.exit-code == '1'"
    assert step_named(pr, "Result: lockout")["if"] == "steps.summary.outputs.exit-code == '1'"
    assert "exit 1" in step_named(pr, "Result: lockout")["run"]
    assert "report plan --plan" in step_named(pr, "Summarise")["run"]
    assert "--config" in step_named(pr, "Summarise")["run"]  # the preflight runs there


def test_apply_verifies_then_applies_the_saved_plan_in_a_protected_environment() -> None:
    apply = load("apply.yml")
    assert triggers(apply)["push"]["branches"] == ["main"]
    assert apply["concurrency"]["cancel-in-progress"] is False
    plan_job, apply_job = apply["jobs"]["plan"], apply["jobs"]["apply"]
    assert "environment" not in plan_job and apply_job["environment"] == "okta-production"
    assert plan_job["permissions"] == {
        "contents": "read",
        "actions": "read",
        "pull-requests": "read",
    }
    assert apply_job["needs"] == "plan" and "changes == 'true'" in apply_job["if"]
    scopes = set(plan_job["env"]["OKTA_API_SCOPES"].split(","))
    assert scopes == PLAN_SCOPES  # the verifying job cannot write to Okta, nor read the logs
    # Preflight gates before anything is applied: generate --check (stale output or a failed
    # lockout preflight exits 1) before the plan, and report plan --config on the plan.
    plan_steps = [s.get("run", "").replace(ON_CONFIG, "terraform ") for s in plan_job["steps"]]
    gate = next(i for i, run in enumerate(plan_steps) if "generate --config" in run)
    assert "--check" in plan_steps[gate] and "--force" not in str(apply)
    assert "--locked-sources" in plan_steps[gate]  # judged on the lock, never a live fetch
    assert gate < next(i for i, run in enumerate(plan_steps) if "terraform plan" in run)
    manage = {s for s in apply_job["env"]["OKTA_API_SCOPES"].split(",") if s.endswith(".manage")}
    assert manage == {"okta.networkZones.manage", "okta.policies.manage"}
    guard = step_named(apply, "differs from the reviewed")["run"]
    assert guard.index("reviewed-checksum") < guard.index("plan-checksum --plan")
    assert "report plan --plan" in guard and "--config" in guard
    assert "--expect" in guard
    applied = apply_job["steps"][-1]["run"].replace(ON_CONFIG, "terraform ")
    assert "terraform apply" in applied and "verified/plan.tfplan" in applied
    assert "--auto-approve" not in str(apply)


def test_drift_is_read_only_and_keeps_drift_and_error_apart() -> None:
    drift = load("drift.yml")
    assert {"schedule", "workflow_dispatch"} <= set(triggers(drift))
    assert drift["permissions"] == {"contents": "read", "issues": "write"}
    assert set(drift["env"]["OKTA_API_SCOPES"].split(",")) == DRIFT_SCOPES
    run = step_named(drift, "egress-guard drift")["run"]
    # One read of the org; the Markdown is rendered from the saved JSON report.
    reads = [w for w in commands(run) if w[:2] == [EG, "drift"]]
    assert len(reads) == 1 and "--format json" in " ".join(reads[0])
    assert "report drift --report" in run and "--format markdown" in run
    drift_step = step_named(drift, "Result: drift found")
    error_step = step_named(drift, "Result: drift check failed")
    assert "'drift'" in drift_step["if"] and "exit 2" in drift_step["run"]
    assert "'error'" in error_step["if"] and "exit 1" in error_step["run"]
    issue = step_named(drift, "Drift issue")
    assert "github drift-issue --exit-code" in issue["run"]
    # Only a conclusive run touches the issue: an error proves neither drift nor sync.
    assert issue["if"] == (
        "steps.drift.outputs.result == 'drift' || steps.drift.outputs.result == 'in-sync'"
    )


def test_ip_refresh_pr_on_success_issue_on_refusal() -> None:
    refresh = load("ip-refresh.yml")
    assert "schedule" in triggers(refresh)
    pr_step = step_named(refresh, "refresh pull request")
    issue_step = step_named(refresh, "as an issue")
    assert pr_step["if"] == "steps.generate.outputs.exit-code == '0'"
    assert issue_step["if"] == "steps.generate.outputs.exit-code != '0'"
    assert "github refresh-pr" in pr_step["run"] and "github issue" in issue_step["run"]
    generate = step_named(refresh, "generate")["run"]
    assert "--check" not in generate and "--force" not in generate
    assert "--locked-sources" not in generate  # the one workflow that fetches the sources


@pytest.mark.parametrize("name", NAMES)
def test_okta_secrets_reach_only_the_steps_that_call_okta(name: str) -> None:
    """Not job-level: `pip install` (third-party code) and `terraform init` (provider
    downloads) run without the Okta credentials in their environment."""
    workflow = load(name)
    assert "secrets.OKTA" not in str(workflow.get("env", {}))
    given: set[str] = set()
    for job in workflow["jobs"].values():
        assert "secrets.OKTA" not in str(job.get("env", {})), "job-level Okta secrets"
        for step in job["steps"]:
            if "secrets.OKTA" in str(step.get("env", {})):
                given.add(step["name"])
                assert set(step["env"]) >= {"OKTA_API_TOKEN", "OKTA_API_PRIVATE_KEY"}
            if "pip install" in step.get("run", "") or " init" in step.get("run", ""):
                assert "secrets." not in str(step.get("env", {}))
    assert given == OKTA_STEPS[name]


@pytest.mark.parametrize("name", NAMES)
def test_actions_are_pinned_by_commit_sha_with_the_release_in_a_comment(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}", action), action
        assert comment.strip() == f"# {PINNED_ACTIONS[action]}"


@pytest.mark.parametrize("name", NAMES)
def test_terraform_init_keeps_the_committed_lock_file(name: str) -> None:
    inits = [words for wf, words in all_commands() if wf == name and "init" in words]
    for words in inits:
        assert words[-2:] == ["--lockfile", "readonly"], words
    assert bool(inits) == (name in ("pr.yml", "apply.yml"))


def test_the_lock_file_is_not_ignored() -> None:
    """docs/terraform.md says to commit terraform/.terraform.lock.hcl: git must not ignore it."""
    for ignore in (REPO / ".gitignore", REPO / "generator/scaffold/templates/root/gitignore"):
        assert ".terraform.lock.hcl" not in [
            line.strip() for line in ignore.read_text().splitlines()
        ]


def test_watch_reads_the_log_only_and_keeps_its_state_between_runs() -> None:
    watch = load("watch.yml")
    assert {"schedule", "workflow_dispatch"} <= set(triggers(watch))
    assert watch["permissions"] == {"contents": "read", "issues": "write"}
    assert watch["concurrency"]["cancel-in-progress"] is False  # runs share the state
    run_step = step_named(watch, "egress-guard watch")
    # Read-only: the System Log scope, the admin roles' if the app is granted it (optional:
    # PRV-002's role-holding groups), and the Okta secrets only where the log is read.
    assert run_step["env"]["OKTA_API_SCOPES"].split() == ["okta.logs.read", "okta.roles.read"]
    assert set(run_step["env"]["OKTA_API_SCOPES"].split()) <= OPTIONAL_SCOPES
    text = (WORKFLOWS / "watch.yml").read_text(encoding="utf-8")
    assert text.count("secrets.OKTA_") == sum(
        "secrets.OKTA_" in str(v) for v in run_step["env"].values()
    )
    reads = [w for w in commands(run_step["run"]) if w[:2] == [EG, "watch"]]
    assert len(reads) == 1
    assert "--state" in reads[0] and reads[0][reads[0].index("--format") + 1] == "json"
    assert "report watch --report" in run_step["run"] and "--format markdown" in run_step["run"]
    restore = next(
        s for s in steps(watch) if s.get("uses", "").startswith("actions/cache/restore@")
    )
    save = next(s for s in steps(watch) if s.get("uses", "").startswith("actions/cache/save@"))
    names = [s.get("name", "") for s in steps(watch)]
    assert names.index(restore["name"]) < names.index(run_step["name"]) < names.index(save["name"])
    assert restore["with"]["path"] == save["with"]["path"] == ".egress-guard"
    assert watch["env"]["WATCH_STATE"].startswith(".egress-guard/")
    assert restore["with"]["restore-keys"] == "egress-guard-watch-"
    assert save["if"] == "${{ !cancelled() }}"  # progress is kept after an error too
    issue = step_named(watch, "Watch issue")
    assert "github watch-issue --exit-code" in issue["run"]
    assert issue["if"] == "steps.watch.outputs.result == 'alerts'"
    assert "GITHUB_TOKEN" in issue["env"] and "GITHUB_TOKEN" not in str(run_step)
    alerts = step_named(watch, "Result: alerts")
    error = step_named(watch, "Result: watch failed")
    assert "'alerts'" in alerts["if"] and "exit 2" in alerts["run"]
    assert "'error'" in error["if"] and "exit 1" in error["run"]
