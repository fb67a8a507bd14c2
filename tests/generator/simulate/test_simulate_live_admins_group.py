"""`simulate --live` with the example config (admin group: Okta's built-in "Okta Administrators")
against an org that refuses to list that group's members (the sandbox answers 501 E0000060, as
Okta reportedly does not support it): simulate lists no group's members at all (the principal
is one user or group, evaluated with its own groups), and a new Super Administrator is covered
because Okta keeps every admin in that group."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from drift_support import Admin, config_fixture, desired_fixture, sandbox_env, synced_org_fixture

from generator.cli import main
from okta_sandbox import Sandbox

config = config_fixture("simulate-admins-group")
desired = desired_fixture()
org = synced_org_fixture()
UNTRUSTED = "192.0.2.10"


@pytest.fixture
def paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every request path sent (any requests session of the process)."""
    sent: list[str] = []
    original = requests.Session.request

    def recording(self: requests.Session, method: str, url: str, *a: Any, **kw: Any) -> Any:
        sent.append(urlsplit(url).path)
        return original(self, method, url, *a, **kw)

    monkeypatch.setattr(requests.Session, "request", recording)
    return sent


def simulate(config: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    base = ["simulate", "--config", str(config), "--live", "--format", "json"]
    assert main([*base, *argv]) == 0, capsys.readouterr().err
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def test_simulate_live_lists_no_group_members_and_covers_a_new_admin(
    org: Sandbox,
    config: Path,
    paths: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in sandbox_env(org).items():
        monkeypatch.setenv(name, value)
    admin = Admin(org)
    admins = admin.group_id("Okta Administrators")
    refused = admin.http.get(f"{org.org_url}/api/v1/groups/{admins}/users")
    assert refused.status_code == 501
    carol = admin.call("GET", "/api/v1/users/carol@example.com")["id"]
    admin.call("POST", f"/api/v1/users/{carol}/roles", {"type": "SUPER_ADMIN"})
    paths.clear()

    found = simulate(config, capsys, "--user", "carol@example.com", "--ip", UNTRUSTED)
    assert found["admin_roles"]["covered"] is True
    assert "member of admin group 'Okta Administrators'" in found["admin_roles"]["coverage"]
    assert "Okta Administrators" in found["principal"]["groups"]
    assert found["decision"]["can_sign_in"] is False
    assert found["decision"]["can_reach_admin_console"] is False

    group = simulate(config, capsys, "--group", "Okta Administrators", "--all")
    assert any(s["decision"]["can_sign_in"] for s in group["segments"])
    assert not any(p.startswith("/api/v1/groups/") and p.endswith("/users") for p in paths)
