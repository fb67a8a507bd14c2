"""Emulator tests: they reach the sandbox through the `okta_sandbox` pytest plugin's fixtures
(`sandbox`, `sandbox_factory`, `okta`, `stand_in`) and never import the tool (`generator`)."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.sandbox)
