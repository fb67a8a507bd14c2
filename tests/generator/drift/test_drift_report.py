"""Drift reports without a server: the JSON round trip behind `egress-guard report drift`,
its errors, and SARIF artifact URIs relative to the repository root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_samples import REPORT

from generator.cli import main
from generator.report import drift_json, drift_markdown, drift_sarif, drift_text
from generator.report.drift_sarif import artifact_prefix


def test_json_round_trip_keeps_everything_every_format_shows() -> None:
    text = drift_json.render(REPORT)
    assert drift_json.parse(json.loads(text)) == REPORT


def test_critical_posture_findings_come_first_in_every_format() -> None:
    assert [f.severity for f in REPORT.findings] == ["critical", "high"]
    text = drift_text.render(REPORT)
    assert text.index("CRITICAL (1)") < text.index("HIGH (1)")
    markdown = drift_markdown.render(REPORT)
    assert "| 🚨 critical | 1 |" in markdown
    assert markdown.index("### Critical (1)") < markdown.index("### High (1)")
    sarif = json.loads(drift_sarif.render(REPORT, Path("/nonexistent")))
    results = sarif["runs"][0]["results"]
    findings = [r for r in results if r["properties"]["class"] != "control"]
    assert [r["level"] for r in findings] == ["error", "error"]


def _report_drift(tmp_path: Path, *extra: str) -> int:
    return main(["report", "drift", "--report", str(tmp_path / "drift.json"), *extra])


@pytest.mark.parametrize("fmt", ["json", "markdown", "text", "sarif"])
def test_report_drift_renders_a_saved_report_like_drift_would(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "drift.json").write_text(drift_json.render(REPORT))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / f"out.{fmt}"
    assert _report_drift(tmp_path, "--format", fmt, "--output", str(out)) == 0
    renderers = {
        "json": drift_json.render,
        "markdown": drift_markdown.render,
        "text": drift_text.render,
        "sarif": lambda r: drift_sarif.render(r, tmp_path / "infra" / "generated"),
    }
    assert out.read_text() == renderers[fmt](REPORT)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not JSON"),
        ('{"schema_version": 1}', "not a drift report of this version"),
        (
            drift_json.render(REPORT).replace('"critical",', '"urgent",', 1),
            "at findings/0/severity",
        ),
    ],
)
def test_report_drift_refuses_invalid_reports_with_exit_1(
    tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "drift.json").write_text(content)
    assert _report_drift(tmp_path, "--output", str(tmp_path / "out.md")) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "drift.json") in err and message in err
    assert not (tmp_path / "out.md").exists()


def test_an_unwritable_output_is_exit_1_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "drift.json").write_text(drift_json.render(REPORT))
    (tmp_path / "blocker").write_text("a file where a directory should be")
    target = tmp_path / "blocker" / "drift.md"
    assert _report_drift(tmp_path, "--format", "markdown", "--output", str(target)) == 1
    err = capsys.readouterr().err
    assert f"egress-guard: error: {target}: cannot write the report: " in err
    assert "Traceback" not in err


def test_report_drift_usage_errors_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["report", "drift", "--report", "x.json", "--format", "yaml"])
    assert caught.value.code == 1


def test_sarif_uris_are_relative_to_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    generated = repo / "infra" / "generated"
    generated.mkdir(parents=True)
    (generated / "session_policy.tf").write_text(
        '# generated\n\nresource "okta_policy_rule_signon" "admins_deny_other" {\n}\n'
    )
    prefix = artifact_prefix(generated, repo / "infra")
    assert prefix == "infra/generated"
    monkeypatch.chdir(tmp_path)  # wherever the tool runs from
    sarif = json.loads(drift_sarif.render(REPORT, generated))
    location = sarif["runs"][0]["results"][1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "infra/generated/session_policy.tf"
    assert location["region"]["startLine"] == 3
    # Outside any git work tree: relative to the config's directory.
    plain = tmp_path / "plain"
    (plain / "generated").mkdir(parents=True)
    assert artifact_prefix(plain / "generated", plain) == "generated"
