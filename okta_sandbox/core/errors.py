"""Okta error responses: the few error codes the sandbox answers with, embedded (the product ships
without ../shared), and the exception route handlers raise to produce them."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# code -> (HTTP status, errorSummary template); texts as in Okta's published error catalogue.
ERROR_CODES: dict[str, tuple[int, str]] = {
    "E0000001": (400, "Api validation failed: {0}"),
    "E0000003": (400, "The request body was not well-formed."),
    "E0000006": (403, "You do not have permission to perform the requested action"),
    "E0000007": (404, "Not found: {0}"),
    "E0000009": (500, "Internal Server Error"),
    "E0000010": (503, "Service is in read only mode"),
    "E0000011": (401, "Invalid token provided"),
    "E0000022": (405, "The endpoint does not support the provided HTTP method"),
    "E0000029": (400, "Invalid paging request."),
    "E0000031": (400, "Invalid search criteria."),
    "E0000047": (429, "API call exceeded rate limit due to too many requests."),
    "E0000053": (400, "Invalid SCIM filter."),
    "E0000056": (403, "Delete application forbidden."),
    "E0000060": (501, "Unsupported operation."),
    "E0000090": (409, "The role specified is already assigned to the user."),
    "E0000211": (400, "Roles cannot be granted to built-in groups: {0}"),
}


def new_error_id() -> str:
    """Okta error ids look like `oaeXXXXXXXXXXXXXXXXXXXXXX` (22 url-safe chars after the prefix)."""
    return "oae" + secrets.token_urlsafe(16)[:22]


@dataclass
class OktaError(Exception):
    """Raised by handlers; the server turns it into Okta's error body and status."""

    code: str
    detail: str = ""
    causes: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    # The whole errorSummary, where an endpoint's documentation shows a specific one (the
    # System Log's E0000053 "Invalid parameter: The since parameter is over 180 days ...").
    summary: str | None = None

    @property
    def status(self) -> int:
        return ERROR_CODES[self.code][0]

    def body(self) -> dict[str, Any]:
        summary = self.summary or ERROR_CODES[self.code][1]
        if self.summary is None and "{0}" in summary:
            summary = summary.format(self.detail)
        return {
            "errorCode": self.code,
            "errorSummary": summary,
            "errorLink": self.code,
            "errorId": new_error_id(),
            "errorCauses": [{"errorSummary": cause} for cause in self.causes],
        }


def validation(detail: str, *causes: str) -> OktaError:
    """E0000001 with errorCauses, the shape Okta uses for field-level validation failures."""
    return OktaError("E0000001", detail, list(causes) or [detail])


UNCHECKED_BODY = (
    "body: a value has a type the sandbox cannot use (without Okta's spec it does not check "
    "the types inside a body: start it with --spec FILE)"
)


def unchecked_body() -> OktaError:
    """A body value of a type only Okta's spec checks: refused as not well-formed."""
    return OktaError("E0000003", causes=[UNCHECKED_BODY])


def not_found(what: str) -> OktaError:
    return OktaError("E0000007", what)


class SandboxError(Exception):
    """A usage error of the sandbox itself (state file, spec, fault spec, bind address), as
    opposed to an Okta error it answers a client with."""


@dataclass
class Denied(Exception):
    """A request refused after authentication (a guard in the route table): `error` is the
    answer, `log(state)` records its System Log event in a write transaction of its own (the
    refused request's own transaction may be read-only, and is not persisted)."""

    error: OktaError
    log: Callable[[dict[str, Any]], None]
