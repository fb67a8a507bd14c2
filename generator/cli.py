"""`egress-guard` command line: one sub-command per concern, each registered by its own module."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence

from generator import __version__
from generator.errors import EXIT_FAILURE, EgressGuardError, describe_unexpected

# Each module exposes `register(subparsers)`, which adds its sub-command(s) and sets
# `func=handler` on the parser; the handler takes the parsed namespace and returns an exit code.
COMMAND_MODULES: tuple[str, ...] = (
    "generator.commands.init",
    "generator.commands.generate",
    "generator.commands.report",
    "generator.commands.github",
    "generator.commands.sandbox",
    "generator.commands.drift",
    "generator.commands.admin_console",
    "generator.commands.terraform",
    "generator.commands.demo",
    "generator.commands.simulate",
    "generator.commands.watch",
    "generator.commands.respond",
)

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="egress-guard",
        description="Restrict Okta admin sessions to trusted egress IPs, as code.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="egress-guard: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    handler: Handler = args.func
    try:
        code = handler(args)
        sys.stdout.flush()  # a reader that went away (`| head`) shows up here, not at exit
        return code
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_FAILURE
    except EgressGuardError as error:
        print(f"egress-guard: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("egress-guard: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as error:  # never a traceback: it can carry secrets (headers, env values)
        print(f"egress-guard: error: {describe_unexpected(error)}", file=sys.stderr)
        return EXIT_FAILURE


def _discard_stdout() -> None:
    """The reader closed the pipe: send what is left to /dev/null so that the interpreter's
    final flush does not print a traceback (as the Python docs on SIGPIPE advise)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a file descriptor (captured in tests): nothing will flush to it


if __name__ == "__main__":
    raise SystemExit(main())
