"""Minimal Okta Management API client for the provider stand-in (raw JSON over requests).

Retries like okta/okta: 429 waits until `X-Rate-Limit-Reset` (bounded by max_wait), 5xx and
connection failures back off exponentially; both are bounded by max_retries.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests
import requests.auth

NOT_FOUND = 404


class ApiError(Exception):
    """An Okta error response: HTTP status, errorCode, errorSummary and errorCauses."""

    def __init__(self, method: str, path: str, status: int, body: Any) -> None:
        self.status = status
        body = body if isinstance(body, dict) else {}
        self.code = str(body.get("errorCode", ""))
        self.summary = str(body.get("errorSummary", "") or f"HTTP {status}")
        causes = body.get("errorCauses") or []
        self.causes = [str(c.get("errorSummary", c)) for c in causes if isinstance(c, dict)]
        super().__init__(f"the Okta API returned {status} {self.code}: {self.summary}".strip())
        self.detail = f"{method} {path}" + "".join(f"\n  cause: {c}" for c in self.causes)


class HeaderAuth(requests.auth.AuthBase):
    """A fixed Authorization header (SSWS or Bearer token), never shown in reprs."""

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return "HeaderAuth(<redacted>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._value
        return request


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    min_wait: float = 0.2  # first 5xx/connection back-off, seconds
    max_wait: float = 30.0  # upper bound of any single wait, seconds


class OktaApi:
    def __init__(
        self,
        base_url: str,
        auth: requests.auth.AuthBase | str,
        retry: RetryPolicy = RetryPolicy(),
        timeout: float | None = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry
        self.timeout = timeout
        # a plain string is a complete Authorization header value ("SSWS ...", "Bearer ...")
        self.auth = HeaderAuth(auth) if isinstance(auth, str) else auth
        self.headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": "egress-guard-provider-standin/1 okta-terraform-compatible",
        }
        # every request as sent (method, path and query), for tests of the request sequence
        self.journal: list[str] | None = None

    def _wait(self, response: requests.Response | None, attempt: int) -> float:
        if response is not None and response.status_code == 429:
            reset = response.headers.get("X-Rate-Limit-Reset", "")
            delay = float(reset) - time.time() if reset.isdigit() else 1.0
            return min(max(delay, 0.05) + 0.05, self.retry.max_wait)
        return float(min(self.retry.min_wait * (2**attempt), self.retry.max_wait))

    def request(
        self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None
    ) -> requests.Response:
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        if self.journal is not None:
            shown = url.removeprefix(self.base_url)
            query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
            self.journal.append(f"{method} {shown}" + (f"?{query}" if query else ""))
        attempt = 0
        while True:
            response: requests.Response | None = None
            try:
                response = requests.request(
                    method,
                    url,
                    json=body,
                    params=params,
                    headers=self.headers,
                    auth=self.auth,
                    timeout=self.timeout,
                )
            except requests.ConnectionError:
                if attempt >= self.retry.max_retries:
                    raise
            if response is not None:
                retryable = response.status_code == 429 or response.status_code >= 500
                if not retryable or attempt >= self.retry.max_retries:
                    return self._checked(method, path, response)
            time.sleep(self._wait(response, attempt))
            attempt += 1

    @staticmethod
    def _checked(method: str, path: str, response: requests.Response) -> requests.Response:
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            raise ApiError(method, path, response.status_code, body)
        return response

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        return self.request("GET", path, params=params).json()

    def get_or_none(self, path: str) -> Any:
        try:
            return self.get(path)
        except ApiError as error:
            if error.status == NOT_FOUND:
                return None
            raise

    def post(self, path: str, body: Any = None) -> Any:
        response = self.request("POST", path, body)
        return response.json() if response.content else None

    def put(self, path: str, body: Any = None) -> Any:
        response = self.request("PUT", path, body)
        return response.json() if response.content else None

    def delete(self, path: str) -> None:
        self.request("DELETE", path)

    def list(self, path: str, params: dict[str, str] | None = None) -> list[Any]:
        """Every page of a collection, following `Link: <...>; rel="next"`."""
        items: list[Any] = []
        response = self.request("GET", path, params=params)
        while True:
            items.extend(response.json() or [])
            next_url = response.links.get("next", {}).get("url")
            if not next_url:
                return items
            response = self.request("GET", next_url)
