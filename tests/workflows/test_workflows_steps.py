"""The workflows' shell steps, run with bash as GitHub runs them (`bash -eo pipefail`) against a
stand-in `egress-guard` whose exit codes the test chooses: drift and error stay apart, the org
is read once, and the PR summary survives a failed preflight so the comment can be posted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from paths import REPO

WORKFLOWS = REPO / ".github" / "workflows"
BASH = shutil.which("bash")

# Exits with the code FAKE_SPEC gives for its sub-command ("drift", "report drift", ...) and
# writes `--output` when the spec says so: what the real command does on that outcome.
STAND_IN = """#!{python}
import json, os, pathlib, sys
args = sys.argv[1:]
with open(os.environ["FAKE_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\\n")
key = " ".join(args[:2]) if args[0] in ("report", "github") else args[0]
spec = json.loads(os.environ["FAKE_SPEC"]).get(key, {{"exit": 0, "write": True}})
if spec["write"] and "--output" in args:
    out = pathlib.Path(args[args.index("--output") + 1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(key + " output\\n", encoding="utf-8")
sys.exit(spec["exit"])
"""


def step(workflow: str, fragment: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
    found = [
        s for job in data["jobs"].values() for s in job["steps"] if fragment in s.get("name", "")
    ]
    assert len(found) == 1, fragment
    result: dict[str, Any] = found[0]
    return result


@pytest.fixture
def runner(tmp_path: Path) -> Path:
    tool = tmp_path / "bin" / "egress-guard"  # on PATH, as `pip install` puts it
    (tmp_path / "work").mkdir()
    tool.parent.mkdir(parents=True)
    tool.write_text(STAND_IN.format(python=sys.executable), encoding="utf-8")
    tool.chmod(0o755)
    (tmp_path / "temp").mkdir()
    return tmp_path


def run_step(
    runner: Path, workflow: str, fragment: str, spec: dict[str, Any], **env: str
) -> tuple[int, dict[str, str], list[list[str]]]:
    """Exit code, $GITHUB_OUTPUT values and the egress-guard calls of one step."""
    assert BASH is not None
    outputs, log = runner / "github_output", runner / "calls.jsonl"
    outputs.write_text("", encoding="utf-8")
    log.write_text("", encoding="utf-8")
    environment = {
        "PATH": f"{runner / 'bin'}:/usr/bin:/bin",
        "RUNNER_TEMP": str(runner / "temp"),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(runner / "step_summary.md"),
        "EGRESS_GUARD_CONFIG": "egress-policy.yaml",
        "FAKE_LOG": str(log),
        "FAKE_SPEC": json.dumps(spec),
        **env,
    }
    script = step(workflow, fragment)["run"]
    done = subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=runner / "work",
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if line)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    return done.returncode, values, calls


DRIFT_STEP = "egress-guard drift ("


@pytest.mark.parametrize(
    ("drift_exit", "render_exit", "result", "code", "rendered"),
    [
        (0, 0, "in-sync", "0", False),
        (2, 0, "drift", "2", True),
        (2, 1, "error", "1", True),  # drift found but the issue body could not be rendered
        (1, 0, "error", "1", False),  # a failed read proves neither drift nor sync
    ],
)
def test_drift_reads_the_org_once_and_keeps_drift_and_error_apart(
    runner: Path, drift_exit: int, render_exit: int, result: str, code: str, rendered: bool
) -> None:
    spec = {
        "drift": {"exit": drift_exit, "write": drift_exit != 1},
        "report drift": {"exit": render_exit, "write": render_exit == 0},
    }
    exit_code, outputs, calls = run_step(runner, "drift.yml", DRIFT_STEP, spec)
    assert exit_code == 0  # the named result steps fail the job, not this one
    assert outputs == {"exit-code": code, "result": result}
    reads = [c for c in calls if c[0] == "drift"]
    assert len(reads) == 1 and reads[0][reads[0].index("--format") + 1] == "json"
    renders = [c for c in calls if c[:2] == ["report", "drift"]]
    assert bool(renders) is rendered
    if rendered:
        [render] = renders
        assert render[render.index("--report") + 1].endswith("/drift.json")
        assert render[render.index("--format") + 1] == "markdown"


WATCH_STEP = "egress-guard watch ("


@pytest.mark.parametrize(
    ("watch_exit", "render_exit", "result", "code", "rendered"),
    [
        (0, 0, "quiet", "0", False),
        (2, 0, "alerts", "2", True),
        (2, 1, "error", "1", True),  # alerts found but the issue body could not be rendered
        (1, 0, "error", "1", False),  # a partial read is an error, never "quiet"
    ],
)
def test_watch_reads_the_log_once_and_keeps_alerts_and_error_apart(
    runner: Path, watch_exit: int, render_exit: int, result: str, code: str, rendered: bool
) -> None:
    spec = {
        "watch": {"exit": watch_exit, "write": True},
        "report watch": {"exit": render_exit, "write": render_exit == 0},
    }
    exit_code, outputs, calls = run_step(
        runner, "watch.yml", WATCH_STEP, spec, WATCH_STATE=".egress-guard/watch-state.json"
    )
    assert exit_code == 0  # the named result steps fail the job, not this one
    assert outputs == {"exit-code": code, "result": result}
    [read] = [c for c in calls if c[0] == "watch"]
    assert read[read.index("--state") + 1] == ".egress-guard/watch-state.json"
    renders = [c for c in calls if c[:2] == ["report", "watch"]]
    assert bool(renders) is rendered


SUMMARY_STEP = "Summarise the plan"


def test_pr_summary_survives_a_failed_preflight(runner: Path) -> None:
    spec = {"report plan": {"exit": 1, "write": True}}
    exit_code, outputs, calls = run_step(
        runner, "pr.yml", SUMMARY_STEP, spec, GENERATE_EXIT_CODE="0"
    )
    assert exit_code == 0 and outputs == {"exit-code": "1"}
    assert [c[:2] for c in calls] == [["report", "plan"]] * 2 + [["report", "plan-checksum"]]
    assert (runner / "temp" / "summary.md").read_text() == "report plan output\n"


def test_pr_summary_notes_a_failed_generate_check(runner: Path) -> None:
    spec = {"report plan": {"exit": 0, "write": True}}
    exit_code, outputs, _ = run_step(runner, "pr.yml", SUMMARY_STEP, spec, GENERATE_EXIT_CODE="1")
    assert exit_code == 0 and outputs == {"exit-code": "0"}
    summary = (runner / "temp" / "summary.md").read_text()
    assert "**generate --check failed**" in summary and "Do not merge" in summary


def test_pr_summary_error_without_output_fails_the_step(runner: Path) -> None:
    spec = {"report plan": {"exit": 2, "write": False}}
    exit_code, outputs, calls = run_step(
        runner, "pr.yml", SUMMARY_STEP, spec, GENERATE_EXIT_CODE="0"
    )
    assert exit_code == 2 and outputs == {}
    assert len(calls) == 1  # nothing else ran; the stale-marking step takes over


@pytest.mark.parametrize(
    ("generate_exit", "step_exit", "recorded"), [(0, 0, "0"), (1, 0, "1"), (2, 2, "2")]
)
def test_pr_generate_check_failure_is_deferred_but_invalid_input_stops(
    runner: Path, generate_exit: int, step_exit: int, recorded: str
) -> None:
    spec = {"generate": {"exit": generate_exit, "write": False}}
    exit_code, outputs, calls = run_step(runner, "pr.yml", "Generated Terraform", spec)
    assert exit_code == step_exit and outputs == {"exit-code": recorded}
    [call] = calls
    assert call[0] == "generate" and "--check" in call
