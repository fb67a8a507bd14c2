"""The workflow linters (check-jsonschema + actionlint) pass on ours and catch broken ones."""

from __future__ import annotations

import subprocess
from pathlib import Path

from paths import REPO

ROOT = REPO
SCRIPT = ROOT / "scripts" / "lint-workflows.sh"


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *map(str, files)], capture_output=True, text=True, timeout=120, check=False
    )


def test_project_workflows_pass_both_linters() -> None:
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 workflow(s) clean" in result.stdout


def broken_copy(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    broken = tmp_path / "pr.yml"
    broken.write_text(text, encoding="utf-8")
    return broken


def test_schema_violation_fails(tmp_path: Path) -> None:
    result = lint(broken_copy(tmp_path, ("pull-requests: write", "pull-requests: publish")))
    assert result.returncode != 0
    assert "pr.yml" in result.stdout + result.stderr and "publish" in result.stdout


def test_actionlint_findings_fail(tmp_path: Path) -> None:
    broken = broken_copy(
        tmp_path,
        # An output of a step that does not exist.
        ("path: ${{ runner.temp }}/checksum", "path: ${{ steps.nope.outputs.dir }}/checksum"),
        # Untrusted input interpolated into a script.
        ('--pr "$PR_NUMBER"', '--pr "${{ github.event.pull_request.title }}"'),
    )
    result = lint(broken)
    assert result.returncode != 0
    assert 'property "nope" is not defined' in result.stdout
    assert "potentially untrusted" in result.stdout
    assert "2 finding(s)" in result.stderr


def test_zizmor_finds_an_unpinned_action_offline(tmp_path: Path) -> None:
    """The workflow-security linter runs with no network (--offline) and fails on a tag pin."""
    text = (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    pinned = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
    assert pinned in text
    broken = tmp_path / "pr.yml"
    broken.write_text(text.replace(pinned, "actions/checkout@v4"), encoding="utf-8")
    result = lint(broken)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout + result.stderr
