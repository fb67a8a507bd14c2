"""The repository's committed terraform/generated/ is what the example config generates (the same
check pr.yml runs with `generate --check`)."""

import pytest
from paths import REPO

from generator.cli import main

EXAMPLE = REPO / "examples" / "egress-policy.yaml"


def test_committed_generated_terraform_is_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    exit_code = main(["generate", "--config", str(EXAMPLE), "--check", "--offline"])
    assert exit_code == 0, capsys.readouterr().err
