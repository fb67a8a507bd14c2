"""`egress-guard admin-console`: the Admin Console's session timeouts with plan/apply semantics
against the sandbox (0 in place / applied, 2 changes pending, 1 error)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from drift_support import FAST_RETRY, org_in_env_fixture, write_config

from generator.cli import main
from generator.commands import drift as drift_command
from okta_sandbox import Sandbox

PATH = "/api/v1/first-party-app-settings/admin-console"


org = org_in_env_fixture()


def config_with(tmp_path: Path, session: dict[str, int] | None) -> Path:
    path = write_config(tmp_path)
    document = yaml.safe_load(path.read_text())
    document.setdefault("controls", {}).pop("admin_console_session", None)
    if session is not None:
        document["controls"]["admin_console_session"] = session
    path.write_text(yaml.safe_dump(document))
    return path


def live(org: Sandbox) -> dict[str, int]:
    settings: dict[str, int] = org.snapshot().get("admin_console_settings") or {}
    return settings


def test_plan_shows_the_change_and_apply_makes_it(
    org: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_with(tmp_path, {"idle_minutes": 10, "lifetime_minutes": 240})
    assert main(["admin-console", "--config", str(config)]) == 2
    out = capsys.readouterr().out
    assert "sessionIdleTimeoutMinutes: 15 -> 10" in out
    assert "sessionMaxLifetimeMinutes: 720 -> 240" in out
    assert "2 change(s) pending; apply with: egress-guard admin-console" in out
    assert live(org) == {}  # a plan changes nothing

    assert main(["admin-console", "--config", str(config), "--apply"]) == 0
    assert "applied 2 change(s)" in capsys.readouterr().out
    assert live(org) == {"sessionIdleTimeoutMinutes": 10, "sessionMaxLifetimeMinutes": 240}

    assert main(["admin-console", "--config", str(config), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["changes"], report["applied"]) == ([], False)
    assert report["live"] == {"sessionIdleTimeoutMinutes": 10, "sessionMaxLifetimeMinutes": 240}


def test_a_longer_value_is_marked_as_loosening(
    org: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_with(tmp_path, {"idle_minutes": 30, "lifetime_minutes": 720})
    assert main(["admin-console", "--config", str(config), "--format", "json"]) == 2
    [change] = json.loads(capsys.readouterr().out)["changes"]
    assert change == {
        "setting": "sessionIdleTimeoutMinutes",
        "live": 15,
        "desired": 30,
        "loosens": True,
    }


def test_without_the_config_key_nothing_is_applied(
    org: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_with(tmp_path, None)
    assert main(["admin-console", "--config", str(config), "--apply"]) == 0
    assert "controls.admin_console_session is not set" in capsys.readouterr().out
    assert live(org) == {}


def test_errors_exit_1_never_2(
    org: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = {"retry": FAST_RETRY, "sleep": lambda _: None}
    monkeypatch.setattr(drift_command, "CLIENT_OPTIONS", options)
    config = config_with(tmp_path, {"idle_minutes": 10, "lifetime_minutes": 240})
    org.add_fault("503x9@" + PATH)
    assert main(["admin-console", "--config", str(config)]) == 1
    org.clear_faults()
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ncontrols: {admin_console_session: {idle_minutes: 1}}\n")
    assert main(["admin-console", "--config", str(bad)]) == 1
    assert "controls.admin_console_session.idle_minutes" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # 2 would read as "changes pending"
        main(["admin-console"])
    assert usage.value.code == 1
