"""Locate the JSON Schemas shipped in `schemas/`: beside the package in a checkout or an editable
install, or under `<prefix>/share/okta-egress-guard/schemas` in a regular wheel install."""

from __future__ import annotations

import sys
from pathlib import Path

_CANDIDATES = (
    Path(__file__).resolve().parents[1] / "schemas",
    Path(sys.prefix) / "share" / "okta-egress-guard" / "schemas",
)


def schema_path(name: str) -> Path:
    """Path of schema file `name` (e.g. "config.schema.json"); the first existing candidate."""
    for directory in _CANDIDATES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(directory) for directory in _CANDIDATES)
    raise FileNotFoundError(f"JSON Schema {name} not found (searched {searched})")
