"""`egress-guard respond ALERT_ID`: dry run first, --execute acts on the org (sessions cleared,
user suspended, token revoked), break-glass accounts protected, the manage scope required, and
every action logged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from drift_support import use_org
from watch_support import CONFIG

from generator.cli import main
from generator.watch.detection import Alert, Response, Subject
from generator.watch.formats.json_formats import JsonFormat
from generator.watch.report import WatchReport
from okta_sandbox import Sandbox
from okta_sandbox.core.session import OrgSession


@pytest.fixture
def attacked(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[Sandbox, Path, dict[str, Any]]]:
    """The attacks org, watched once: its state file and JSON report."""
    sandbox: Sandbox = sandbox_factory(seed="attacks")
    use_org(monkeypatch, sandbox)
    config, state, out = tmp_path / "p.yaml", tmp_path / "state.json", tmp_path / "w.json"
    config.write_text(CONFIG, encoding="utf-8")
    args = ["watch", "--config", str(config), "--since", "3h", "--state", str(state)]
    assert main([*args, "--format", "json", "--output", str(out)]) == 2
    yield sandbox, state, json.loads(out.read_text(encoding="utf-8"))


def alert_of(report: dict[str, Any], detection: str, fragment: str = "") -> str:
    return str(
        next(
            a["id"]
            for a in report["alerts"]
            if a["detection"] == detection and fragment in a["title"]
        )
    )


def events(sandbox: Sandbox, event_type: str) -> list[dict[str, Any]]:
    okta = OrgSession(sandbox.org_url, sandbox.api_token)
    found: list[dict[str, Any]] = okta.get(
        "/api/v1/logs", params={"filter": f'eventType eq "{event_type}"'}
    ).json()
    return found


def actions(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_dry_run_prints_the_calls_and_changes_nothing(
    attacked: tuple[Sandbox, Path, dict[str, Any]], capsys: Any
) -> None:
    sandbox, state, report = attacked
    replay = alert_of(report, "SES-001")
    before = len(events(sandbox, "user.session.clear"))
    capsys.readouterr()
    assert main(["respond", replay, "--state", str(state)]) == 0
    printed = capsys.readouterr().out
    assert (
        "DRY RUN: would DELETE /api/v1/users/" in printed and "sessions?oauthTokens=true" in printed
    )
    assert "DRY RUN: would POST /api/v1/users/" in printed and "lifecycle/suspend" in printed
    assert len(events(sandbox, "user.session.clear")) == before
    logged = actions(state.with_name("state.json.actions.jsonl"))
    assert [(a["mode"], a["action"]) for a in logged] == [
        ("dry-run", "clear_sessions"),
        ("dry-run", "suspend_user"),
    ]


def test_execute_clears_sessions_suspends_and_revokes(
    attacked: tuple[Sandbox, Path, dict[str, Any]], tmp_path: Path
) -> None:
    sandbox, state, report = attacked
    log = tmp_path / "actions.jsonl"
    replay = alert_of(report, "SES-001")
    args = ["--state", str(state), "--execute", "--log", str(log)]
    assert main(["respond", replay, "--action", "clear-sessions", *args]) == 0
    [cleared] = [
        e
        for e in events(sandbox, "user.session.clear")
        if e["target"][0]["alternateId"] == "alice.admin@example.com"
    ]
    assert cleared["actor"]["alternateId"] == "alice.admin@example.com"
    backdoor = alert_of(report, "PRV-001", "svc-backup")
    assert main(["respond", backdoor, "--action", "suspend-user", *args]) == 0
    okta = OrgSession(sandbox.org_url, sandbox.api_token)
    assert okta.get("/api/v1/users/svc-backup@example.com").json()["status"] == "SUSPENDED"
    token = alert_of(report, "TOK-001")
    assert main(["respond", token, *args]) == 0
    assert all(t["name"] != "backup-sync" for t in okta.get("/api/v1/api-tokens").json())
    assert main(["respond", token, *args]) == 1  # already revoked: Okta's 404 is an error
    logged = actions(log)
    assert [(a["mode"], a["action"], a["outcome"][:6]) for a in logged] == [
        ("execute", "clear_sessions", "done"),
        ("execute", "suspend_user", "done"),
        ("execute", "revoke_token", "done"),
        ("execute", "revoke_token", "failed"),
    ]
    assert all(sandbox.api_token not in line for line in log.read_text().splitlines())


def suspend_command(tmp_path: Path, subject: Subject) -> list[str]:
    """`respond` (a dry run) for a report holding one alert that suggests suspending `subject`."""
    alert = Alert(
        id="EGW-000000000001",
        detection="ADM-001",
        category="admin_access_untrusted_ip",
        severity="high",
        title="t",
        summary="s",
        published="2026-01-01T00:00:00.000Z",
        event_uuids=("u",),
        actor=subject,
        responses=(Response("suspend_user", subject.id, subject.name),),
    )
    report = tmp_path / "w.json"
    report.write_text(JsonFormat().render(WatchReport(org="o", alerts=[alert])))
    config = tmp_path / "p.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return ["respond", alert.id, "--report", str(report), "--config", str(config)]


def test_break_glass_accounts_are_protected_unless_forced(tmp_path: Path, capsys: Any) -> None:
    base = suspend_command(tmp_path, Subject("00ubreak", "User", "breakglass@example.com"))
    assert main(base) == 1
    assert "break-glass account" in capsys.readouterr().err
    assert main([*base, "--force"]) == 0  # a dry run: still nothing done


def test_execute_needs_the_manage_scope(
    attacked: tuple[Sandbox, Path, dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    rsa_key_pems: tuple[str, str],
    capsys: Any,
) -> None:
    sandbox, state, report = attacked
    private, public = rsa_key_pems
    client_id = sandbox.add_service_app(public, ["okta.logs.read", "okta.users.read"])
    monkeypatch.delenv("OKTA_API_TOKEN")
    monkeypatch.setenv("OKTA_API_CLIENT_ID", client_id)
    monkeypatch.setenv("OKTA_API_PRIVATE_KEY", private)
    monkeypatch.setenv("OKTA_API_SCOPES", "okta.logs.read okta.users.read")
    backdoor = alert_of(report, "PRV-001", "svc-backup")
    assert main(["respond", backdoor, "--state", str(state), "--execute"]) == 1
    assert "okta.users.manage" in capsys.readouterr().err
    okta = OrgSession(sandbox.org_url, sandbox.api_token)
    assert okta.get("/api/v1/users/svc-backup@example.com").json()["status"] == "ACTIVE"


def test_unknown_alerts_and_actions(
    attacked: tuple[Sandbox, Path, dict[str, Any]], capsys: Any
) -> None:
    _, state, report = attacked
    assert main(["respond", "EGW-000000000000", "--state", str(state)]) == 1
    assert "not in" in capsys.readouterr().err
    token = alert_of(report, "TOK-001")
    assert main(["respond", token, "--state", str(state), "--action", "suspend-user"]) == 1
    assert "suggests: revoke-token" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("subject_id", "expected"),
    [
        ("..", None),
        ("00u1/../../api-tokens/x?y", "/api/v1/users/00u1%2F..%2F..%2Fapi-tokens%2Fx%3Fy"),
    ],
)
def test_a_crafted_subject_id_never_leaves_its_segment(
    tmp_path: Path, capsys: Any, subject_id: str, expected: str | None
) -> None:
    """Subject ids come from System Log events, which anyone who can sign in shapes."""
    code = main(suspend_command(tmp_path, Subject(subject_id, "User", "mallory@example.com")))
    captured = capsys.readouterr()
    if expected is None:
        assert code == 1 and "refusing '..' as an Okta id or login" in captured.err
    else:
        assert code == 0 and f"{expected}/lifecycle/suspend" in captured.out
