"""Each workflow's lifecycle: the PR plans, comments and records the reviewed checksum; apply
verifies, then applies the saved plan in a protected environment; drift and watch are read-only
and keep their findings and errors apart; ip-refresh opens a PR or, on refusal, an issue."""

from __future__ import annotations

from workflow_support import (
    EG,
    ON_CONFIG,
    UPLOAD,
    WORKFLOWS,
    commands,
    load,
    step_named,
    steps,
    triggers,
)

from generator.github.reviewed import DEFAULT_ARTIFACT, DEFAULT_FILENAME, DEFAULT_WORKFLOW
from generator.okta.scopes import OPTIONAL_SCOPES

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
