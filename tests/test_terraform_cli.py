"""`egress-guard terraform ...` and `egress-guard demo` through the real CLI entry point."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from terraform_support import render_root_module

from generator.cli import main

OKTA_VARS = (
    "OKTA_ORG_URL", "OKTA_ORG_NAME", "OKTA_BASE_URL", "OKTA_API_TOKEN", "OKTA_ACCESS_TOKEN",
    "OKTA_API_CLIENT_ID", "OKTA_HTTP_PROXY", "EGRESS_GUARD_SANDBOX", "EGRESS_GUARD_SANDBOX_URL",
)  # fmt: skip


@pytest.fixture
def no_org(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OKTA_VARS:
        monkeypatch.delenv(name, raising=False)


def test_without_credentials_or_sandbox_the_message_says_what_to_set(
    no_org: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "main.tf").write_text("")
    code = main(["terraform", "--dir", str(tmp_path), "plan"])
    assert code == 1
    err = capsys.readouterr().err
    assert "OKTA_API_TOKEN" in err and "EGRESS_GUARD_SANDBOX=1" in err


def test_apply_without_plan_or_auto_approve_is_refused(
    no_org: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OKTA_ORG_URL", "https://acme.okta.com")
    monkeypatch.setenv("OKTA_API_TOKEN", "not-used")
    (tmp_path / "main.tf").write_text("")
    (tmp_path / ".terraform" / "modules").mkdir(parents=True)
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text("{}")
    assert main(["terraform", "--dir", str(tmp_path), "apply"]) == 1


@pytest.mark.terraform
def test_sandbox_plan_apply_replan_through_the_cli(
    no_org: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = tmp_path / "project"
    render_root_module(project / "terraform")
    monkeypatch.chdir(project)
    monkeypatch.setenv("EGRESS_GUARD_SANDBOX", "1")

    assert main(["terraform", "plan", "-out", "p.tfplan", "--detailed-exitcode"]) == 2
    assert "Plan: 7 to add" in capsys.readouterr().out
    assert main(["terraform", "apply", "p.tfplan"]) == 0
    assert main(["terraform", "plan", "--detailed-exitcode"]) == 0  # org persisted in .sandbox
    assert (project / ".sandbox" / "org.json").is_file()
    assert not (project / "terraform" / "terraform.tfstate").exists()  # real state untouched
    shutil.rmtree(project / ".sandbox")


@pytest.mark.terraform
def test_demo_runs_the_whole_loop(no_org: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for step in range(1, 9):
        assert f"[{step}/8]" in out
    assert "egress-guard drift: exit 2 (as expected)" in out
    assert "terraform plan -detailed-exitcode: exit 2 (as expected)" in out


def test_offline_init_failure_explains_the_sandbox() -> None:
    from generator.terraform_runner import TfResult
    from generator.terraform_session import init_hint

    stderr = "│ Error: Failed to query available provider packages\n│ could not connect to "
    stderr += "registry.terraform.io: failed to request discovery document\n"
    assert "--sandbox" in str(init_hint(TfResult(("init",), 1, "", stderr)))
    assert init_hint(TfResult(("init",), 0, "", "")) is None
