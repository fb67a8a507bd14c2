"""Request bodies checked against the operation's request schema in Okta's spec (readOnly
properties ignored, discriminators followed) before a handler looks at them, so a wrong type
anywhere in a body is a 400 naming the field, never a 500 and never stored. A sandbox started
without the spec skips this check; its handlers' own Okta rules still apply."""

from __future__ import annotations

from typing import Any

from okta_sandbox.core.errors import OktaError, validation
from okta_sandbox.core.routing import Request


def checked(req: Request, body: dict[str, Any]) -> dict[str, Any]:
    """`body` if it matches the request schema of `req`'s operation; else 400 E0000001 with
    one errorCause per mismatch (`field: reason`). Unchecked when the server has no spec."""
    if req.spec is None:
        return body
    problems = req.spec.request_problems(req.method, req.path, body)
    if problems:
        causes = [f"{p.field or 'body'}: {p.message}" for p in problems]
        raise validation(problems[0].field or "body", *causes)
    return body


def reject_unknown_keys(value: Any, allowed: set[str], where: str) -> None:
    """Okta refuses properties it does not know inside these objects too (400 E0000003)."""
    if not isinstance(value, dict):
        return
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise OktaError("E0000003", causes=[f"{where}.{unknown[0]}: unknown property"])
