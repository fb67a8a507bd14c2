"""Where tests find the repository, its test data and ../shared (Okta's public data)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
DATA = TESTS / "data"
SHARED = REPO.parent / "shared"
SHARED_OKTA = SHARED / "okta"
OKTA_SPEC = SHARED_OKTA / "management-minimal.yaml"
