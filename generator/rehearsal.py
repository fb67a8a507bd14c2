"""The one bridge from the tool to the Okta emulator (`okta_sandbox`) and the provider stand-in.

The emulator is a separate package, installed with the `sandbox` extra
(`pip install 'okta-egress-guard[sandbox]'`, which adds `tf` and `filelock`). Everything in
`generator` that rehearses against it (`--sandbox`, `EGRESS_GUARD_SANDBOX=1`, `demo`,
`sandbox serve`) goes through this module, which turns a missing extra or the emulator's own
usage errors into egress-guard input errors.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import InputError

if TYPE_CHECKING:
    from okta_sandbox.api import Sandbox
    from okta_sandbox.provider.launcher import StandIn as StandIn

EXTRA_HINT = (
    "the local Okta sandbox needs the `sandbox` extra: pip install 'okta-egress-guard[sandbox]' "
    "(`make install` in a checkout installs it)"
)


class SandboxUnavailableError(InputError):
    """The `sandbox` extra is not installed."""


def _require_extra() -> None:
    try:
        import filelock  # noqa: F401
        import tf  # noqa: F401
    except ImportError as error:
        raise SandboxUnavailableError(f"{EXTRA_HINT} ({error.name} is missing)") from None


@contextmanager
def _sandbox_errors() -> Iterator[None]:
    from okta_sandbox.core.errors import SandboxError

    try:
        yield
    except SandboxError as error:
        raise InputError(str(error)) from error


@contextmanager
def sandbox_org(seed: str = "default", state_file: Path | None = None) -> Iterator[Sandbox]:
    """A sandbox org in a thread of this process, stopped on exit."""
    _require_extra()
    from okta_sandbox import Sandbox

    with _sandbox_errors(), Sandbox.start(seed=seed, state_file=state_file) as sandbox:
        yield sandbox


@contextmanager
def provider_stand_in() -> Iterator[StandIn]:
    """The okta/okta provider stand-in installed in a temporary directory for one command."""
    _require_extra()
    from okta_sandbox.provider.launcher import temporary_stand_in

    with temporary_stand_in() as stand_in:
        yield stand_in


def install_stand_in(directory: Path) -> StandIn:
    """The provider stand-in installed in `directory` (kept until the caller removes it)."""
    _require_extra()
    from okta_sandbox.provider.launcher import install

    return install(directory)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    from okta_sandbox.cli import add_serve_arguments as add

    add(parser)


def serve(args: argparse.Namespace) -> int:
    _require_extra()
    from okta_sandbox.cli import serve as run

    with _sandbox_errors():
        return run(args)
