"""`egress-guard terraform ...` through the CLI with TERRAFORM_BIN set to a stand-in binary:
which commands need an org, which token goes where, which CLI config Terraform gets, and the
exit codes the CLI reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from terraform_support import EXAMPLE, FakeTerraform

from generator.cli import main
from generator.okta.auth import NO_ORG_HELP

# Besides the Okta and sandbox settings conftest removes for every test.
ENV_VARS = ("TERRAFORM_BIN", "TF_CLI_CONFIG_FILE", "FAKE_EXIT", "FAKE_UNFORMATTED")
SANDBOX_URL = "http://127.0.0.1:9"  # never contacted: the fake binary stands in for Terraform


@pytest.fixture
def project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake: FakeTerraform) -> Path:
    """A project directory with terraform/, no Okta settings, TERRAFORM_BIN = the fake."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "project"
    (root / "terraform").mkdir(parents=True)
    (root / "terraform" / "main.tf").write_text("")
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TERRAFORM_BIN", str(fake.binary))
    monkeypatch.setenv("FAKE_LOG", str(fake.log))
    return root


def _real_org(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_ORG_URL", "https://acme.okta.com")
    monkeypatch.setenv("OKTA_API_TOKEN", "real-org-token")


@pytest.mark.parametrize("action", ["init", "fmt", "validate", "show"])
def test_commands_that_do_not_reach_the_org_need_no_credentials(
    project: Path, fake: FakeTerraform, action: str
) -> None:
    assert main(["terraform", action]) == 0
    assert fake.argv()[0] == action
    assert fake.cwd() == (project / "terraform").resolve()


def test_the_no_credentials_message_is_the_same_for_plan_apply_and_drift(
    project: Path, fake: FakeTerraform, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["terraform", "plan"],
        ["terraform", "apply", "--auto-approve"],
        ["drift", "--config", str(EXAMPLE), "--no-events"],
    ):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert NO_ORG_HELP in err, argv
    assert "OKTA_API_TOKEN" in NO_ORG_HELP and "EGRESS_GUARD_SANDBOX=1" in NO_ORG_HELP
    assert not Path(f"{fake.log}.argv").exists()  # Terraform was never started


def test_cli_exit_codes_are_explicit_per_command(
    project: Path,
    fake: FakeTerraform,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _real_org(monkeypatch)
    assert main(["terraform", "init"]) == 0
    monkeypatch.setenv("FAKE_EXIT", "2")
    assert main(["terraform", "plan", "--detailed-exitcode"]) == 2  # changes present
    assert main(["terraform", "apply", "--auto-approve", "--force"]) == 1  # a crash: not changes
    assert "terraform apply exited 2: Terraform crashed" in capsys.readouterr().err
    assert main(["terraform", "plan"]) == 1  # without -detailed-exitcode 2 is a crash too
    monkeypatch.setenv("FAKE_EXIT", "3")
    monkeypatch.setenv("FAKE_UNFORMATTED", "generated/zones.tf")
    assert main(["terraform", "fmt"]) == 3
    assert "files need formatting: generated/zones.tf" in capsys.readouterr().err
    assert main(["terraform", "validate"]) == 1
    monkeypatch.setenv("FAKE_EXIT", "0")
    assert main(["terraform", "plan"]) == 0


def test_terraform_output_is_printed_once(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _real_org(monkeypatch)
    assert main(["terraform", "plan"]) == 0
    assert capsys.readouterr().out.count("Plan: 1 to add") == 1  # streamed, not re-printed


def test_show_json_prints_only_the_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not (project / "terraform" / ".terraform").exists()  # init runs first, quietly
    assert main(["terraform", "show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"format_version": "1.2", "planned_values": {}}


def test_a_real_org_keeps_the_users_cli_config_and_gets_its_credentials(
    project: Path, fake: FakeTerraform, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _real_org(monkeypatch)
    user_rc = tmp_path / "user.tfrc"
    user_rc.write_text('plugin_cache_dir = "/somewhere"\n')
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(user_rc))
    assert main(["terraform", "plan"]) == 0
    assert fake.seen("TF_CLI_CONFIG_FILE") == str(user_rc)
    assert fake.seen("OKTA_API_TOKEN") == "real-org-token"
    assert user_rc.read_text() == 'plugin_cache_dir = "/somewhere"\n'


def test_sandbox_cli_config_is_temporary_and_wins_over_the_users(
    project: Path, fake: FakeTerraform, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    user_rc = tmp_path / "user.tfrc"
    user_rc.write_text("provider_installation {\n  direct {}\n}\n")
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(user_rc))
    monkeypatch.setenv("EGRESS_GUARD_SANDBOX", "1")
    assert main(["terraform", "validate"]) == 0
    given = Path(fake.seen("TF_CLI_CONFIG_FILE"))
    assert given != user_rc and project not in given.parents
    assert not given.exists()  # removed when the command ended
    assert '"okta/okta" = ' in fake.cli_config() and "dev_overrides" in fake.cli_config()
    assert user_rc.read_text() == "provider_installation {\n  direct {}\n}\n"
    assert not (tmp_path / "home" / ".terraformrc").exists()
    assert fake.cwd() == (project / ".sandbox" / "terraform").resolve()
    assert not (project / ".sandbox" / "org.json").exists()  # validate started no sandbox
    assert not (project / ".sandbox" / "provider").exists()


def test_attaching_to_a_sandbox_needs_its_own_token(
    project: Path,
    fake: FakeTerraform,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A real org's OKTA_API_TOKEN must never be sent to a sandbox URL."""
    _real_org(monkeypatch)
    monkeypatch.setenv("EGRESS_GUARD_SANDBOX", "1")
    monkeypatch.setenv("EGRESS_GUARD_SANDBOX_URL", SANDBOX_URL)
    assert main(["terraform", "plan"]) == 1
    assert "EGRESS_GUARD_SANDBOX_TOKEN is not" in capsys.readouterr().err
    assert main(["drift", "--config", str(EXAMPLE), "--no-events"]) == 1
    assert "EGRESS_GUARD_SANDBOX_TOKEN is not" in capsys.readouterr().err
    assert not Path(f"{fake.log}.argv").exists()

    monkeypatch.setenv("EGRESS_GUARD_SANDBOX_TOKEN", "sandbox-token")
    assert main(["terraform", "plan"]) == 0
    assert fake.seen("OKTA_API_TOKEN") == "sandbox-token"
    assert fake.seen("OKTA_HTTP_PROXY") == SANDBOX_URL
