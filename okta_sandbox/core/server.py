"""HTTP front of the sandbox: routing table, auth, rate limits, faults and Okta's wire format."""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from okta_sandbox.core import control, oauth
from okta_sandbox.core.audit import ResponseAudit
from okta_sandbox.core.errors import Denied, OktaError, unchecked_body
from okta_sandbox.core.faults import Fault, FaultSet
from okta_sandbox.core.routing import Request, Response, Route
from okta_sandbox.core.store import Store
from okta_sandbox.urls import DEFAULT_RATE_LIMIT, GUARDS, RATE_LIMITS, ROUTES

if TYPE_CHECKING:
    from okta_sandbox.spec.validate import SpecValidator

LOG = logging.getLogger("egress_guard.sandbox")
_JSON = json.JSONEncoder(separators=(",", ":"), check_circular=False)  # bodies are plain trees


# Enforcement off (multiplier 0): a bucket no client uses up in a minute, counted down like any
# other. Reporting the nominal limit with a remaining count that never falls would contradict
# itself: a client counting its own requests down (as Okta's clients should, answers arriving
# late) would pause for a reset that a real org with that much headroom never needs.
LIFTED_LIMIT = 1_000_000


class RateLimiter:
    """Fixed one-minute windows per bucket, reported in X-Rate-Limit-* headers."""

    def __init__(self, multiplier: float) -> None:
        self.multiplier = multiplier
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, int], int] = {}

    def hit(self, bucket: str) -> tuple[int, int, int, bool]:
        """Count one request; return (limit, remaining, reset epoch, allowed)."""
        nominal = RATE_LIMITS.get(bucket, DEFAULT_RATE_LIMIT)
        limit = max(1, int(nominal * self.multiplier)) if self.multiplier > 0 else LIFTED_LIMIT
        window = int(time.time() // 60)
        with self._lock:
            used = self._counts.get((bucket, window), 0) + 1
            self._counts[(bucket, window)] = used
            for key in [k for k in self._counts if k[1] < window]:
                del self._counts[key]
        return limit, max(0, limit - used), (window + 1) * 60, used <= limit


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        store: Store,
        latency_ms: int = 0,
        rate_limit_multiplier: float = 1.0,
        spec: SpecValidator | None = None,
    ) -> None:
        """`spec`: Okta's spec to check request bodies (and, on request, responses) against;
        see `specsource.validator_for`."""
        self.audit = ResponseAudit.from_env(spec)  # opt-in; before binding: may refuse
        super().__init__(address, SandboxRequestHandler)
        self.store = store
        self.spec = spec
        self.faults = FaultSet()
        self.latency_ms = latency_ms
        self.rate_limiter = RateLimiter(rate_limit_multiplier)

    @property
    def org_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def _match(method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
    """The route for (method, path), its path parameters (percent-decoded one by one, as Okta
    reads `a%2Bb@example.com` as a login), and whether the path exists at all."""
    path_known = False
    for candidate in ROUTES:
        found = candidate.pattern.match(path)
        if found is None:
            continue
        path_known = True
        if candidate.method == method:
            return candidate, {k: unquote(v) for k, v in found.groupdict().items()}, True
    return None, {}, path_known


class SandboxRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SandboxHTTPServer

    def version_string(self) -> str:
        return "nginx"

    def setup(self) -> None:
        super().setup()
        # Headers and body are written separately: without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        LOG.debug("%s %s", self.address_string(), format % args)

    def _request(self) -> Request:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        host = self.headers.get("Host") or self.server.org_url.removeprefix("http://")
        return Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            base_url=f"http://{host}",
            client_ip=_client_ip(self.headers.get("X-Forwarded-For"), self.client_address[0]),
            request_id=secrets.token_urlsafe(16)[:20],
            spec=self.server.spec,
        )

    def _handle(self) -> None:
        req = self._request()
        if req.path.startswith(control.PREFIX):
            self._send(req, control.handle(self.server, req), None, [])
            return
        fired = self.server.faults.take(req.path)
        delay = self.server.latency_ms + sum(f.value for f in fired if f.kind == "latency")
        if delay:
            time.sleep(delay / 1000)
        if any(f.kind == "drop" for f in fired):
            self._drop()
            return
        limits = None
        try:
            response, limits = self._dispatch(req, fired)
        except OktaError as error:
            response = Response(error.status, error.body(), dict(error.headers))
            if error.code == "E0000006" and "WWW-Authenticate" in error.headers:
                response.body = None  # insufficient_scope: Okta answers with an empty body
        except Exception:
            response = _unexpected(req, traceback.format_exc())
        self._send(req, response, limits, fired)

    def _dispatch(
        self, req: Request, fired: list[Fault]
    ) -> tuple[Response, tuple[int, int, int] | None]:
        for fault in fired:
            if fault.kind in FAULT_CODES:
                code = FAULT_CODES[fault.kind]
                limits = (
                    (
                        RATE_LIMITS.get(req.path, DEFAULT_RATE_LIMIT),
                        0,
                        int(time.time() // 60 + 1) * 60,
                    )
                    if fault.kind == "429"
                    else None
                )
                error = OktaError(code)
                return Response(error.status, error.body()), limits
        route, params, path_known = _match(req.method, req.path)
        if route is None:
            if path_known:
                raise OktaError("E0000022")
            raise OktaError("E0000007", f"Resource not found: {req.path} (Path)")
        limit, remaining, reset, allowed = self.server.rate_limiter.hit(route.bucket)
        limits = (limit, remaining, reset)
        if not allowed:
            error = OktaError("E0000047")
            return Response(429, error.body()), limits
        try:
            with self.server.store.transaction(write=route.write) as state:
                if route.auth:
                    req.principal = oauth.principal_for(state, req.headers.get("authorization"))
                    for guard in GUARDS:
                        guard(req, state)
                    if route.scope and not oauth.has_scope(req.principal, route.scope):
                        raise oauth.insufficient_scope(req, route.scope)
                return route.handler(req, state, params), limits
        except Denied as denied:
            with self.server.store.transaction(write=True) as state:
                denied.log(state)
            raise denied.error from None

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(
        self,
        req: Request,
        response: Response,
        limits: tuple[int, int, int] | None,
        fired: list[Fault],
    ) -> None:
        payload = b"" if response.body is None else _JSON.encode(response.body).encode("utf-8")
        headers: list[tuple[str, str]] = []
        if payload:
            headers.append(("Content-Type", "application/json"))
        limit, remaining, reset = limits or (
            DEFAULT_RATE_LIMIT,
            DEFAULT_RATE_LIMIT,
            int(time.time() // 60 + 1) * 60,
        )
        headers += [
            ("X-Okta-Request-Id", req.request_id),
            ("X-Rate-Limit-Limit", str(limit)),
            ("X-Rate-Limit-Remaining", str(remaining)),
            ("X-Rate-Limit-Reset", str(reset)),
            *response.headers.items(),
        ]
        if response.status == 200 and isinstance(response.body, list) and response.link_header:
            headers += self._links(req, response, fired)
        headers.append(("Content-Length", str(len(payload))))
        if self.server.audit is not None:
            self.server.audit.check(
                req.method, req.path, response.status, response.body, dict(headers)
            )
        self.send_response(response.status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if any(f.kind == "truncate" for f in fired) and payload:
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self._drop()
            return
        self.wfile.write(payload)

    def _links(self, req: Request, response: Response, fired: list[Fault]) -> list[tuple[str, str]]:
        current = {k: v[-1] for k, v in req.query.items()}
        links = [("Link", f'<{_url(req, current)}>; rel="self"')]
        next_query = response.next_query
        if (
            next_query is not None
            and any(f.kind == "repeat-cursor" for f in fired)
            and ("after" in current)
        ):
            next_query = current
        if next_query is not None:
            links.append(("Link", f'<{_url(req, next_query)}>; rel="next"'))
        return links


# the Okta error each response-replacing fault answers with
FAULT_CODES = {
    "403": "E0000006",
    "429": "E0000047",
    "500": "E0000009",
    "501": "E0000060",
    "503": "E0000010",
}


def _unexpected(req: Request, trace: str) -> Response:
    """A handler failure: 500, unless a sandbox without Okta's spec was sent a body with a value
    of a type it does not check (e.g. `"type": ["IP"]`): refused as not well-formed, not a 5xx."""
    if req.spec is None and req.body and req.method in ("POST", "PUT"):
        LOG.warning("sandbox handler failed on an unchecked body (answered 400):\n%s", trace)
        error = unchecked_body()
        return Response(error.status, error.body())
    LOG.error("sandbox handler failed:\n%s", trace)
    return Response(500, OktaError("E0000009").body())


def _client_ip(forwarded_for: str | None, peer: str) -> str:
    """The caller's IP as Okta logs it: the first X-Forwarded-For hop when present (so tests and
    demos can play an admin calling from a given egress IP), else the TCP peer."""
    first = (forwarded_for or "").split(",")[0].strip()
    return first or peer


def _url(req: Request, query: dict[str, str]) -> str:
    return f"{req.base_url}{req.path}" + (f"?{urlencode(query)}" if query else "")
