"""`egress-guard drift --mfa-coverage` end to end against the synced sandbox: the users
without MFA make it drift (2), the report carries the coverage in every format, a --max-users
run checkpoints and the next one resumes; the options are refused without --mfa-coverage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from drift_support import FAST_RETRY, config_fixture, desired_fixture, synced_sandbox, use_org

from generator.cli import main
from generator.commands import drift as drift_command
from generator.drift.desired import Desired
from generator.mfa.coverage_read import SIGN_IN_STATUSES
from okta_sandbox import Sandbox

config = config_fixture("mfa-cli")


def can_sign_in(org: Sandbox) -> int:
    users = org.snapshot()["users"].values()
    return sum(1 for user in users if user["status"] in SIGN_IN_STATUSES)


desired = desired_fixture()


@pytest.fixture
def org(desired: Desired, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    monkeypatch.setattr(drift_command, "CLIENT_OPTIONS", {"retry": FAST_RETRY})
    with synced_sandbox(desired) as sandbox:
        use_org(monkeypatch, sandbox)
        yield sandbox


def test_coverage_makes_drift_and_reaches_every_format(
    org: Sandbox, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["drift", "--config", str(config)]) == 0  # in sync without coverage
    out = tmp_path / "drift.json"
    code = main(["drift", "--config", str(config), "--mfa-coverage", "--format", "json",
                 "--output", str(out)])  # fmt: skip
    assert code == 2
    report = json.loads(out.read_text())
    coverage = report["mfa_coverage"]
    assert coverage["complete"] and coverage["checked"] == can_sign_in(org)
    without = [u["login"] for u in coverage["without_mfa"]]
    assert "pat@example.com" in without and "carol@example.com" not in without
    assert {f["check"] for f in report["findings"]} == {"mfa-none", "mfa-removed"}
    capsys.readouterr()
    for fmt in ("text", "markdown", "sarif"):
        assert main(["report", "drift", "--report", str(out), "--format", fmt]) == 0
        assert "pat@example.com" in capsys.readouterr().out


def test_max_users_checkpoints_and_the_next_run_resumes(org: Sandbox, config: Path,
                                                       tmp_path: Path) -> None:  # fmt: skip
    cursor = tmp_path / "cursor.json"
    out = tmp_path / "drift.json"
    base = ["drift", "--config", str(config), "--mfa-coverage", "--mfa-cursor", str(cursor),
            "--format", "json", "--output", str(out)]  # fmt: skip
    main([*base, "--max-users", "4"])
    first = json.loads(out.read_text())["mfa_coverage"]
    assert not first["complete"] and first["checked"] == 4 and cursor.exists()
    main(base)
    second = json.loads(out.read_text())["mfa_coverage"]
    assert second["complete"] and second["resumed"] and second["checked"] == can_sign_in(org)
    assert not cursor.exists()


def test_coverage_options_need_mfa_coverage(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["drift", "--config", str(config), "--max-users", "5"]) == 1
    assert "--max-users needs --mfa-coverage" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # argparse: exit 1 (2 means drift here)
        main(["drift", "--config", str(config), "--mfa-coverage", "--max-users", "0"])
    assert usage.value.code == 1
