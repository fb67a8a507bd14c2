"""Okta connection variables that point somewhere nobody meant, and long waits (issue #13): a
misplaced part names the host that would be built, userinfo in OKTA_ORG_URL is refused without
being shown, and a wait of several seconds says so on stderr."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from drift_support import write_config
from okta_http_support import TOKEN, FakeTime, scripted_client
from pytest_httpserver import HTTPServer

from generator.cli import main
from generator.okta.rate_limits import LONG_WAIT_SECONDS


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"OKTA_ORG_NAME": "acme", "OKTA_BASE_URL": "https://okta.com"},
            "OKTA_BASE_URL must be the Okta domain alone, e.g. okta.com or oktapreview.com (no "
            "https://, no path); with OKTA_ORG_NAME it builds 'https://acme.https://okta.com'",
        ),
        (
            {"OKTA_ORG_NAME": "acme.okta.com", "OKTA_BASE_URL": "okta.com"},
            "OKTA_ORG_NAME must be the org's subdomain alone (acme for https://acme.okta.com); "
            "with OKTA_BASE_URL it builds 'https://acme.okta.com.okta.com'",
        ),
        (
            {"OKTA_ORG_URL": "https://admin:hunter2-pa55@acme.okta.com"},
            "OKTA_ORG_URL contains a user name or password (user:pass@host); refused",
        ),
    ],
)
def test_misplaced_org_variables_name_the_host_built(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    message: str,
) -> None:
    for name, value in {**env, "OKTA_API_TOKEN": TOKEN}.items():
        monkeypatch.setenv(name, value)
    config = write_config(tmp_path)
    out = tmp_path / "drift.json"
    assert main(["drift", "--config", str(config), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert not out.exists()
    assert TOKEN not in err and "hunter2" not in err


def test_terraform_checks_the_org_variables_the_same_way(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("OKTA_ORG_NAME", "acme")
    monkeypatch.setenv("OKTA_BASE_URL", "https://okta.com")
    monkeypatch.setenv("OKTA_API_TOKEN", TOKEN)
    assert main(["terraform", "--dir", str(tmp_path), "plan"]) == 1
    err = capsys.readouterr().err
    assert "builds 'https://acme.https://okta.com'" in err and TOKEN not in err


def test_a_long_rate_limit_wait_is_announced(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeTime()
    headers = {"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": str(int(fake.now) + 40)}
    httpserver.expect_oneshot_request("/api/v1/zones").respond_with_json(
        {"errorCode": "E0000047"}, status=429, headers=headers
    )
    httpserver.expect_request("/api/v1/zones").respond_with_json([])
    with caplog.at_level(logging.WARNING, logger="generator.okta"):
        assert scripted_client(httpserver, fake).list_all("/api/v1/zones") == []
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith(
        "GET /api/v1/zones: HTTP 429 (rate limited); waiting for the reset: waiting "
    )
    assert fake.sleeps and fake.sleeps[0] >= LONG_WAIT_SECONDS


def test_a_short_retry_stays_quiet(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeTime()
    httpserver.expect_oneshot_request("/api/v1/groups").respond_with_data("oops", status=503)
    httpserver.expect_request("/api/v1/groups").respond_with_json([])
    with caplog.at_level(logging.WARNING, logger="generator.okta"):
        assert scripted_client(httpserver, fake).list_all("/api/v1/groups") == []
    assert fake.sleeps and fake.sleeps[0] < LONG_WAIT_SECONDS
    assert caplog.records == []
