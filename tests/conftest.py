"""Fixtures for every test: the sandbox plugin, no caller Okta settings, one RSA key, the spec.

The `okta_sandbox` pytest plugin provides the sandbox fixtures and the session-wide audit of
every sandbox response against Okta's spec (`okta_sandbox_spec` in pyproject.toml points at
../shared/okta/management-minimal.yaml).
"""

from __future__ import annotations

from typing import Any

import pytest
from oauth_support import new_rsa_key_pems
from paths import OKTA_SPEC

from okta_sandbox.spec import source as specsource

pytest_plugins = ["okta_sandbox.pytest_plugin"]

# The caller's Okta and sandbox settings never reach a test (nor the processes it starts): a
# test that sets only some of them would otherwise mix in a developer's real org credentials.
CALLER_ENV = (
    "OKTA_ORG_URL", "OKTA_ORG_NAME", "OKTA_BASE_URL", "OKTA_API_TOKEN", "OKTA_ACCESS_TOKEN",
    "OKTA_API_CLIENT_ID", "OKTA_API_PRIVATE_KEY", "OKTA_API_PRIVATE_KEY_ID", "OKTA_API_SCOPES",
    "OKTA_HTTP_PROXY", "EGRESS_GUARD_SANDBOX", "EGRESS_GUARD_SANDBOX_URL",
    "EGRESS_GUARD_SANDBOX_TOKEN", "EGRESS_GUARD_COMMENT_AUTHOR",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _no_caller_okta_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CALLER_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def rsa_key_pems() -> tuple[str, str]:
    """One RSA key for the session's OAuth private_key_jwt tests: (private PEM, public PEM)."""
    return new_rsa_key_pems()


@pytest.fixture(scope="session")
def okta_spec() -> dict[str, Any]:
    """Okta's OpenAPI spec as parsed YAML (3.4 MB: parsed once per session, when needed)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with OKTA_SPEC.open(encoding="utf-8") as handle:
        spec: dict[str, Any] = yaml.load(handle, Loader=loader)
    return spec


@pytest.fixture(scope="session")
def spec_validator() -> Any:
    """The discriminator-aware validator the session's sandboxes use (the shared spec's)."""
    return specsource.validator_for(specsource.resolve(OKTA_SPEC))
