"""Workflow tests read `.github/workflows/` and run their steps with bash."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import REPO

WORKFLOWS = REPO / ".github" / "workflows"


@pytest.fixture(scope="session")
def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))
