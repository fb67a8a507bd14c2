"""Request/response values, the route table entry, and pagination shared by all route modules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from okta_sandbox.core.errors import OktaError, not_found

if TYPE_CHECKING:
    from okta_sandbox.spec.validate import SpecValidator

State = dict[str, Any]


@dataclass
class Principal:
    """Who is calling: an SSWS token's user or an OAuth service app, and the scopes it holds."""

    kind: str  # "ssws" | "oauth" | "anonymous"
    actor_id: str
    actor_type: str  # "User" | "PublicClientApp"
    alternate_id: str
    display_name: str
    scopes: frozenset[str] | None = None  # None: all (SSWS tokens carry their admin's rights)
    token_id: str | None = None


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    base_url: str
    client_ip: str
    request_id: str
    principal: Principal | None = None
    spec: SpecValidator | None = None  # the server's: request bodies checked against Okta's spec

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def int_arg(self, name: str, default: int, maximum: int | None = None) -> int:
        """The integer query parameter `name`; -1 (also as the default) means the maximum."""
        raw = self.arg(name)
        try:
            value = default if raw is None else int(raw)
        except ValueError as exc:
            raise OktaError("E0000001", f"{name}: '{raw}' is not an integer") from exc
        if value < 1 and value != -1:
            raise OktaError("E0000001", f"{name}: must be a positive integer")
        if maximum is not None and (value > maximum or value == -1):
            value = maximum
        return value

    def json(self) -> dict[str, Any]:
        """The body as a JSON object; Okta answers E0000003 when it is not well-formed."""
        try:
            value = json.loads(self.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OktaError("E0000003") from exc
        if not isinstance(value, dict):
            raise OktaError("E0000003")
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.arg(name)
        return default if raw is None else raw.lower() == "true"


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # Query to put in the `rel="next"` link; None: no next page.
    next_query: dict[str, str] | None = None
    link_header: bool = True  # a list answer's `Link: <...>; rel="self"` (and next)
    raw: bytes | None = None  # a non-JSON body (unused by Okta routes, kept for the token endpoint)


Handler = Callable[[Request, State, dict[str, str]], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    scope: str | None  # OAuth scope needed; None: no scope check (token endpoint, well-known)
    bucket: str  # rate-limit bucket
    write: bool = False
    auth: bool = True


def route(
    method: str,
    template: str,
    handler: Handler,
    scope: str | None,
    bucket: str,
    write: bool = False,
    auth: bool = True,
) -> Route:
    """`template` uses `{name}` placeholders for path segments."""
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return Route(method, re.compile(f"^{regex}$"), handler, scope, bucket, write, auth)


def paginate(
    items: Sequence[dict[str, Any]], after: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Okta's id cursor: `after` is the id of the last item of the previous page."""
    start = 0
    if after:
        for index, item in enumerate(items):
            if item.get("id") == after:
                start = index + 1
                break
        else:
            raise OktaError("E0000029", causes=[f"after: Invalid cursor '{after}'"])
    page = list(items[start : start + limit])
    has_more = start + limit < len(items)
    return page, (page[-1]["id"] if has_more and page else None)


def list_response(req: Request, page: list[dict[str, Any]], next_after: str | None) -> Response:
    next_query = None
    if next_after is not None:
        next_query = {key: values[-1] for key, values in req.query.items()}
        next_query["after"] = next_after
    return Response(200, page, next_query=next_query)


def paged_response(
    req: Request,
    items: Sequence[dict[str, Any]],
    present: Callable[[dict[str, Any]], dict[str, Any]],
    default_limit: int,
    max_limit: int,
) -> Response:
    """The page of `items` that `after` and `limit` ask for, each shown by `present`."""
    page, next_after = paginate(
        items, req.arg("after"), req.int_arg("limit", default_limit, max_limit)
    )
    return list_response(req, [present(item) for item in page], next_after)


def lookup(items: dict[str, Any], key: str, what: str) -> dict[str, Any]:
    """`items[key]`, or Okta's E0000007 naming the key and the kind of object `what`, as Okta
    words it: "Not found: Resource not found: nzo... (NetworkZone)" (recorded:
    ../shared/okta/recordings/terraform-provider-okta/TestAccResourceOktaNetworkZone_ipNormalization)."""
    item = items.get(key)
    if item is None:
        raise not_found(f"Resource not found: {key} ({what})")
    return item  # type: ignore[no-any-return]


def href(base_url: str, path: str, *allow: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"href": f"{base_url}{path}"}
    if allow:
        entry["hints"] = {"allow": list(allow)}
    return entry


def lifecycle_link(base_url: str, path: str, status: str) -> dict[str, Any]:
    """The `_links` entry for the lifecycle toggle an object in `status` offers."""
    toggle = "deactivate" if status == "ACTIVE" else "activate"
    return {toggle: href(base_url, f"{path}/lifecycle/{toggle}", "POST")}


def reject_unknown(body: dict[str, Any], allowed: set[str], where: str) -> None:
    """Okta refuses unknown properties on these objects with E0000003 (body not well-formed)."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise OktaError("E0000003", causes=[f"{where}: unknown property '{unknown[0]}'"])
