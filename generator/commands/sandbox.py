"""`egress-guard sandbox serve`: run the local Okta org emulator (`okta_sandbox`) over HTTP.

Prints the org URL and an API token (sandbox-only credentials) and serves until interrupted.
Exit codes: 0 stopped cleanly; 2 invalid arguments (bad fault spec, unknown seed, bad state file,
unusable --spec, the response audit requested without a spec, or the `sandbox` extra missing).
"""

from __future__ import annotations

import argparse

from generator import rehearsal


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sandbox = subparsers.add_parser(
        "sandbox",
        help="local Okta org emulator (Management API subset)",
        description="Local Okta org emulator for rehearsals, demos and tests.",
    )
    commands = sandbox.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND")
    commands.required = True
    serve = commands.add_parser(
        "serve",
        help="serve a sandbox org over HTTP",
        description="Serve a sandbox Okta org. State lives in --state (a JSON file, plus its "
        "System Log in FILE.logs.jsonl, shared by every process that uses them); without "
        "--state the org lives in memory.",
    )
    rehearsal.add_serve_arguments(serve)
    serve.set_defaults(func=rehearsal.serve)
