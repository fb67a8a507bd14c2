"""OAuth 2.0 client credentials with a private_key_jwt assertion, as okta/okta authenticates a
service app: one signed assertion per token request, the token reused until it expires."""

from __future__ import annotations

import threading
import time
import uuid

import jwt
import requests
import requests.auth

TOKEN_PATH = "/oauth2/v1/token"


class OAuthError(Exception):
    """The token request was refused, or the key cannot sign."""


class PrivateKeyJwt(requests.auth.AuthBase):
    def __init__(
        self, base_url: str, client_id: str, private_key: str, key_id: str | None, scopes: list[str]
    ) -> None:
        self._base_url = base_url
        self._client_id = client_id
        self._private_key = private_key
        self._key_id = key_id
        self._scopes = " ".join(scopes)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    def __repr__(self) -> str:
        return f"PrivateKeyJwt(client_id={self._client_id!r}, key=<redacted>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        with self._lock:
            if self._token is None or time.time() >= self._expires_at:
                self._token, self._expires_at = self._request_token()
            request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def _assertion(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self._client_id,
            "sub": self._client_id,
            "aud": self._base_url + TOKEN_PATH,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        }
        headers = {"kid": self._key_id} if self._key_id else None
        try:
            return jwt.encode(claims, self._private_key, algorithm="RS256", headers=headers)
        except (ValueError, TypeError, jwt.PyJWTError) as error:
            raise OAuthError(
                f"private_key is not a usable RSA key ({type(error).__name__})"
            ) from None

    def _request_token(self) -> tuple[str, float]:
        response = requests.post(
            self._base_url + TOKEN_PATH,
            data={
                "grant_type": "client_credentials",
                "scope": self._scopes,
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": self._assertion(),
            },
            headers={"Accept": "application/json"},
            timeout=30,
        )
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or "access_token" not in body:
            error = body.get("error", "") if isinstance(body, dict) else ""
            raise OAuthError(f"POST {TOKEN_PATH}: HTTP {response.status_code} {error}".rstrip())
        lifetime = float(body.get("expires_in", 3600))
        return str(body["access_token"]), time.time() + max(0.0, lifetime - 60)
