"""The lockout preflight inside `generate`: refuse (exit 1, nothing written) unless --force."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from paths import REPO

from generator.cli import main

ROOT = REPO


def config_with(tmp_path: Path, operator_ips: list[str]) -> Path:
    document = yaml.safe_load((ROOT / "examples" / "egress-policy.yaml").read_text())
    document["okta"]["operator_ips"] = operator_ips
    document["output"]["dir"] = str(tmp_path / "generated")
    path = tmp_path / "egress-policy.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_generate_refuses_when_an_operator_range_loses_access(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_with(tmp_path, ["8.8.8.0/29"])
    out = tmp_path / "generated"
    assert main(["generate", "--config", str(config), "--offline"]) == 1
    err = capsys.readouterr().err
    assert "preflight FAIL [operator-access] operator range 8.8.8.0/29" in err
    assert "lockout preflight failed" in err and "nothing was written" in err
    assert not out.exists() or not any(out.iterdir())
    assert main(["generate", "--config", str(config), "--offline", "--force"]) == 0
    assert "--force given" in capsys.readouterr().err
    assert (out / "session_policy.tf").is_file()


def test_generate_passes_with_an_operator_range_inside_the_trusted_ranges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_with(tmp_path, ["198.51.100.16/28"])
    assert main(["generate", "--config", str(config), "--offline"]) == 0
    assert "preflight ok:" in capsys.readouterr().err
    assert (tmp_path / "generated" / "zones.tf").is_file()
