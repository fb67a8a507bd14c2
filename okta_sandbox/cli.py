"""`python -m okta_sandbox serve` (also `egress-guard sandbox serve`): a local Okta org over HTTP.

Prints the org URL and an API token (sandbox-only credentials) and serves until interrupted.
Exit codes: 0 stopped cleanly; 2 invalid arguments (bad fault spec, unknown seed, bad state file,
unusable --spec, or the response audit requested without a spec).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from okta_sandbox.core.errors import SandboxError

# okta_sandbox.seeds.SEEDS, named here so that the tool can add these options without importing
# the seeds (and the `sandbox` extra they need); a test checks that both agree.
SEED_NAMES = ("default", "empty", "large", "attacks", "hardened", "admins")

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
DEFAULT_APP_SCOPES = (
    "okta.networkZones.manage okta.policies.manage okta.apps.manage okta.groups.read "
    "okta.users.read okta.logs.read okta.apiTokens.manage okta.roles.read "
    "okta.threatInsights.manage"
)


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 0")
    return value


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback)")
    serve.add_argument("--port", type=int, default=0, help="port (default 0: a free port)")
    serve.add_argument(
        "--state", type=Path, help="state file (reused if it exists; log in FILE.logs.jsonl)"
    )
    serve.add_argument(
        "--seed",
        default="default",
        choices=SEED_NAMES,
        help="initial org when the state file does not exist yet",
    )
    serve.add_argument(
        "--latency-ms", type=_non_negative, default=0, help="added latency per request"
    )
    serve.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="inject a fault: KIND[=VALUE][xCOUNT][@PATH_PREFIX] (repeatable)",
    )
    serve.add_argument(
        "--rate-limit-multiplier",
        type=float,
        default=1.0,
        help="scale the per-endpoint rate limits (0 lifts them: 1,000,000 a minute)",
    )
    serve.add_argument(
        "--service-app-key",
        type=Path,
        metavar="PEM",
        help="register an OAuth service app with this public key (PEM)",
    )
    serve.add_argument(
        "--service-app-scopes",
        default=DEFAULT_APP_SCOPES,
        help="scopes granted to --service-app-key's app",
    )
    spec = serve.add_mutually_exclusive_group()
    spec.add_argument(
        "--spec",
        type=Path,
        metavar="FILE",
        help="Okta's OpenAPI spec (management-minimal.yaml) to validate request bodies against "
        "(default: $EGRESS_GUARD_OKTA_SPEC, else ../shared/okta/ beside a source checkout)",
    )
    spec.add_argument(
        "--no-spec",
        action="store_true",
        help="no spec-based request validation (the sandbox's own Okta rules only)",
    )
    serve.add_argument(
        "--json",
        action="store_true",
        help="print one JSON line {org_url, api_token, spec[, client_id]} on start",
    )


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; raises SandboxError for unusable arguments."""
    from okta_sandbox.api import open_store
    from okta_sandbox.core.faults import FaultSpecError, parse_fault
    from okta_sandbox.core.oauth import register_client
    from okta_sandbox.core.server import SandboxHTTPServer
    from okta_sandbox.spec.source import OFF_NOTE, resolve, say_once, validator_for

    spec_path = resolve(False if args.no_spec else args.spec)
    validator = validator_for(spec_path)
    for spec in args.fault:
        try:
            parse_fault(spec)
        except FaultSpecError as exc:
            raise SandboxError(f"--fault: {exc}") from exc
    if args.host not in LOOPBACK:
        print(
            f"okta-sandbox: warning: bound to {args.host}, not loopback; anyone who can reach "
            "it can use the printed token",
            file=sys.stderr,
        )
    try:
        store = open_store(args.seed, args.state)
    except (ValueError, OSError) as exc:
        raise SandboxError(f"--state {args.state}: {exc}") from exc
    client_id = None
    with store.transaction(write=args.service_app_key is not None) as state:
        token = str(state["secrets"]["primary"])
        if args.service_app_key is not None:
            try:
                pem = args.service_app_key.read_text(encoding="utf-8")
            except OSError as exc:
                raise SandboxError(f"--service-app-key {args.service_app_key}: {exc}") from exc
            client_id = register_client(
                state, "egress-guard service app", pem, args.service_app_scopes.split()
            )
    try:
        server = SandboxHTTPServer(
            (args.host, args.port), store, args.latency_ms, args.rate_limit_multiplier, validator
        )
    except OSError as exc:
        raise SandboxError(f"--host {args.host} --port {args.port}: {exc.strerror}") from exc
    for spec in args.fault:
        server.faults.add(spec)
    if spec_path is None:
        say_once(OFF_NOTE)
    signal.signal(signal.SIGTERM, _stop)  # before the banner: a client may stop us right after
    try:
        _print_banner(server.org_url, token, client_id, spec_path, args.json)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _print_banner(
    org_url: str, token: str, client_id: str | None, spec_path: Path | None, as_json: bool
) -> None:
    """What a client needs to use the sandbox: its URL and (sandbox-only) credentials."""
    if as_json:
        spec = str(spec_path) if spec_path else None
        info = {"org_url": org_url, "api_token": token, "spec": spec}
        print(json.dumps(info | ({"client_id": client_id} if client_id else {})), flush=True)
        return
    print(f"Okta sandbox org: {org_url}", flush=True)
    print(f"API token (sandbox only): {token}", flush=True)
    if client_id:
        print(f"OAuth service app client id: {client_id}", flush=True)
    checks = f"Okta's spec {spec_path}" if spec_path else "off (the sandbox's own rules only)"
    print(f"Spec-based request validation: {checks}", flush=True)
    print("export OKTA_ORG_URL=" + org_url, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m okta_sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_serve_arguments(commands.add_parser("serve", help="serve a sandbox org over HTTP"))
    args = parser.parse_args(argv)
    try:
        return serve(args)
    except SandboxError as exc:
        print(f"okta-sandbox: error: {exc}", file=sys.stderr)
        return 2
