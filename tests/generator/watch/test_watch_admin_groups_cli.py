"""`egress-guard watch` end to end on the sandbox for PRV-002 and BRK-001: the `attacks` seed's
admin-group join found among ordinary membership changes through the read of the role-holding
groups, the read cached in the state file, the fallback (said once) without `okta.roles.read`,
and a break-glass account removed from the break-glass group through the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from drift_support import use_org
from watch_support import CONFIG

from generator.cli import main
from generator.commands import watch as watch_command
from generator.okta.client import RetryPolicy
from okta_sandbox import Sandbox
from okta_sandbox.core.session import OrgSession

GROUPS = """\
  admin_groups: [Okta Admins]
  break_glass: {users: [breakglass@example.com], group: Break Glass Accounts}
"""


@pytest.fixture(autouse=True)
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = RetryPolicy(max_attempts=2, backoff_base=0.0, max_rate_limit_waits=1)
    monkeypatch.setattr(watch_command, "CLIENT_OPTIONS", {"retry": fast, "sleep": lambda _: None})


def write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "egress-policy.yaml"
    text = CONFIG.replace(
        "  break_glass: {users: [breakglass@example.com], group: Break Glass Accounts}\n", GROUPS
    )
    assert text != CONFIG
    path.write_text(text + extra, encoding="utf-8")
    return path


def run(config: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code = main(
        ["watch", "--config", str(config), "--format", "json", "--output", str(out), *extra]
    )
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return code, report


def use(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> OrgSession:
    use_org(monkeypatch, sandbox)
    return OrgSession(sandbox.org_url, sandbox.api_token)


def test_the_attacks_seeds_admin_group_join_among_ordinary_changes(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use(sandbox_factory(seed="attacks"), monkeypatch)
    code, report = run(write_config(tmp_path), tmp_path / "w.json", "--since", "7d")
    assert code == 2
    joins = [a for a in report["alerts"] if a["detection"] == "PRV-002"]
    # "Engineering" changed four times during the week: none of them is an admin grant
    assert sorted((a["title"], a["severity"]) for a in joins) == [
        ("dave@example.com added to admin group Okta Operators", "critical"),
        ("svc-backup@example.com added to admin group Backup Operators", "critical"),
    ]
    [note] = [n for n in report["notes"] if n.startswith("role-holding groups")]
    assert "2 group(s) hold an admin role" in note
    [removed] = [a for a in report["alerts"] if a["detection"] == "BRK-001"]
    assert removed["title"] == (
        "breakglass@example.com removed from the break-glass group Break Glass Accounts"
    )
    assert removed["severity"] == "medium"  # still exempt by login (okta.break_glass.users)


def test_the_read_is_kept_in_the_state_until_it_is_due(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    okta = use(sandbox_factory(seed="attacks"), monkeypatch)
    config, state, out = write_config(tmp_path), tmp_path / "state.json", tmp_path / "w.json"
    assert run(config, out, "--since", "1h", "--state", str(state))[0] == 2
    first = json.loads(state.read_text(encoding="utf-8"))["role_groups"]
    assert first["problem"] is None and len(first["groups"]) == 2
    # a new role-holding group: not known until the next read (the log names no member yet)
    created = okta.post("/api/v1/groups", json={"profile": {"name": "Tier 0"}}).json()
    okta.post(f"/api/v1/groups/{created['id']}/roles", json={"type": "SUPER_ADMIN"})
    bob = okta.get("/api/v1/users/bob.admin@example.com").json()["id"]
    okta.put(f"/api/v1/groups/{created['id']}/users/{bob}")
    code, report = run(config, out, "--state", str(state))
    assert code == 2
    assert json.loads(state.read_text(encoding="utf-8"))["role_groups"] == first  # not re-read
    assert not [n for n in report["notes"] if n.startswith("role-holding groups")]
    # learned from the log: the grant came before the join
    [join] = [a for a in report["alerts"] if a["detection"] == "PRV-002"]
    assert join["severity"] == "critical" and "seen in the log" in join["summary"]
    saved = json.loads(state.read_text(encoding="utf-8"))
    saved["role_groups"]["read_at"] = "2020-01-01T00:00:00Z"  # a day and more ago: due
    state.write_text(json.dumps(saved), encoding="utf-8")
    code, report = run(config, out, "--state", str(state))
    assert code == 0  # nothing new in the log
    assert [n for n in report["notes"] if n.startswith("role-holding groups read")]
    assert created["id"] in json.loads(state.read_text(encoding="utf-8"))["role_groups"]["groups"]


def test_without_the_roles_scope_it_says_so_once_and_uses_the_named_groups(
    sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    rsa_key_pems: tuple[str, str],
) -> None:
    okta = OrgSession(sandbox.org_url, sandbox.api_token)
    admins = okta.post("/api/v1/groups", json={"profile": {"name": "Okta Admins"}}).json()
    carol = okta.get("/api/v1/users/carol@example.com").json()["id"]
    assert okta.put(f"/api/v1/groups/{admins['id']}/users/{carol}").status_code == 204
    private_pem, public_pem = rsa_key_pems
    key = tmp_path / "key.pem"
    key.write_text(private_pem, encoding="utf-8")
    monkeypatch.setenv("OKTA_ORG_URL", sandbox.org_url)
    monkeypatch.setenv(
        "OKTA_API_CLIENT_ID", sandbox.add_service_app(public_pem, ["okta.logs.read"])
    )
    monkeypatch.setenv("OKTA_API_PRIVATE_KEY", str(key))
    monkeypatch.setenv("OKTA_API_SCOPES", "okta.logs.read okta.roles.read")
    config, state, out = write_config(tmp_path), tmp_path / "state.json", tmp_path / "w.json"
    code, report = run(config, out, "--since", "10m", "--state", str(state))
    assert code == 2
    [note] = [n for n in report["notes"] if n.startswith("role-holding groups")]
    assert "not granted okta.roles.read" in note and "said once every 24 h" in note
    [join] = [a for a in report["alerts"] if a["detection"] == "PRV-002"]
    assert join["severity"] == "high" and "'Okta Admins' is an admin group" in join["summary"]
    assert dict(join["evidence"])["role_groups"].startswith("not read (the OAuth service app")
    okta.delete(f"/api/v1/groups/{admins['id']}/users/{carol}")
    code, report = run(config, out, "--state", str(state))
    assert not [n for n in report["notes"] if n.startswith("role-holding groups")]  # said once
    assert code == 0 and report["events"] >= 1  # the removal (and the token's grant event)


def test_a_break_glass_account_removed_from_its_group_through_the_api(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    okta = use(sandbox, monkeypatch)
    group = okta.get("/api/v1/groups", params={"q": "Break Glass Accounts"}).json()[0]
    breakglass = okta.get("/api/v1/users/breakglass@example.com").json()["id"]
    assert okta.delete(f"/api/v1/groups/{group['id']}/users/{breakglass}").status_code == 204
    code, report = run(write_config(tmp_path), tmp_path / "w.json", "--since", "10m")
    assert code == 2
    [alert] = report["alerts"]
    assert (alert["detection"], alert["severity"]) == ("BRK-001", "medium")
    assert alert["title"] == "breakglass@example.com removed from the break-glass group " + (
        "Break Glass Accounts"
    )
    assert "stay exempt by login" in alert["summary"]
