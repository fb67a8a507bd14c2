"""Sandbox-only control endpoints under `/__sandbox/` (not Okta API): state snapshot, faults and
OAuth service-app registration, so tests can drive a sandbox running in another process.
They need a valid SSWS token of the org."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from okta_sandbox.core import oauth
from okta_sandbox.core.errors import OktaError
from okta_sandbox.core.faults import FaultSpecError
from okta_sandbox.core.routing import Request, Response

if TYPE_CHECKING:
    from okta_sandbox.core.server import SandboxHTTPServer

PREFIX = "/__sandbox/"


def _body(req: Request) -> dict[str, Any]:
    try:
        value = json.loads(req.body or b"{}")
    except ValueError:  # not JSON, or not UTF-8
        value = None
    if not isinstance(value, dict):
        raise OktaError("E0000003")
    return value


def handle(server: SandboxHTTPServer, req: Request) -> Response:
    try:
        with server.store.transaction(write=False) as state:
            principal = oauth.principal_for(state, req.headers.get("authorization"))
            if principal.kind != "ssws":
                raise OktaError("E0000006")
            if (req.method, req.path) == ("GET", PREFIX + "state"):
                return Response(200, json.loads(json.dumps(state)))
        if (req.method, req.path) == ("POST", PREFIX + "faults"):
            try:
                fault = server.faults.add(str(_body(req).get("spec", "")))
            except FaultSpecError as exc:
                raise OktaError("E0000001", str(exc)) from exc
            return Response(200, {"kind": fault.kind, "path": fault.path})
        if (req.method, req.path) == ("GET", PREFIX + "faults"):
            return Response(200, [fault.spec() for fault in server.faults.specs()])
        if (req.method, req.path) == ("DELETE", PREFIX + "faults"):
            server.faults.clear()
            return Response(204)
        if (req.method, req.path) == ("POST", PREFIX + "service-apps"):
            body = _body(req)
            with server.store.transaction(write=True) as state:
                network = body.get("network")
                client_id = oauth.register_client(
                    state,
                    str(body.get("name", "Service app")),
                    str(body["publicKey"]),
                    [str(s) for s in body.get("scopes", [])],
                    network if isinstance(network, dict) else None,
                )
            return Response(200, {"clientId": client_id})
        raise OktaError("E0000007", f"Resource not found: {req.path} (Path)")
    except OktaError as error:
        return Response(error.status, error.body(), dict(error.headers))
    except KeyError as exc:
        return Response(400, OktaError("E0000001", f"missing {exc}").body())
