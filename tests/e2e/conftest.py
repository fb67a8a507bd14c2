"""End-to-end tests: real Terraform core, the provider stand-in and sandbox orgs.

Every test here carries the `terraform` marker (`pytest -m "not terraform"` skips them all).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from terraform_support import render_root_module

from generator.terraform_runner import make_runner
from okta_sandbox.provider.launcher import StandIn


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.terraform)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, stand_in: StandIn) -> Path:
    """The example config rendered into a temp root module, initialised once with the module's
    `stand_in` (copies of it need no `terraform init` of their own)."""
    root = render_root_module(tmp_path_factory.mktemp("rendered"))
    make_runner(root, stand_in.env()).init().check()
    return root
