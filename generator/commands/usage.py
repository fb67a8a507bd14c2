"""Usage errors that exit 1 instead of argparse's 2, for commands where 2 means a result; and
argument types shared by the sub-commands.

`drift` exits 2 for "drift found" and `terraform plan --detailed-exitcode` for "changes
present" (as Terraform, whose usage errors exit 1), so a mistyped option must not look like one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from generator.errors import EXIT_FAILURE


class ExitOneArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_FAILURE, f"{self.prog}: error: {message}\n")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # Left-over arguments would otherwise reach the top-level parser and exit 2.
        parsed, extra = super().parse_known_args(args, namespace)
        if extra:
            self.error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed, extra


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse `type`: a whole number of at least `minimum`, else a usage error naming it."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be at least {minimum}")
        return value

    return parse


def exit_one_on_usage_error(parser: argparse.ArgumentParser) -> None:
    """Make `parser` (a sub-command's) exit 1 on usage errors. Call it before adding
    sub-parsers to it: argparse builds them of their parent's class."""
    parser.__class__ = ExitOneArgumentParser
