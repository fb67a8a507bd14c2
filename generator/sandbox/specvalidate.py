"""Validate HTTP responses against Okta's OpenAPI spec (openapi-core), for the fidelity tests.

Test-only helper (needs the `test` extra: openapi-core, pyyaml); the product never imports it.
The spec is 3.4 MB: `SpecValidator.load` parses it once (cache the object per test session).
Okta's published spec does not pass strict OpenAPI validation itself, so spec validation is off.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import yaml

from generator.sandbox.server import Exchange


class SpecValidator:
    def __init__(self, spec: dict[str, Any]) -> None:
        from openapi_core import Config, OpenAPI

        spec = dict(spec)
        # Our responses come from http://127.0.0.1:PORT; the spec's server is the org domain.
        spec["servers"] = [{"url": "/"}]
        self._api = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))
        self.checked: list[str] = []
        self.unchecked: list[str] = []
        self.spec = spec  # the parsed spec (with servers rewritten), for other tools
        self._templates = [
            (re.compile("^" + re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(path)) + "$"), path)
            for path in sorted(spec["paths"], key=lambda p: p.count("{"))
        ]

    @classmethod
    def load(cls, path: Path) -> SpecValidator:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with path.open(encoding="utf-8") as handle:
            return cls(yaml.load(handle, Loader=loader))

    def errors(self, response: requests.Response) -> list[str]:
        """Every mismatch between `response` and the spec's response for its operation.

        Paths the spec does not document are recorded in `unchecked`; an error status the
        operation does not document is checked against Okta's `Error` object shape.
        """
        from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
        from openapi_core.templating.paths.exceptions import PathError
        from openapi_core.templating.responses.exceptions import ResponseNotFound
        from openapi_core.validation.response.exceptions import MissingData

        request = response.request
        parts = urlsplit(str(request.url))
        label = f"{request.method} {parts.path} {response.status_code}"
        request.url = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            self._api.validate_response(
                RequestsOpenAPIRequest(request), RequestsOpenAPIResponse(response)
            )
        except PathError:
            self.unchecked.append(label)
            return []
        except ResponseNotFound:
            self.checked.append(label)
            return _error_shape(response) if response.status_code >= 400 else []
        except MissingData:
            # openapi-core trips on the spec's empty `content: {}` (no body documented)
            if not self._documents_body(request.method or "", parts.path, response.status_code) or (
                _insufficient_scope(response)
            ):
                self.checked.append(label)
                return []
            return [f"  {label}: the spec requires a body, the response has none"]
        except Exception as exc:
            return _describe(exc)
        finally:
            request.url = parts.geturl()
        self.checked.append(label)
        return []

    def exchange_errors(self, exchange: Exchange) -> list[str]:
        """`errors()` for a response the sandbox recorded (see `Sandbox.exchanges`)."""
        from requests.structures import CaseInsensitiveDict

        prepared = requests.Request(
            exchange.method, exchange.url, data=exchange.request_body or None
        ).prepare()
        response = requests.Response()
        response.status_code = exchange.status
        response.headers = CaseInsensitiveDict()
        for name, value in exchange.headers:
            if name.lower() != "link":
                response.headers[name] = value
        response._content = exchange.body
        response.url = exchange.url
        response.request = prepared
        found = self.errors(response)
        return [f"{exchange.method} {exchange.url} -> {exchange.status}:", *found] if found else []

    def _documents_body(self, method: str, path: str, status: int) -> bool:
        """Whether the spec documents a body for this operation's `status` response."""
        for pattern, template in self._templates:
            if pattern.match(path):
                operation = self.spec["paths"][template].get(method.lower())
                if operation is None:
                    continue
                entry = operation.get("responses", {}).get(str(status), {})
                ref = entry.get("$ref", "")
                if ref:
                    entry = self.spec["components"]["responses"][ref.rsplit("/", 1)[-1]]
                return bool(entry.get("content"))
        return True

    def check(self, response: requests.Response) -> None:
        problems = self.errors(response)
        if problems:
            request = response.request
            raise AssertionError(
                f"{request.method} {request.url} -> {response.status_code} does not match the "
                f"Okta spec:\n" + "\n".join(problems)
            )


def _describe(exc: BaseException) -> list[str]:
    found: list[str] = []
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        schema_errors = getattr(current, "schema_errors", None)
        if schema_errors:
            for error in schema_errors:
                where = "/".join(str(p) for p in error.absolute_path)
                found.append(f"  at /{where}: {error.message[:300]}")
        elif current.__cause__ is None:
            found.append(f"  {type(current).__name__}: {str(current)[:300]}")
        if current.__cause__ is not None:
            stack.append(current.__cause__)
    return sorted(set(found))


ERROR_FIELDS = {
    "errorCode": str,
    "errorSummary": str,
    "errorLink": str,
    "errorId": str,
    "errorCauses": list,
}


def _error_shape(response: requests.Response) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        return [f"  status {response.status_code}: body is not JSON"]
    if not isinstance(body, dict):
        return [f"  status {response.status_code}: error body is not an object"]
    return [
        f"  /{name}: missing or not a {kind.__name__}"
        for name, kind in ERROR_FIELDS.items()
        if not isinstance(body.get(name), kind)
    ]


def _insufficient_scope(response: requests.Response) -> bool:
    challenge = response.headers.get("WWW-Authenticate", "")
    return response.status_code == 403 and 'error="insufficient_scope"' in challenge


class OrgSession(requests.Session):
    """A requests session for one org: paths relative to the org URL, SSWS auth."""

    def __init__(self, org_url: str, token: str | None) -> None:
        super().__init__()
        self.org_url = org_url
        if token is not None:
            self.headers["Authorization"] = f"SSWS {token}"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith("/"):
            text = self.org_url + text
        kwargs.setdefault("timeout", 30)
        return super().request(method, text, *args, **kwargs)


class ValidatingSession(OrgSession):
    """An `OrgSession` whose every response is checked against the spec (findings collected in
    `problems`; call `assert_clean()`). For responses captured from real or fake orgs."""

    def __init__(self, validator: SpecValidator, org_url: str, token: str | None) -> None:
        super().__init__(org_url, token)
        self.validator = validator
        self.problems: list[str] = []
        self.hooks["response"].append(self._check)

    def _check(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        found = self.validator.errors(response)
        if found:
            request = response.request
            self.problems.append(
                f"{request.method} {request.url} -> {response.status_code}:\n" + "\n".join(found)
            )

    def assert_clean(self) -> None:
        assert not self.problems, "responses that differ from Okta's spec:\n" + "\n".join(
            self.problems
        )
