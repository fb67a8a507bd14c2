"""Error types and the exit codes they map to (Terraform-style: 0 ok, 1 error/refused, 2 input)."""

from __future__ import annotations

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
