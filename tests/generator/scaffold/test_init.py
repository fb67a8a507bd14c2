"""`egress-guard init`: the scaffold a policy repository starts from, its placeholders, the
packaged templates being the repository's own files, and CONFIG-derived Terraform roots."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from paths import REPO
from terraform_support import FakeTerraform

from generator import __version__
from generator.cli import main
from generator.scaffold import PLACEHOLDER, repository_files, scaffold_files

EXPECTED = {
    "egress-policy.yaml",
    ".gitignore",
    "README.md",
    "terraform/versions.tf",
    "terraform/providers.tf",
    "terraform/main.tf",
    "terraform/variables.tf",
    "terraform/backend.tf.example",
    ".github/workflows/pr.yml",
    ".github/workflows/apply.yml",
    ".github/workflows/drift.yml",
    ".github/workflows/watch.yml",
    ".github/workflows/ip-refresh.yml",
}
EDITS = {
    "<CHANGE ME: a corporate egress CIDR, e.g. 198.51.100.0/24>": "198.51.100.0/24",
    "<CHANGE ME: the name of your Okta admin group>": "Okta Administrators",
    "<CHANGE ME: the login of a break-glass account>": "breakglass@example.com",
}


def edit(config: Path) -> None:
    """What a user does after init: replace every placeholder (a documentation range here, so
    it is also allowed)."""
    text = config.read_text(encoding="utf-8")
    for placeholder, value in EDITS.items():
        text = text.replace(f'"{placeholder}"', value)
    text = text.replace("allow_ranges: []", "allow_ranges: [198.51.100.0/24]")
    config.write_text(text, encoding="utf-8")


def test_the_repositorys_root_module_and_workflows_are_the_packaged_templates() -> None:
    """One source: terraform/*.tf and .github/workflows/ are what init renders for this
    repository's layout (fix with scripts/sync-scaffold.py after editing the templates)."""
    for name, text in repository_files().items():
        assert (REPO / name).read_text(encoding="utf-8") == text, (
            f"{name} differs from generator/scaffold/templates: run scripts/sync-scaffold.py"
        )


def test_init_writes_the_scaffold_with_pinned_workflows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "repo")]) == 0
    written = {
        str(p.relative_to(tmp_path / "repo")) for p in (tmp_path / "repo").rglob("*") if p.is_file()
    }
    assert written == EXPECTED
    assert "egress-policy.yaml" in capsys.readouterr().out
    for name in EXPECTED:
        if name.startswith(".github/workflows/"):
            workflow = (tmp_path / "repo" / name).read_text(encoding="utf-8")
            assert "make install" not in workflow and ".venv" not in workflow
            assert f'python -m pip install "okta-egress-guard=={__version__}"' in workflow
            assert "EGRESS_GUARD_CONFIG: egress-policy.yaml" in workflow
            assert "@@" not in workflow
    main_tf = (tmp_path / "repo" / "terraform" / "main.tf").read_text(encoding="utf-8")
    assert 'source = "./generated"' in main_tf
    config = yaml.safe_load((tmp_path / "repo" / "egress-policy.yaml").read_text())
    assert config["output"]["dir"] == "terraform/generated"


def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "terraform").mkdir()
    (tmp_path / "terraform" / "main.tf").write_text("# mine\n")
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "refusing to overwrite existing files: terraform/main.tf" in err
    assert (tmp_path / "terraform" / "main.tf").read_text() == "# mine\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["main.tf", "terraform"]


def test_init_into_a_file_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert main(["init", str(tmp_path / "file")]) == 2


def test_placeholders_refuse_to_generate_naming_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    capsys.readouterr()
    config = tmp_path / "egress-policy.yaml"
    assert main(["generate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "3 placeholder(s)" in err
    for where in ("egress.corporate[0]", "okta.admin_groups[0]", "okta.break_glass.users[0]"):
        assert f"{config}: {where}: replace the placeholder '{PLACEHOLDER}" in err
    assert not (tmp_path / "terraform" / "generated").exists()
    # an unquoted placeholder (YAML reads it as a mapping) is still named
    text = config.read_text().replace(
        '"<CHANGE ME: the name of your Okta admin group>"', "<CHANGE ME: admins>"
    )
    config.write_text(text)
    assert main(["generate", "--config", str(config)]) == 2
    assert "okta.admin_groups[0]: replace the placeholder '<CHANGE ME'" in capsys.readouterr().err


def test_edited_scaffold_generates_into_its_own_root_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    edit(tmp_path / "egress-policy.yaml")
    assert main(["generate", "--config", str(tmp_path / "egress-policy.yaml"), "--offline"]) == 0
    generated = tmp_path / "terraform" / "generated"
    assert (generated / "egress-guard.lock.json").is_file()
    assert {p.name for p in generated.glob("*.tf")} >= {"zones.tf", "session_policy.tf"}
    assert "wrote" in capsys.readouterr().out


def test_scaffold_files_are_the_init_output() -> None:
    assert set(scaffold_files()) == EXPECTED


# ---- make plan/apply/drift CONFIG=... ----------------------------------------------------------


def test_make_targets_honour_config_everywhere() -> None:
    done = subprocess.run(
        ["make", "-n", "plan", "apply", "drift", "generate", "CONFIG=site/acme.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = [line for line in done.stdout.splitlines() if "egress-guard " in line]
    assert len(commands) == 4  # generate, plan, apply (plans itself), drift
    for command in commands:
        assert re.search(r"--config site/acme\.yaml\b", command), command


def test_terraform_runs_the_root_module_of_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeTerraform
) -> None:
    assert main(["init", str(tmp_path / "repo")]) == 0
    edit(tmp_path / "repo" / "egress-policy.yaml")
    monkeypatch.chdir(tmp_path)  # anywhere: the root module comes from the config
    monkeypatch.setenv("TERRAFORM_BIN", str(fake.binary))
    monkeypatch.setenv("FAKE_LOG", str(fake.log))
    assert main(["terraform", "--config", "repo/egress-policy.yaml", "validate"]) == 0
    assert fake.cwd() == (tmp_path / "repo" / "terraform").resolve()


def test_a_config_whose_output_has_no_root_module_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    edit(tmp_path / "egress-policy.yaml")
    (tmp_path / "terraform" / "main.tf").write_text("# no module call\n")
    capsys.readouterr()
    assert main(["terraform", "--config", str(tmp_path / "egress-policy.yaml"), "plan"]) == 1
    err = capsys.readouterr().err
    assert "no *.tf file there calls the generated module" in err
    assert 'source = "./generated"' in err


def test_a_bad_config_is_exit_1_for_terraform_never_2(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0  # placeholders left in
    code = main(["terraform", "--config", str(tmp_path / "egress-policy.yaml"), "plan"])
    assert code == 1  # 2 would read as "changes present" for plan --detailed-exitcode
