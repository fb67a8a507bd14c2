"""Shared pytest fixtures: sandbox Okta orgs and the Okta OpenAPI response validator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from generator.sandbox import Sandbox

SHARED = Path(__file__).resolve().parents[2] / "shared"
OKTA_SPEC = SHARED / "okta" / "management-minimal.yaml"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh `default` sandbox org served from a thread of the test process."""
    with Sandbox.start(seed="default", mode="thread") as running:
        yield running


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    """`sandbox_factory(seed=..., state_file=..., latency_ms=..., mode=..., faults=...)`;
    every sandbox it starts is stopped at the end of the test."""
    with ExitStack() as stack:

        def start(**kwargs: Any) -> Sandbox:
            return stack.enter_context(Sandbox.start(**kwargs))

        yield start


@pytest.fixture(scope="session")
def openapi_validator() -> Any:
    """`openapi_validator.check(requests_response)` raises AssertionError listing every way the
    body differs from the response schema of Okta's spec; `.errors(...)` returns them."""
    from generator.sandbox.specvalidate import SpecValidator

    return SpecValidator.load(OKTA_SPEC)


@pytest.fixture
def okta(sandbox: Sandbox, openapi_validator: Any) -> Iterator[Any]:
    """requests session on `sandbox` (paths relative to the org URL, SSWS token set); every
    response it receives must match Okta's spec, checked when the test ends."""
    from generator.sandbox.specvalidate import ValidatingSession

    session = ValidatingSession(openapi_validator, sandbox.org_url, sandbox.api_token)
    yield session
    session.close()
    session.assert_clean()
