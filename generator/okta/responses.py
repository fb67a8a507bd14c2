"""Reading Okta's answers: rate-limit headers and error objects as typed exceptions."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

import requests

from generator.okta.errors import (
    OktaApiError,
    OktaNotFoundError,
    OktaScopeError,
)
from generator.okta.scopes import scope_for


def int_header(response: requests.Response, name: str) -> int | None:
    value = response.headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def retry_after(response: requests.Response) -> float | None:
    value = int_header(response, "Retry-After")
    return float(value) if value is not None else None


def server_time(response: requests.Response) -> float | None:
    date = response.headers.get("Date")
    if not date:
        return None
    try:
        return parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError):
        return None


def _json_body(response: requests.Response) -> Any:
    """The parsed body; None when empty or not JSON."""
    try:
        return response.json() if response.content else None
    except ValueError:
        return None


def error_detail(response: requests.Response) -> str:
    """` E0000010: Service is unavailable` from an Okta error body, or "" without one."""
    body = _json_body(response)
    if not isinstance(body, dict):
        return ""
    code, summary = body.get("errorCode"), body.get("errorSummary")
    return "".join(part for part in (f" {code}" if code else "", f": {summary}" if summary else ""))


def api_error(
    method: str, path: str, response: requests.Response, kind: type[OktaApiError] | None = None
) -> OktaApiError:
    body = _json_body(response)
    code = summary = None
    causes: tuple[str, ...] = ()
    if isinstance(body, dict):
        code = body.get("errorCode")
        summary = body.get("errorSummary")
        raw_causes = body.get("errorCauses") or []
        causes = tuple(str(c.get("errorSummary")) for c in raw_causes if isinstance(c, dict))
    status = response.status_code
    if status == 403 and (
        body is None
        or "insufficient_scope" in response.headers.get("WWW-Authenticate", "")
        or code == "E0000006"
    ):
        return OktaScopeError(
            method,
            path,
            status,
            scope_for(method, path),
            **{k: v for k, v in (("error_code", code), ("error_summary", summary)) if v},
        )
    if kind is None:
        kind = OktaNotFoundError if status == 404 else OktaApiError
    hint = "check OKTA_API_TOKEN / the OAuth client" if status == 401 else None
    return kind(method, path, status, code, summary, causes, hint)
