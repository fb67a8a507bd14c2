"""The provider stand-in's schemas, as Terraform core reports them, match okta/okta's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from provider_schema import EXTRA_SCHEMA, SHARED_SCHEMA, extra_schema, reference_schema

from generator.terraform_runner import make_runner
from okta_sandbox.provider.launcher import StandIn

pytestmark = pytest.mark.terraform

PROVIDER = "registry.terraform.io/okta/okta"
FLAGS = ("type", "required", "optional", "computed", "deprecated", "sensitive")
REQUIRED_PROVIDERS = """terraform {
  required_providers {
    okta = { source = "okta/okta", version = "= 7.0.0" }
  }
}
"""


def _shape(block: dict[str, Any]) -> dict[str, Any]:
    """What a configuration depends on: names, types, flags, nesting; not descriptions."""
    return {
        "attributes": {
            name: {k: a[k] for k in FLAGS if a.get(k)}
            for name, a in block.get("attributes", {}).items()
        },
        "blocks": {
            name: {
                "nesting_mode": nested["nesting_mode"],
                "min_items": nested.get("min_items", 0),
                "max_items": nested.get("max_items", 0),
                "block": _shape(nested["block"]),
            }
            for name, nested in block.get("block_types", {}).items()
        },
    }


@pytest.fixture(scope="module")
def reported(stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("schema")
    (workdir / "versions.tf").write_text(REQUIRED_PROVIDERS)
    schemas: dict[str, Any] = make_runner(workdir, stand_in.env()).providers_schema()
    return schemas["provider_schemas"][PROVIDER]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    """../shared's reference, plus the project's subset for what it lacks (cited source)."""
    return reference_schema()


def test_the_project_subset_only_adds_what_the_shared_reference_lacks() -> None:
    shared = json.loads(SHARED_SCHEMA.read_text())["provider_schemas"][PROVIDER]
    for kind, schemas in extra_schema().items():
        assert not set(schemas) & set(shared.get(kind, {})), kind
    assert (
        "resource_okta_app_signon_policy_rules.go" in json.loads(EXTRA_SCHEMA.read_text())["source"]
    )


def test_same_resource_and_data_source_types(
    reported: dict[str, Any], reference: dict[str, Any]
) -> None:
    for kind in ("resource_schemas", "data_source_schemas"):
        assert sorted(reported[kind]) == sorted(reference[kind])


@pytest.mark.parametrize("kind", ["resource_schemas", "data_source_schemas"])
def test_every_type_has_the_reference_shape(
    reported: dict[str, Any], reference: dict[str, Any], kind: str
) -> None:
    for type_name, schema in reference[kind].items():
        assert _shape(reported[kind][type_name]["block"]) == _shape(schema["block"]), type_name


def test_provider_block_has_the_reference_shape(
    reported: dict[str, Any], reference: dict[str, Any]
) -> None:
    assert _shape(reported["provider"]["block"]) == _shape(reference["provider"]["block"])


def test_a_misnamed_attribute_fails_validate_as_with_the_real_provider(
    stand_in: StandIn, tmp_path: Path
) -> None:
    (tmp_path / "main.tf").write_text(
        REQUIRED_PROVIDERS
        + 'resource "okta_network_zone" "z" {\n  name = "x"\n  type = "IP"\n'
        + '  gateway = ["192.0.2.1"]\n}\n'
    )
    result = make_runner(tmp_path, stand_in.env()).validate()
    assert result.exit_code == 1
    assert 'An argument named "gateway" is not expected here' in result.diagnostics()
