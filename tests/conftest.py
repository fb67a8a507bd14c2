"""Shared pytest fixtures: sandbox Okta orgs and the Okta OpenAPI response validator.

Sandboxes started by `sandbox` / `sandbox_factory` (thread mode) record every response they
serve; at teardown each one is validated against Okta's spec and the test errors on a mismatch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from generator.sandbox import Sandbox

SHARED = Path(__file__).resolve().parents[2] / "shared"
OKTA_SPEC = SHARED / "okta" / "management-minimal.yaml"


@pytest.fixture(scope="session")
def openapi_validator() -> Any:
    """`openapi_validator.check(requests_response)` raises AssertionError listing every way the
    body differs from the response schema of Okta's spec; `.errors(...)` returns them."""
    from generator.sandbox.specvalidate import SpecValidator

    return SpecValidator.load(OKTA_SPEC)


def _assert_served_per_spec(sandbox: Sandbox, validator: Any) -> None:
    exchanges = sandbox.exchanges()
    problems = [line for exchange in exchanges for line in validator.exchange_errors(exchange)]
    assert not problems, "the sandbox served responses that differ from Okta's spec:\n" + (
        "\n".join(problems)
    )


@pytest.fixture
def sandbox(openapi_validator: Any) -> Iterator[Sandbox]:
    """A fresh `default` sandbox org served from a thread of the test process."""
    with Sandbox.start(seed="default", mode="thread", record=True) as running:
        yield running
        _assert_served_per_spec(running, openapi_validator)


@pytest.fixture
def sandbox_factory(openapi_validator: Any) -> Iterator[Callable[..., Sandbox]]:
    """`sandbox_factory(seed=..., state_file=..., latency_ms=..., mode=..., faults=...)`;
    every sandbox it starts is stopped (and its responses checked) at the end of the test."""
    started: list[Sandbox] = []
    with ExitStack() as stack:

        def start(**kwargs: Any) -> Sandbox:
            kwargs.setdefault("record", kwargs.get("mode", "thread") == "thread")
            running = stack.enter_context(Sandbox.start(**kwargs))
            started.append(running)
            return running

        yield start
        for running in started:
            _assert_served_per_spec(running, openapi_validator)


@pytest.fixture
def okta(sandbox: Sandbox) -> Iterator[Any]:
    """requests session on `sandbox`: paths relative to the org URL, its SSWS token set."""
    from generator.sandbox.specvalidate import OrgSession

    with OrgSession(sandbox.org_url, sandbox.api_token) as session:
        yield session
