"""Enrolment coverage against the sandbox: who has no factor, whose last factor was removed,
--max-users and the checkpoint (resumed after an interruption), and Okta's rate-limit headers
honoured while reading (scripted server)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from drift_support import make_client
from pytest_httpserver import HTTPServer

from generator.mfa import coverage_read
from generator.mfa.coverage import coverage_findings
from generator.mfa.coverage_read import CoverageOptions, read_coverage
from generator.okta.auth import OktaSettings
from generator.okta.client import OktaClient
from okta_sandbox import Sandbox

DEFAULT_USERS = 7  # the default seed: 3 admins and carol, pat, quinn, riley


def logins(users: Any) -> list[str]:
    return sorted(u.login for u in users)


def test_default_org_coverage(sandbox: Sandbox) -> None:
    with make_client(sandbox) as client:
        coverage = read_coverage(client, CoverageOptions())
    assert coverage.complete and coverage.checked == DEFAULT_USERS
    assert dict(coverage.counts) == {
        "none": 1,
        "weak": 1,
        "possession": 3,
        "phishing_resistant": 2,
    }
    assert logins(coverage.without_mfa) == ["pat@example.com"]
    assert [(u.login, u.factors) for u in coverage.weak_only] == [("carol@example.com", ("sms",))]
    [removed] = coverage.last_removed
    assert removed.user.login == "pat@example.com"
    assert removed.actor == "alice.admin@example.com"
    assert removed.event_type == "user.mfa.factor.deactivate"
    checks = {f.check: f.severity for f in coverage_findings(coverage)}
    assert checks == {"mfa-removed": "critical", "mfa-none": "high"}
    # one page of users, a factors read per user, the authenticators, System Log pages
    assert DEFAULT_USERS + 2 <= coverage.requests <= DEFAULT_USERS + 4


def test_users_who_cannot_sign_in_are_not_read(sandbox: Sandbox) -> None:
    state = sandbox.snapshot()
    pat = next(u for u in state["users"].values() if u["profile"]["login"] == "pat@example.com")
    with make_client(sandbox) as client:
        client.request("POST", f"/api/v1/users/{pat['id']}/lifecycle/suspend")
        coverage = read_coverage(client, CoverageOptions())
    assert coverage.checked == DEFAULT_USERS - 1 and not coverage.without_mfa
    assert coverage_findings(coverage) == []


def test_max_users_and_the_checkpoint(sandbox: Sandbox, tmp_path: Path) -> None:
    cursor = tmp_path / "mfa.cursor.json"
    options = CoverageOptions(max_users=3, cursor=cursor, page_size=2)
    with make_client(sandbox) as client:
        first = read_coverage(client, options)
        assert not first.complete and first.checked == 3 and cursor.exists()
        assert any("partial" in note for note in first.notes)
        second = read_coverage(client, options)  # 3 more, from the checkpoint
        assert second.resumed and second.checked == 6 and not second.complete
        third = read_coverage(client, options)
        whole = read_coverage(client, CoverageOptions())
    assert third.complete and third.checked == DEFAULT_USERS and not cursor.exists()
    assert dict(third.counts) == dict(whole.counts)
    assert logins(third.without_mfa) == logins(whole.without_mfa)


def test_an_interrupted_read_resumes_from_its_checkpoint(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cursor = tmp_path / "mfa.cursor.json"
    options = CoverageOptions(cursor=cursor, page_size=2)
    real = coverage_read.CoverageReader._factors
    calls = {"n": 0}

    def interrupted(self: Any, user: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:  # in the third page: two pages (4 users) are done
            raise KeyboardInterrupt
        return real(self, user)

    with make_client(sandbox, concurrency=1) as client:
        monkeypatch.setattr(coverage_read.CoverageReader, "_factors", interrupted)
        with pytest.raises(KeyboardInterrupt):
            read_coverage(client, options)
        monkeypatch.setattr(coverage_read.CoverageReader, "_factors", real)
        assert '"checked":4' in cursor.read_text()
        resumed = read_coverage(client, options)
    assert resumed.resumed and resumed.complete and resumed.checked == DEFAULT_USERS
    assert logins(resumed.without_mfa) == ["pat@example.com"]
    assert not cursor.exists()


def test_a_checkpoint_of_another_org_is_refused(sandbox: Sandbox, tmp_path: Path) -> None:
    cursor = tmp_path / "mfa.cursor.json"
    cursor.write_text(
        '{"version":1,"org_url":"https://other.okta.com","statuses":[],"next_url":null,'
        '"started":true,"done":false,"checked":1,"counts":{},"without_mfa":[],"weak_only":[]}'
    )
    with make_client(sandbox) as client, pytest.raises(Exception, match="another read"):
        read_coverage(client, CoverageOptions(cursor=cursor))
    cursor.write_text("not json")
    with make_client(sandbox) as client, pytest.raises(Exception, match="remove it"):
        read_coverage(client, CoverageOptions(cursor=cursor))


def test_rate_limit_headers_pace_the_factor_reads(httpserver: HTTPServer) -> None:
    """Okta says a bucket is nearly used up: the reads wait for its reset, and none fails."""
    sleeps: list[float] = []
    now = [time.time()]  # the server's Date header is the real time

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    reset = str(int(now[0]) + 30)
    users = [
        {"id": f"00u{n}", "status": "ACTIVE", "profile": {"login": f"u{n}@x"}} for n in range(4)
    ]
    httpserver.expect_request("/api/v1/users").respond_with_json(users)
    httpserver.expect_request("/api/v1/authenticators").respond_with_json([])
    low = {"X-Rate-Limit-Remaining": "1", "X-Rate-Limit-Reset": reset}
    for user in users:
        httpserver.expect_request(f"/api/v1/users/{user['id']}/factors").respond_with_json(
            [], headers=low
        )
    settings = OktaSettings.from_env(
        {"OKTA_ORG_URL": httpserver.url_for("/").rstrip("/"), "OKTA_API_TOKEN": "00abc"}
    )
    with OktaClient(settings, concurrency=1, sleep=sleep, clock=lambda: now[0]) as client:
        coverage = read_coverage(client, CoverageOptions(with_events=False))
        waits = client.stats.rate_limit_waits
    assert coverage.checked == 4 and len(coverage.without_mfa) == 4
    assert waits >= 2 and all(wait > 20 for wait in sleeps)
