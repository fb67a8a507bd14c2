"""`egress-guard github reviewed-checksum`: the checksum the merged PR's plan job recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from github_fake import TOKEN, FakeGitHub, fake_github_in_env
from paths import DATA
from pytest_httpserver import HTTPServer

from generator.cli import main

MERGE = "a" * 40
HEAD = "b" * 40
REVIEWED = "sha256:" + "1" * 64
NEWER = "sha256:" + "2" * 64


@pytest.fixture
def github(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    return fake_github_in_env(httpserver, monkeypatch)


def test_reads_checksum_of_newest_successful_run(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_reviewed_plan(MERGE, HEAD, REVIEWED)
    run_id = github.add_reviewed_plan(MERGE, HEAD, NEWER)  # re-run after a push to the base
    for index in range(4):  # failed runs on the same head are not reviews
        github.runs.append(
            {"id": 10 + index, "path": ".github/workflows/pr.yml", "head_sha": HEAD,
             "event": "pull_request", "conclusion": "failure", "created_at": "2026-11-22T11:00:00Z"}
        )  # fmt: skip
    out_file = tmp_path / "reviewed.txt"
    assert main(["github", "reviewed-checksum", "--commit", MERGE, "--output", str(out_file)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == NEWER and out_file.read_text() == NEWER + "\n"
    assert f"runs/{run_id}" in err and TOKEN not in out + err
    # The artifact came from blob storage on another host, without the token (else 400).
    assert any(path.startswith("/blob/") for _, path in github.calls)


def test_direct_push_has_no_reviewed_plan(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["github", "reviewed-checksum", "--commit", MERGE]) == 1
    assert "not the merge of a pull request" in capsys.readouterr().err


def test_expired_artifact_refuses(github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    run_id = github.add_reviewed_plan(MERGE, HEAD, REVIEWED)
    github.artifacts[run_id][0]["expired"] = True
    assert main(["github", "reviewed-checksum", "--commit", MERGE]) == 1
    assert "expired" in capsys.readouterr().err


def test_pr_without_successful_plan_run_refuses(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_reviewed_plan(MERGE, HEAD, REVIEWED)
    for run in github.runs:
        run["conclusion"] = "failure"
    assert main(["github", "reviewed-checksum", "--commit", MERGE]) == 1
    assert "no successful pr.yml run" in capsys.readouterr().err


def test_pr_checksum_artifact_round_trip_guards_apply(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pr.yml writes the checksum file, apply.yml fetches it and compares with its re-plan."""
    plan = DATA / "plan_ip_refresh.json"
    recorded = tmp_path / "checksum" / "plan-checksum.txt"
    assert main(["report", "plan-checksum", "--plan", str(plan), "--output", str(recorded)]) == 0
    github.add_reviewed_plan(MERGE, HEAD, recorded.read_text().strip())

    reviewed = tmp_path / "reviewed.txt"
    assert main(["github", "reviewed-checksum", "--commit", MERGE, "--output", str(reviewed)]) == 0
    assert main(["report", "plan-checksum", "--plan", str(plan), "--expect", str(reviewed)]) == 0

    replanned = json.loads(plan.read_text())
    replanned["resource_changes"][0]["change"]["after"]["gateways"].append("192.0.2.0/24")
    drifted = tmp_path / "replanned.json"
    drifted.write_text(json.dumps(replanned))
    capsys.readouterr()
    assert main(["report", "plan-checksum", "--plan", str(drifted), "--expect", str(reviewed)]) == 1
    assert "differs from the reviewed one" in capsys.readouterr().err
