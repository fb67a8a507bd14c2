"""okta/okta's schema as the tests know it: the reference in ../shared/okta/provider-schema.json,
plus this project's subset for resource types it lacks (tests/data/provider-schema-extra.json,
written from the provider's source, which it cites)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from paths import DATA, SHARED

SHARED_SCHEMA = SHARED / "okta" / "provider-schema.json"
EXTRA_SCHEMA = DATA / "provider-schema-extra.json"
PROVIDER = "registry.terraform.io/okta/okta"


def _provider(path: Any) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data["provider_schemas"][PROVIDER])


@cache
def extra_schema() -> dict[str, Any]:
    return _provider(EXTRA_SCHEMA)


@cache
def reference_schema() -> dict[str, Any]:
    """The shared reference with the extra types added (the shared one wins for a type both
    have: the extra file is only for what the shared one lacks)."""
    merged = _provider(SHARED_SCHEMA)
    for kind in ("resource_schemas", "data_source_schemas"):
        merged[kind] = {**extra_schema().get(kind, {}), **merged.get(kind, {})}
    return merged
