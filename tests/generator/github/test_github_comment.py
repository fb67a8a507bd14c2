"""`egress-guard github comment`: one sticky comment per PR, found again by its marker."""

from __future__ import annotations

from pathlib import Path

import pytest
from github_fake import TOKEN, FakeGitHub, fake_github_in_env
from pytest_httpserver import HTTPServer

from generator.cli import main
from generator.github.client import client_from_env


@pytest.fixture
def github(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    return fake_github_in_env(httpserver, monkeypatch)


def comment(tmp_path: Path, text: str, *extra: str, pr: int = 1) -> int:
    body = tmp_path / "body.md"
    body.write_text(text, encoding="utf-8")
    return main(["github", "comment", "--pr", str(pr), "--body-file", str(body), *extra])


def test_first_run_creates_then_updates_the_same_comment(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pr = github.add_issue("Add corporate range", pull_request={})
    for index in range(4):  # other people's comments fill the first pages
        github.add_comment(pr["number"], f"LGTM {index}", user="reviewer")

    assert comment(tmp_path, "Plan: 1 to add", pr=pr["number"]) == 0
    assert "comment created" in capsys.readouterr().out
    first = [c for c in github.comments_on(pr["number"]) if "Plan:" in c["body"]]
    assert len(first) == 1 and first[0]["body"].startswith("<!-- egress-guard:plan -->")

    assert comment(tmp_path, "Plan: 2 to add", pr=pr["number"]) == 0
    assert "comment updated" in capsys.readouterr().out
    mine = [c for c in github.comments_on(pr["number"]) if "egress-guard:plan" in c["body"]]
    assert [c["id"] for c in mine] == [first[0]["id"]]
    assert mine[0]["body"].endswith("Plan: 2 to add")
    assert len(github.comments_on(pr["number"])) == 5  # four reviews + ours, nothing deleted

    assert comment(tmp_path, "Plan: 2 to add", pr=pr["number"]) == 0
    assert "comment unchanged" in capsys.readouterr().out
    assert ("PATCH", f"/repos/acme/okta-policy/issues/comments/{first[0]['id']}") in github.calls


def test_markers_keep_two_sticky_comments_apart(github: FakeGitHub, tmp_path: Path) -> None:
    pr = github.add_issue("PR", pull_request={})
    assert pr["number"] == 1
    body = tmp_path / "b.md"
    body.write_text("x", encoding="utf-8")
    base = ["github", "comment", "--pr", "1", "--body-file", str(body)]
    assert main([*base, "--marker", "plan"]) == 0
    assert main([*base, "--marker", "preflight"]) == 0
    assert main([*base, "--marker", "plan"]) == 0
    bodies = sorted(c["body"].splitlines()[0] for c in github.comments_on(1))
    assert bodies == ["<!-- egress-guard:plan -->", "<!-- egress-guard:preflight -->"]


def test_oversized_body_is_truncated_below_github_limit(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_issue("PR", pull_request={})
    body = tmp_path / "b.md"
    body.write_text("row\n" * 40_000, encoding="utf-8")
    assert main(["github", "comment", "--pr", "1", "--body-file", str(body)]) == 0
    (stored,) = github.comments_on(1)
    assert len(stored["body"]) <= 65_536 and "truncated" in stored["body"]


def test_api_errors_exit_1_without_leaking_the_token(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_issue("PR", pull_request={})
    github.fail_with = 403
    assert comment(tmp_path, "x", "--marker", "plan") == 1
    out, err = capsys.readouterr()
    assert "HTTP 403" in err and "/issues/1/comments" in err
    assert TOKEN not in out + err


def test_wrong_token_is_reported_as_github_error(
    github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "not-the-token")
    assert comment(tmp_path, "x") == 1
    err = capsys.readouterr().err
    assert "HTTP 401" in err and "Bad credentials" in err and "not-the-token" not in err


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [("GITHUB_TOKEN", "", "GITHUB_TOKEN is not set"), ("GITHUB_REPOSITORY", "acme", "owner/name")],
)
def test_missing_environment_is_input_error(
    github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    message: str,
) -> None:
    monkeypatch.setenv(variable, value)
    assert comment(tmp_path, "x") == 2
    assert message in capsys.readouterr().err
    assert github.calls == []


def test_bad_marker_is_rejected_by_the_parser(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        comment(tmp_path, "x", "--marker", "two words")
    assert exited.value.code == 2


def test_a_quoted_marker_in_a_reply_is_not_ours(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_issue("PR", pull_request={})
    github.add_comment(1, "> <!-- egress-guard:plan -->\n> Plan: 1 to add\n\nWhy?", user="bob")
    assert comment(tmp_path, "Plan: 1 to add") == 0
    bodies = [c["body"] for c in github.comments_on(1)]
    assert bodies[0].endswith("Why?") and bodies[1].startswith("<!-- egress-guard:plan -->")


def test_token_is_not_in_reprs(github: FakeGitHub) -> None:
    client = client_from_env()
    assert TOKEN not in repr(client) and TOKEN not in repr(client.settings)


def test_inline_body_replaces_the_summary(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_issue("PR", pull_request={})
    assert comment(tmp_path, "Plan: 1 to add") == 0
    failed = "### egress-guard plan: failed for abc123"
    assert main(["github", "comment", "--pr", "1", "--marker", "plan", "--body", failed]) == 0
    (stored,) = github.comments_on(1)
    assert stored["body"].endswith(failed) and "Plan: 1 to add" not in stored["body"]


def test_a_marked_comment_by_someone_else_is_never_edited(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_issue("PR", pull_request={})
    forged = github.add_comment(1, "<!-- egress-guard:plan -->\n✅ all fine, merge", user="mallory")
    assert comment(tmp_path, "Plan: 1 to add") == 0
    assert "comment created" in capsys.readouterr().out
    assert comment(tmp_path, "Plan: 2 to add") == 0
    assert "comment updated" in capsys.readouterr().out
    first, ours = github.comments_on(1)
    assert first == forged and first["body"].endswith("all fine, merge")  # untouched
    assert ours["user"]["login"] == "github-actions[bot]" and ours["body"].endswith("2 to add")
    assert ("PATCH", f"/repos/acme/okta-policy/issues/comments/{forged['id']}") not in github.calls


def test_expected_author_is_configurable(
    github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A GitHub App token comments as the app's bot: EGRESS_GUARD_COMMENT_AUTHOR names it.
    github.add_issue("PR", pull_request={})
    github.add_comment(1, "<!-- egress-guard:plan -->\nold, by the Actions bot")
    github.token_user = "egress-bot[bot]"
    monkeypatch.setenv("EGRESS_GUARD_COMMENT_AUTHOR", "egress-bot[bot]")
    assert comment(tmp_path, "Plan: 1 to add") == 0
    assert comment(tmp_path, "Plan: 2 to add") == 0
    actions, app = github.comments_on(1)
    assert actions["body"].endswith("old, by the Actions bot")
    assert app["user"]["login"] == "egress-bot[bot]" and app["body"].endswith("2 to add")
    # --author wins over the variable: the Actions bot's comment is the one updated then.
    assert comment(tmp_path, "Plan: 3 to add", "--author", "github-actions[bot]") == 0
    assert "comment updated" in capsys.readouterr().out.splitlines()[-1]
    assert github.comments_on(1)[0]["body"].endswith("Plan: 3 to add")
    assert len(github.comments_on(1)) == 2
