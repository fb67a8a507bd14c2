"""Fixtures for the tool's own tests: a stand-in `terraform` binary (TERRAFORM_BIN)."""

from __future__ import annotations

import stat

import pytest
from terraform_support import FAKE_TERRAFORM, FakeTerraform


@pytest.fixture
def fake(tmp_path_factory: pytest.TempPathFactory) -> FakeTerraform:
    """A fake `terraform` binary in the test's temp dir that logs how it was called."""
    base = tmp_path_factory.mktemp("fake-terraform")
    binary = base / "terraform"
    binary.write_text(FAKE_TERRAFORM)
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return FakeTerraform(binary, base / "log")
