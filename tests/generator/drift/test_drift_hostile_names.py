"""A rogue admin names objects in the live org to inject Markdown/HTML into what the team reads:
the drift report (Markdown, SARIF, text) and the drift issue show the names as text, never as
HTML, images, links, mentions or extra table cells (generator.report.markdown_safe)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from drift_support import Admin, config_fixture, desired_fixture, synced_sandbox, use_org
from github_fake import FakeGitHub, fake_github_in_env
from markdown_it import MarkdownIt
from pytest_httpserver import HTTPServer

from generator.cli import main
from generator.drift.desired import Desired
from okta_sandbox import Sandbox

config = config_fixture("hostile")
desired = desired_fixture()
POLICY = "</details><img src=x> @acme/sec"  # Okta policy and rule names: at most 255 characters
RULE = "[sign in](https://evil.example) | x"
MD = MarkdownIt("commonmark").enable("table")
OUR_HTML = {"<details><summary>Recent System Log events</summary>", "</details>"}


@pytest.fixture
def org(desired: Desired, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with synced_sandbox(desired) as sandbox:
        use_org(monkeypatch, sandbox)
        admin = Admin(sandbox)
        people = {"people": {"groups": {"include": [admin.group_id("Okta Administrators")]}}}
        admin.add_open_policy(POLICY, people, RULE)
        yield sandbox


def _structure(markdown: str) -> tuple[set[str], set[str]]:
    """HTML fragments and inline token types of the rendered Markdown."""
    tokens = MD.parse(markdown)
    html = {t.content.strip() for t in tokens if t.type == "html_block"}
    kinds: set[str] = set()
    for token in tokens:
        for child in token.children or []:
            kinds.add(child.type)
            if child.type == "html_inline":
                html.add(child.content)
    return html, kinds


def test_hostile_names_reach_the_drift_issue_as_text(
    org: Sandbox,
    config: Path,
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report_json, report_md = tmp_path / "drift.json", tmp_path / "drift.md"
    base = ["drift", "--config", str(config), "--no-events"]
    assert main([*base, "--format", "json", "--output", str(report_json)]) == 2
    assert main([*base, "--format", "markdown", "--output", str(report_md)]) == 2
    names = {f["name"] for f in json.loads(report_json.read_text())["findings"]}
    assert POLICY in names  # the data keeps the name as it is

    markdown = report_md.read_text()
    html, kinds = _structure(markdown)
    assert html <= OUR_HTML and not kinds & {"link_open", "image", "html_inline"}
    assert "\\</details>\\<img src=x> @&#8203;acme/sec" in markdown
    assert "\\[sign in\\](https&#8203;://evil.example) \\| x" in markdown

    assert main([*base, "--format", "sarif"]) == 2
    sarif = json.loads(capsys.readouterr().out)
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert any("\\[sign in\\](https://evil.example)" in text for text in texts)
    assert not any("[sign in](" in text for text in texts)

    github: FakeGitHub = fake_github_in_env(httpserver, monkeypatch)
    args = ["github", "drift-issue", "--exit-code", "2", "--report-json", str(report_json)]
    assert main([*args, "--report-markdown", str(report_md)]) == 0
    (issue,) = github.issues.values()
    html, kinds = _structure(issue["body"])
    assert html - {h for h in html if h.startswith("<!-- egress-guard:drift ")} <= OUR_HTML
    assert not kinds & {"link_open", "image", "html_inline"}
