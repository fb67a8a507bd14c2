"""Drift issue lifecycle: one issue per episode, commented on change, closed when clean,
reopened when drift returns, untouched when the drift check itself failed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from github_fake import FakeGitHub, fake_github_in_env
from pytest_httpserver import HTTPServer

from generator.cli import main


@pytest.fixture
def github(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    fake = fake_github_in_env(httpserver, monkeypatch)
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.test")
    monkeypatch.setenv("GITHUB_RUN_ID", "4242")
    return fake


def report(
    findings: list[dict[str, Any]], generated_at: str = "2026-11-22T06:00:00Z"
) -> dict[str, Any]:
    return {"generated_at": generated_at, "in_sync": not findings, "findings": findings}


CIDR_REMOVED = {"class": "changed", "object": "egress-guard-corporate-01", "attribute": "gateways"}
RULE_ADDED = {"class": "unmanaged", "object": "Allow anywhere", "severity": "high"}


def run(tmp_path: Path, exit_code: int, data: dict[str, Any] | None = None) -> int:
    args = ["github", "drift-issue", "--exit-code", str(exit_code)]
    if data is not None:
        (tmp_path / "drift.json").write_text(json.dumps(data), encoding="utf-8")
        names = ", ".join(f["object"] for f in data["findings"])
        (tmp_path / "drift.md").write_text(f"## Drift\n\n{names}\n", encoding="utf-8")
        args += ["--report-json", str(tmp_path / "drift.json")]
        args += ["--report-markdown", str(tmp_path / "drift.md")]
    return main(args)


def drift_issues(github: FakeGitHub) -> list[dict[str, Any]]:
    return [i for i in github.issues.values() if "egress-guard:drift" in i["body"]]


def test_drift_episode_lifecycle(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_issue("Unrelated bug", "no marker", labels=[])

    # Drift found: a new issue with the report, labelled.
    assert run(tmp_path, 2, report([CIDR_REMOVED])) == 0
    (issue,) = drift_issues(github)
    assert issue["state"] == "open" and "egress-guard-corporate-01" in issue["body"]
    assert issue["labels"] == [{"name": "egress-guard-drift"}]
    assert "https://github.test/acme/okta-policy/actions/runs/4242" in issue["body"]
    assert github.comments_on(issue["number"]) == []

    # Same drift on the next schedule (only the timestamp moved): nothing new.
    assert run(tmp_path, 2, report([CIDR_REMOVED], generated_at="2026-11-23T06:00:00Z")) == 0
    assert github.comments_on(issue["number"]) == []

    # The drift grew: one comment with the new report, body updated.
    assert run(tmp_path, 2, report([CIDR_REMOVED, RULE_ADDED])) == 0
    (changed,) = github.comments_on(issue["number"])
    assert "report changed" in changed["body"] and "Allow anywhere" in changed["body"]
    assert "Allow anywhere" in issue["body"]

    # A failed check (exit 1) proves nothing: the issue stays open and silent.
    assert run(tmp_path, 1) == 0
    assert issue["state"] == "open" and len(github.comments_on(issue["number"])) == 1

    # Back in sync: a closing comment and the issue closed.
    assert run(tmp_path, 0) == 0
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    assert "back in sync" in github.comments_on(issue["number"])[-1]["body"]
    assert run(tmp_path, 0) == 0  # still clean: nothing to do
    assert len(github.comments_on(issue["number"])) == 2

    # New drift: the same issue reopens with the report; no second issue.
    assert run(tmp_path, 2, report([RULE_ADDED])) == 0
    assert [i["number"] for i in drift_issues(github)] == [issue["number"]]
    assert issue["state"] == "open"
    assert "Drift detected again" in github.comments_on(issue["number"])[-1]["body"]
    assert "egress-guard-corporate-01" not in issue["body"]


def test_existing_label_is_reused(github: FakeGitHub, tmp_path: Path) -> None:
    github.labels["egress-guard-drift"] = {"name": "egress-guard-drift", "color": "000000"}
    assert run(tmp_path, 2, report([CIDR_REMOVED])) == 0
    assert github.labels["egress-guard-drift"]["color"] == "000000"
    assert ("POST", "/repos/acme/okta-policy/labels") not in github.calls


def test_clean_without_issue_does_nothing(github: FakeGitHub, tmp_path: Path) -> None:
    assert run(tmp_path, 0) == 0
    assert github.issues == {}
    assert all(method == "GET" for method, _ in github.calls)


def test_drift_without_report_is_input_error(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["github", "drift-issue", "--exit-code", "2"]) == 2
    assert "--report-json" in capsys.readouterr().err
    assert github.issues == {}


def test_unknown_exit_code_is_input_error(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["github", "drift-issue", "--exit-code", "3"]) == 2
    assert "0, 1 or 2" in capsys.readouterr().err


def test_tracked_issue_for_refused_ip_refresh(github: FakeGitHub, tmp_path: Path) -> None:
    body = tmp_path / "refused.md"
    body.write_text("Refused: corporate would lose 60% of its entries\n", encoding="utf-8")
    args = ["github", "issue", "--key", "ip-refresh", "--title", "IP refresh refused"]
    assert main([*args, "--body-file", str(body)]) == 0
    assert main([*args, "--body-file", str(body)]) == 0  # same refusal: no duplicate, no comment
    (issue,) = github.issues.values()
    assert issue["title"] == "IP refresh refused" and github.comments_on(issue["number"]) == []
    assert main([*args, "--resolve"]) == 0
    assert issue["state"] == "closed"


def test_sliding_log_window_does_not_comment(github: FakeGitHub, tmp_path: Path) -> None:
    event = {"published": "2026-11-20T10:00:00Z", "actor": "mallory@example.com"}
    assert run(tmp_path, 2, report([{**CIDR_REMOVED, "events": [event]}])) == 0
    (issue,) = drift_issues(github)
    # A day later the event left the 7-day window and the tool was upgraded: same drift.
    later = report([{**CIDR_REMOVED, "events": []}], generated_at="2026-11-28T06:00:00Z")
    later["tool"] = {"name": "egress-guard", "version": "9.9.9"}
    assert run(tmp_path, 2, later) == 0
    assert github.comments_on(issue["number"]) == []


def test_step_summary_gets_the_report(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    data = report([RULE_ADDED])
    (tmp_path / "drift.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "drift.md").write_text("## Drift\n\nAllow anywhere\n", encoding="utf-8")
    args = ["github", "drift-issue", "--exit-code", "2", "--step-summary"]
    args += ["--report-json", str(tmp_path / "drift.json")]
    args += ["--report-markdown", str(tmp_path / "drift.md")]
    assert main(args) == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Drift") and "drift issue opened" in text


def test_plain_text_body_is_fenced(github: FakeGitHub, tmp_path: Path) -> None:
    body = tmp_path / "generate.txt"
    body.write_text("egress-guard: error: refusing to shrink\n  corporate: -60%\n")
    args = ["github", "issue", "--key", "ip-refresh", "--title", "blocked", "--text"]
    assert main([*args, "--body-file", str(body)]) == 0
    (issue,) = github.issues.values()
    assert (
        "```text\negress-guard: error: refusing to shrink\n  corporate: -60%\n```"
        in (issue["body"])
    )
    assert "actions/runs/4242" in issue["body"]
