"""The MFA coverage section in every drift format: counts and users, every name escaped, at
most `names_limit` names outside JSON (a GitHub issue, code scanning, a CI log), all in JSON,
and the JSON report read back unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

from markdown_it import MarkdownIt
from report_samples import HOSTILE_ACTOR, HOSTILE_NAME, REPORT

from generator.drift.findings import DriftReport, sort_findings
from generator.mfa.coverage import CoveredUser, FactorRemoval, MfaCoverage, coverage_findings
from generator.report import drift_json
from generator.report.drift_render import load_report, render_report, validate_json_report

MD = MarkdownIt("commonmark").enable("table")
REPORT_DIR = Path("terraform/generated")
LIMIT = 10


def coverage(without: int = 30, weak: int = 20, limit: int = LIMIT) -> MfaCoverage:
    users = tuple(
        CoveredUser(f"00u{n}", f"user{n:03d}@example.com", "ACTIVE") for n in range(without)
    )
    hostile = CoveredUser("00uEVIL", HOSTILE_NAME, "ACTIVE")
    return MfaCoverage(
        checked=500,
        counts={"none": without + 1, "weak": weak, "possession": 400, "phishing_resistant": 49},
        without_mfa=(hostile, *users),
        weak_only=tuple(
            CoveredUser(f"00w{n}", f"weak{n:03d}@example.com", "ACTIVE", ("sms",))
            for n in range(weak)
        ),
        last_removed=(
            FactorRemoval(
                hostile, "2026-11-20T10:00:00.000Z", HOSTILE_ACTOR, "user.mfa.factor.reset_all"
            ),
        ),
        complete=True,
        statuses=("ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY"),
        names_limit=limit,
        requests=503,
        log_days=7,
        authenticators_read=True,
    )


def report_with(cov: MfaCoverage) -> DriftReport:
    return DriftReport(
        org_url=REPORT.org_url,
        config_path=REPORT.config_path,
        generated_at=REPORT.generated_at,
        findings=sort_findings(list(REPORT.findings) + coverage_findings(cov)),
        generated_dir=REPORT.generated_dir,
        mfa_coverage=cov,
    )


def named(text: str) -> set[str]:
    return set(re.findall(r"(?:user|weak)\d{3}@example\.com", text))


def test_markdown_shows_at_most_the_limit_and_nothing_hostile_renders() -> None:
    cov = coverage()
    text = render_report(report_with(cov), "markdown", REPORT_DIR)
    assert "### MFA coverage" in text and "| no MFA factor | 31 |" in text
    assert len(named(text)) == LIMIT - 1  # the hostile user (removed) takes one of the ten
    assert "+21 more" in text and "+20 more" in text  # no-factor list, weak list (none shown)
    tokens = MD.parse(text)
    kinds = {child.type for token in tokens for child in token.children or []}
    assert not kinds & {"html_inline", "link_open", "image"}, kinds
    ours = {"<details><summary>Recent System Log events</summary>\n", "</details>\n"}
    assert {t.content for t in tokens if t.type == "html_block"} <= ours  # the events' only
    texts = [c.content for t in tokens for c in t.children or [] if c.type == "text"]
    assert not any("@acme/security-team" in t for t in texts)  # code spans only: no mention
    assert "\x1b" not in text and "\u202e" not in text


def test_text_and_sarif_cap_the_names_json_lists_them_all() -> None:
    report = report_with(coverage())
    text = render_report(report, "text", REPORT_DIR)
    assert "MFA COVERAGE" in text and len(named(text)) == LIMIT - 1
    assert "\x1b" not in text
    sarif = json.loads(render_report(report, "sarif", REPORT_DIR))
    run = sarif["runs"][0]
    assert run["properties"]["mfaCoverage"]["withoutMfa"] == 31
    messages = {r["ruleId"]: r["message"]["text"] for r in run["results"] if "user" in r["ruleId"]}
    assert all(len(named(m)) <= LIMIT for m in messages.values())
    document = json.loads(render_report(report, "json", REPORT_DIR))
    assert len(document["mfa_coverage"]["without_mfa"]) == 31
    assert len(document["mfa_coverage"]["weak_only"]) == 20


def test_a_zero_limit_shows_no_name() -> None:
    report = report_with(coverage(limit=0))
    for fmt in ("markdown", "text", "sarif"):
        rendered = render_report(report, fmt, REPORT_DIR)
        assert not named(rendered) and "user000" not in rendered, fmt


def test_json_round_trip(tmp_path: Path) -> None:
    report = report_with(coverage())
    text = render_report(report, "json", REPORT_DIR)
    validate_json_report(text)
    path = tmp_path / "drift.json"
    path.write_text(text)
    loaded = load_report(path)
    assert loaded.mfa_coverage == report.mfa_coverage
    assert drift_json.render(loaded) == text
    # A report without coverage has no such key (older readers keep working).
    assert "mfa_coverage" not in json.loads(render_report(REPORT, "json", REPORT_DIR))
