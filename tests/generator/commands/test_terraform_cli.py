"""`egress-guard terraform ...` and `egress-guard demo` through the real CLI entry point."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from terraform_support import CONFIG_COPY, REPO, render_root_module

from generator.cli import main


@pytest.fixture
def no_org(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Okta or sandbox settings (conftest) and the embedded Terraform core."""
    monkeypatch.delenv("TERRAFORM_BIN", raising=False)


def test_apply_without_plan_or_auto_approve_is_refused(
    no_org: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OKTA_ORG_URL", "https://acme.okta.com")
    monkeypatch.setenv("OKTA_API_TOKEN", "not-used")
    (tmp_path / "main.tf").write_text("")
    (tmp_path / ".terraform" / "modules").mkdir(parents=True)
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text("{}")
    assert main(["terraform", "--dir", str(tmp_path), "apply"]) == 1  # gated: no --config


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
    assert "Plan: 6 to add" in capsys.readouterr().out
    config = str(project / "terraform" / CONFIG_COPY)
    assert main(["terraform", "--config", config, "apply", "p.tfplan"]) == 0  # gate passes
    assert main(["terraform", "plan", "--detailed-exitcode"]) == 0  # org persisted in .sandbox
    assert (project / ".sandbox" / "org.json").is_file()
    assert not (project / "terraform" / "terraform.tfstate").exists()  # real state untouched
    shutil.rmtree(project / ".sandbox")


def _project_with_an_edited_lock(target: Path) -> Path:
    """examples/ and terraform/ of the repository, with a lock file that records 20 more
    corporate CIDRs than the config has: read by mistake, it would trip generate's shrink check
    and make drift report the zone."""
    shutil.copytree(REPO / "examples", target / "examples")
    shutil.copytree(
        REPO / "terraform",
        target / "terraform",
        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "*.tfplan"),
    )
    lock = target / "terraform" / "generated" / "egress-guard.lock.json"
    document = json.loads(lock.read_text())
    extra = [f"192.0.2.{n}/32" for n in range(1, 21)]
    for entry in document["shards"] + document["sources"]:
        if entry.get("group", entry.get("name")) == "corporate":
            entry["gateways" if "gateways" in entry else "cidrs"] += extra
    lock.write_text(json.dumps(document, indent=2) + "\n")
    return lock


@pytest.mark.terraform
def test_demo_runs_the_whole_loop_in_its_own_temporary_copy(
    no_org: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = _project_with_an_edited_lock(tmp_path / "project")
    edited = lock.read_text()
    config = tmp_path / "project" / "examples" / "egress-policy.yaml"
    code = main(["demo", "--config", str(config), "--terraform-dir", str(lock.parent.parent)])
    out, err = capsys.readouterr()
    assert code == 0, (out + err)[-3000:]
    for step in range(1, 13):
        assert f"[{step}/12]" in out
    assert "[1/12] install" in out and "Terraform 1." in out
    # Okta's own controls: the opt-ins applied by Terraform (a token imported, not created),
    # one control failing, then fixed through the API
    assert "Plan: 1 to import, 9 to add, 1 to change, 0 to destroy." in out
    assert "FAIL admin-console-session: Admin Console session lifetime: 720 min" in out
    assert "egress-guard admin-console --apply: exit 0 (as expected)" in out
    # a user who signs in with a password alone, then the fix (mfa:) and a second factor
    assert "yes: a password alone gets pat@example.com in" in out
    assert "- a session from anywhere: Global Session Policy 'Default Policy'" in out
    assert "pat@example.com now needs a second factor everywhere (one factor: no)" in out
    assert "egress-guard drift: exit 0 (as expected)" in out
    assert "egress-guard drift: exit 2 (as expected)" in out
    assert "terraform plan -detailed-exitcode: exit 2 (as expected)" in out
    assert "'Temporary - console from anywhere' at priority 1 of the Admin Console" in out
    assert "okta_app_signon_policy_rules.admin_console.rule[" in out  # drift names the rule
    assert str(lock) not in out + err  # the project's lock was never consulted ...
    assert lock.read_text() == edited  # ... nor rewritten
    assert not (lock.parent.parent / "terraform.tfstate").exists()
    removed = re.search(r"sandbox stopped; removed (\S+)", out)
    assert removed is not None and not Path(removed.group(1)).exists()


def test_offline_init_failure_explains_the_sandbox() -> None:
    from generator.terraform_runner import TfResult
    from generator.terraform_session import init_hint

    stderr = "│ Error: Failed to query available provider packages\n│ could not connect to "
    stderr += "registry.terraform.io: failed to request discovery document\n"
    assert "--sandbox" in str(init_hint(TfResult(("init",), 1, "", stderr)))
    assert init_hint(TfResult(("init",), 0, "", "")) is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "the following arguments are required: ACTION"),
        (["planx"], "invalid choice: 'planx'"),
        (["plan", "--bogus"], "unrecognized arguments: --bogus"),
        (["--dir"], "argument --dir: expected one argument"),
    ],
)
def test_usage_errors_exit_1_never_the_changes_code(
    no_org: None, arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["terraform", *arguments])
    assert caught.value.code == 1  # 2 is "changes present" for plan --detailed-exitcode
    err = capsys.readouterr().err
    assert "usage: egress-guard terraform" in err and message in err
