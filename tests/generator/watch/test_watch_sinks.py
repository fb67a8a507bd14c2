"""Alert sinks: the Slack-compatible webhook (retries, Retry-After, refusals, the URL kept
secret, mrkdwn escaping) and the GitHub watch issue (one issue, new alerts commented once)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests
from github_fake import FakeGitHub, fake_github_in_env
from pytest_httpserver import HTTPServer
from watch_support import CONSOLE, SCRIPT, engine, event

from generator.cli import main
from generator.errors import InputError
from generator.watch.detection import Alert
from generator.watch.formats.json_formats import JsonFormat
from generator.watch.report import WatchReport
from generator.watch.sinks.github_issue import GitHubIssueSink
from generator.watch.sinks.webhook import WebhookError, WebhookSink, payload, webhook_url

SECRET_URL = "https://hooks.slack.test/services/T000/B000/very-secret-token"


def alerts() -> list[Alert]:
    runner = engine()
    first = event("user.session.start", session="idxSink")
    replay = event(
        "user.session.access_admin_app",
        session="idxSink",
        ip="192.0.2.1",
        agent=SCRIPT,
        targets=[CONSOLE],
        actor="<!channel> <https://evil.example|click> &amp;",
    )
    return [a for e in (first, replay) for a in runner.process(e)]


class FakeSession:
    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.posts: list[dict[str, Any]] = []

    def post(self, url: str, json: Any, timeout: float) -> Any:
        self.posts.append(json)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        response = requests.Response()
        response.status_code, headers = answer
        response.headers.update(headers)
        return response


def sink(answers: list[Any], sleeps: list[float]) -> tuple[WebhookSink, FakeSession]:
    session = FakeSession(answers)
    return (
        WebhookSink(SECRET_URL, session=session, sleep=sleeps.append, jitter=lambda: 1.0),  # type: ignore[arg-type]
        session,
    )


def test_webhook_retries_transient_failures() -> None:
    sleeps: list[float] = []
    hook, session = sink([requests.ConnectionError("x"), (503, {}), (200, {})], sleeps)
    outcome = hook.deliver(alerts(), WatchReport(org="https://acme.okta.com"))
    assert outcome == "webhook hooks.slack.test: 2 alert(s) sent"
    assert len(session.posts) == 3 and sleeps == [1.0, 2.0]


def test_webhook_waits_retry_after_and_gives_up_with_a_clear_error() -> None:
    sleeps: list[float] = []
    hook, _ = sink([(429, {"Retry-After": "7"})] + [(500, {})] * 4, sleeps)
    with pytest.raises(WebhookError) as caught:
        hook.deliver(alerts(), WatchReport(org="o"))
    assert sleeps[0] == 7.0 and len(sleeps) == 4
    assert "not delivered after 5 attempts (HTTP 500)" in str(caught.value)
    assert "very-secret-token" not in str(caught.value) + repr(hook)


def test_webhook_refusal_is_not_retried() -> None:
    sleeps: list[float] = []
    hook, session = sink([(404, {})], sleeps)
    with pytest.raises(WebhookError, match="refused"):
        hook.deliver(alerts(), WatchReport(org="o"))
    assert len(session.posts) == 1 and sleeps == []


def test_webhook_payload_is_slack_compatible_and_escaped() -> None:
    body = payload(alerts(), WatchReport(org="https://acme.okta.com"))
    assert set(body) == {"text", "blocks"} and "SES-001" in body["text"]
    text = json.dumps(body)
    assert "<!channel>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt;" in text and "&amp;amp;" in text
    many = payload(alerts() * 15, WatchReport(org="o"))
    assert "more (see the watch report)" in json.dumps(many["blocks"][-1])


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (SECRET_URL, True),
        ("http://127.0.0.1:9/hook", True),
        ("http://hooks.example/x", False),
        ("", False),
    ],
)
def test_webhook_url_comes_from_the_environment(value: str, ok: bool) -> None:
    env = {"EGRESS_GUARD_WEBHOOK_URL": value}
    if ok:
        assert webhook_url(env) == value
    else:
        with pytest.raises(InputError) as caught:
            webhook_url(env)
        assert "hooks.example/x" not in str(caught.value)


@pytest.fixture
def github(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    return fake_github_in_env(httpserver, monkeypatch)


def watch_issues(github: FakeGitHub) -> list[dict[str, Any]]:
    return [i for i in github.issues.values() if "egress-guard:watch" in i["body"]]


def test_github_issue_sink_opens_once_and_comments_new_alerts(github: FakeGitHub) -> None:
    found = alerts()
    report = WatchReport(org="https://acme.okta.com")
    GitHubIssueSink().deliver(found, report)
    (issue,) = watch_issues(github)
    assert issue["labels"] == [{"name": "egress-guard-watch"}] and found[0].id in issue["body"]
    assert "\\<!channel>" in issue["body"]  # Markdown-escaped: literal text
    assert not re.search(r"(?<!\\)<!channel>", issue["body"])
    GitHubIssueSink().deliver(found, report)  # the same alerts delivered again (outbox)
    assert github.comments_on(issue["number"]) == []
    newer = engine().process(event("user.lifecycle.create"))
    GitHubIssueSink().deliver(newer, report)
    assert len(github.comments_on(issue["number"])) == 1


def test_github_watch_issue_command(github: FakeGitHub, tmp_path: Path) -> None:
    report = WatchReport(org="https://acme.okta.com", alerts=alerts())
    (tmp_path / "w.json").write_text(JsonFormat().render(report))
    (tmp_path / "w.md").write_text("## alerts\n")
    args = ["github", "watch-issue", "--report-json", str(tmp_path / "w.json")]
    args += ["--report-markdown", str(tmp_path / "w.md")]
    assert main([*args, "--exit-code", "2"]) == 0
    assert len(watch_issues(github)) == 1
    assert main(["github", "watch-issue", "--exit-code", "0"]) == 0  # a quiet run: left open
    assert main(["github", "watch-issue", "--exit-code", "1"]) == 0  # an error: untouched
    assert watch_issues(github)[0]["state"] == "open"
    assert main(["github", "watch-issue", "--exit-code", "2"]) == 2  # no report: input error
