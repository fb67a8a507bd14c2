"""Shared pytest fixtures (sandbox Okta orgs) and the session-wide spec audit.

Every sandbox started during the session (thread or child process, by any test or helper)
validates request bodies and each response it serves against Okta's spec, because
`pytest_configure` sets EGRESS_GUARD_OKTA_SPEC (the shared spec) and
EGRESS_GUARD_SANDBOX_VALIDATE for the session; `pytest_sessionfinish` fails the run when any
violation was recorded and lists them. The spec's extract is built at most once (cached on
disk by generator/sandbox/specsource.py), so sandbox starts do not pay for it; the cache is
pytest's (XDG_CACHE_HOME points into .pytest_cache), never the user's ~/.cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from oauth_support import new_rsa_key_pems

from generator.sandbox import Sandbox, specsource
from generator.sandbox.audit import ENV, read_violations

# The caller's Okta and sandbox settings never reach a test (nor the processes it starts): a
# test that sets only some of them would otherwise mix in a developer's real org credentials.
CALLER_ENV = (
    "OKTA_ORG_URL", "OKTA_ORG_NAME", "OKTA_BASE_URL", "OKTA_API_TOKEN", "OKTA_ACCESS_TOKEN",
    "OKTA_API_CLIENT_ID", "OKTA_API_PRIVATE_KEY", "OKTA_API_PRIVATE_KEY_ID", "OKTA_API_SCOPES",
    "OKTA_HTTP_PROXY", "EGRESS_GUARD_SANDBOX", "EGRESS_GUARD_SANDBOX_URL",
    "EGRESS_GUARD_SANDBOX_TOKEN", "EGRESS_GUARD_COMMENT_AUTHOR",
)  # fmt: skip
SHARED = Path(__file__).resolve().parents[2] / "shared"
OKTA_SPEC = SHARED / "okta" / "management-minimal.yaml"
_AUDIT_DIR = "egress_guard_audit_dir"


def pytest_configure(config: pytest.Config) -> None:
    cache = getattr(config, "cache", None)  # None with -p no:cacheprovider
    if cache is not None:
        xdg = cache.mkdir("xdg-cache")
    else:
        xdg = Path(tempfile.mkdtemp(prefix="egress-guard-xdg-"))
    os.environ["XDG_CACHE_HOME"] = str(xdg)  # inherited by sandbox child processes
    if OKTA_SPEC.is_file():  # else keep an inherited one (a conftest copied elsewhere)
        os.environ[specsource.ENV] = str(OKTA_SPEC)
        # Build (or read) the cached extract now: no sandbox child process has to build it.
        specsource.validator_for(OKTA_SPEC)
    directory = tempfile.mkdtemp(prefix="egress-guard-spec-audit-")
    os.environ[ENV] = directory
    setattr(config, _AUDIT_DIR, directory)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    directory = getattr(session.config, _AUDIT_DIR, None)
    if directory is None:
        return
    violations = read_violations(Path(directory))
    shutil.rmtree(directory, ignore_errors=True)
    if not violations:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "sandbox responses that differ from Okta's spec", red=True)
        for violation in violations:
            reporter.write_line(f"{violation['request']} -> {violation['status']}:")
            for problem in violation["problems"]:
                reporter.write_line(f"    {problem}")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


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


@pytest.fixture
def okta(sandbox: Sandbox) -> Iterator[Any]:
    """requests session on `sandbox`: paths relative to the org URL, its SSWS token set."""
    from generator.sandbox.session import OrgSession

    with OrgSession(sandbox.org_url, sandbox.api_token) as session:
        yield session
