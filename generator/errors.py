"""Error types and the exit codes they map to (Terraform-style: 0 ok, 1 error/refused, 2 input)."""

from __future__ import annotations

import traceback
from pathlib import Path

EXIT_OK = 0
EXIT_FAILURE = 1  # stale output (--check), unsafe change refused, runtime error
EXIT_INVALID_INPUT = 2  # invalid config, feed or CIDR (generate/sources)
EXIT_DRIFT = 2  # drift found (drift command); never shared with an error in that command


class EgressGuardError(Exception):
    """Base class: a message fit for users, and the exit code the CLI returns for it."""

    exit_code = EXIT_FAILURE


class InputError(EgressGuardError):
    """Invalid user input: config file, IP feed, CIDR. Message names the file/field/value."""

    exit_code = EXIT_INVALID_INPUT


class RefusedError(EgressGuardError):
    """A safety rail refused the change (shrink threshold, lockout preflight)."""

    exit_code = EXIT_FAILURE


class StaleOutputError(EgressGuardError):
    """`generate --check`: the committed output differs from what would be generated."""

    exit_code = EXIT_FAILURE


def describe_unexpected(error: BaseException) -> str:
    """One line for an unexpected exception: its type and where it was raised. Neither its
    message nor a traceback: they can hold request headers or environment values (secrets)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return (
        f"internal error: {type(error).__name__}{where} (details withheld: they may contain "
        "credentials); please report it"
    )
