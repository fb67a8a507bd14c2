"""pytest plugin: sandbox Okta orgs as fixtures, and a session-wide audit against Okta's spec.

Load it with `pytest_plugins = ["okta_sandbox.pytest_plugin"]` in a conftest (or `-p
okta_sandbox.pytest_plugin`). Fixtures: `sandbox` (a fresh `default` org in a thread),
`sandbox_factory` (start more, stopped at the end of the test), `okta` (a requests session on
`sandbox`), `stand_in` (the provider stand-in, per module).

With the ini option `okta_sandbox_spec` (a path to Okta's `management-minimal.yaml`, relative
to the rootdir) every sandbox started during the session, in a thread or a child process,
validates request bodies and every response it serves against the spec; the run fails, listing
them, when any response differed. The spec's extract is cached under pytest's cache directory
(XDG_CACHE_HOME), never the user's ~/.cache.
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

from okta_sandbox.api import Sandbox
from okta_sandbox.core.audit import ENV as AUDIT_ENV
from okta_sandbox.core.audit import read_violations
from okta_sandbox.core.session import OrgSession
from okta_sandbox.provider.launcher import StandIn, install
from okta_sandbox.spec import source as specsource

_AUDIT_DIR = "okta_sandbox_audit_dir"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "okta_sandbox_spec",
        "Okta's OpenAPI spec (management-minimal.yaml) the sandboxes validate against; "
        "relative to the rootdir",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    cache = getattr(config, "cache", None)  # None with -p no:cacheprovider
    if cache is not None:
        os.environ["XDG_CACHE_HOME"] = str(cache.mkdir("xdg-cache"))  # children inherit it
    elif not os.environ.get("XDG_CACHE_HOME"):
        os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="okta-sandbox-xdg-")
    named = str(config.getini("okta_sandbox_spec"))
    spec = Path(config.rootpath, named).resolve() if named else None
    if spec is None or not spec.is_file():
        return  # no spec: sandboxes apply their own Okta rules only, and nothing is audited
    os.environ[specsource.ENV] = str(spec)
    specsource.validator_for(spec)  # build the cached extract once, before any child starts
    directory = tempfile.mkdtemp(prefix="okta-sandbox-spec-audit-")
    os.environ[AUDIT_ENV] = directory
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
def okta(sandbox: Sandbox) -> Iterator[OrgSession]:
    """requests session on `sandbox`: paths relative to the org URL, its SSWS token set."""
    with OrgSession(sandbox.org_url, sandbox.api_token) as session:
        yield session


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    """The okta/okta provider stand-in installed into a temporary directory, per module."""
    installed = install(tmp_path_factory.mktemp("standin"))
    yield installed
    installed.remove()
