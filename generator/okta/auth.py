"""Connection settings from the environment and the two authentication modes.

The variables are the ones the Okta Terraform provider reads, so one environment serves both:
OKTA_ORG_URL (else https://{OKTA_ORG_NAME}.{OKTA_BASE_URL}), OKTA_API_TOKEN (SSWS) or OAuth
`private_key_jwt` with OKTA_API_CLIENT_ID, OKTA_API_PRIVATE_KEY (PEM text or file path),
OKTA_API_PRIVATE_KEY_ID and OKTA_API_SCOPES.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests

from generator.okta.errors import OktaAuthError, OktaConfigError
from generator.okta.scopes import OPTIONAL_SCOPES, READ_SCOPES
from generator.sources.secrets import redact_url

log = logging.getLogger("generator.okta")

TOKEN_PATH = "/oauth2/v1/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_EXPIRY_MARGIN_SECONDS = 60.0
# Visible ASCII only: what an HTTP header (or a JWT claim) can carry without mangling. A value
# with a newline, a space or a non-ASCII character would otherwise fail deep inside `requests`,
# whose error repeats the header, i.e. the secret.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")
# The base64 body of a PEM key without its BEGIN/END lines (never a plausible file path).
_BARE_KEY_BODY = re.compile(r"[A-Za-z0-9+/=\s]{100,}")
# What to set when no org is configured: one text for drift, plan, apply (terraform_session).
NO_ORG_HELP = (
    "set OKTA_ORG_URL (or OKTA_ORG_NAME and OKTA_BASE_URL, e.g. okta.com) plus OKTA_API_TOKEN, "
    "or OKTA_API_CLIENT_ID and OKTA_API_PRIVATE_KEY (with OKTA_API_PRIVATE_KEY_ID and "
    "OKTA_API_SCOPES), for a real org; or rehearse against the local sandbox with "
    "EGRESS_GUARD_SANDBOX=1 (drift and terraform: also --sandbox)"
)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_org_url(url: str) -> str:
    """Validate the org URL: HTTPS, or plain HTTP only towards a loopback address (sandbox); no
    user name or password in it (never shown: it would be a credential)."""
    try:
        parts = urlsplit(url.strip())
        hostname, port = parts.hostname, parts.port
    except ValueError:
        raise OktaConfigError(f"OKTA_ORG_URL {redact_url(url)!r} is not an http(s) URL") from None
    if "@" in parts.netloc:
        raise OktaConfigError(
            "OKTA_ORG_URL contains a user name or password (user:pass@host); refused: give the "
            "org URL alone (https://acme.okta.com) and the credentials in OKTA_API_TOKEN or the "
            "OAuth variables (the value is not shown)"
        )
    shown = redact_url(url)[:200]
    if parts.scheme not in ("https", "http") or not hostname:
        raise OktaConfigError(f"OKTA_ORG_URL {shown!r} is not an http(s) URL")
    if parts.scheme == "http" and not _is_loopback(hostname):
        raise OktaConfigError(
            f"OKTA_ORG_URL {shown!r}: HTTPS is required (plain HTTP only for loopback addresses)"
        )
    return f"{parts.scheme}://{hostname if ':' not in hostname else f'[{hostname}]'}" + (
        f":{port}" if port is not None else ""
    )


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ORG_NAME = re.compile(_LABEL)
_BASE_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")


def org_url_from_env(env: Mapping[str, str]) -> str:
    """OKTA_ORG_URL, else https://{OKTA_ORG_NAME}.{OKTA_BASE_URL} as the Okta provider builds
    it. A misplaced part (OKTA_BASE_URL=https://okta.com, OKTA_ORG_NAME=acme.okta.com) is an
    error naming the host that would be built, not a request to a host nobody meant."""
    org_url = env.get("OKTA_ORG_URL", "").strip()
    if org_url:
        return normalise_org_url(org_url)
    org_name = env.get("OKTA_ORG_NAME", "").strip()
    base_url = env.get("OKTA_BASE_URL", "").strip()
    if not (org_name and base_url):
        raise OktaConfigError(f"no Okta org configured: {NO_ORG_HELP}")
    built = f"https://{org_name}.{base_url}"[:200]
    if not _ORG_NAME.fullmatch(org_name):
        raise OktaConfigError(
            "OKTA_ORG_NAME must be the org's subdomain alone (acme for https://acme.okta.com); "
            f"with OKTA_BASE_URL it builds {built!r}. Set OKTA_ORG_NAME=acme, or the whole URL "
            "as OKTA_ORG_URL"
        )
    if not _BASE_DOMAIN.fullmatch(base_url):
        raise OktaConfigError(
            "OKTA_BASE_URL must be the Okta domain alone, e.g. okta.com or oktapreview.com (no "
            f"https://, no path); with OKTA_ORG_NAME it builds {built!r}. Set "
            "OKTA_BASE_URL=okta.com, or the whole URL as OKTA_ORG_URL"
        )
    return normalise_org_url(built)


@dataclass(frozen=True)
class OAuthSettings:
    client_id: str
    private_key: str = field(repr=False)  # PEM text, never shown
    key_id: str | None
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class OktaSettings:
    org_url: str
    api_token: str | None = field(default=None, repr=False)
    oauth: OAuthSettings | None = field(default=None, repr=False)

    @property
    def auth_mode(self) -> str:
        return "ssws" if self.api_token else "oauth"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OktaSettings:
        org_url = org_url_from_env(env)
        token = env.get("OKTA_API_TOKEN", "").strip()
        if token:
            return cls(org_url=org_url, api_token=_header_safe("OKTA_API_TOKEN", token))
        client_id = env.get("OKTA_API_CLIENT_ID", "").strip()
        key = env.get("OKTA_API_PRIVATE_KEY", "").strip()
        if not (client_id and key):
            raise OktaConfigError(f"no Okta credentials: {NO_ORG_HELP}")
        scopes = (
            tuple(s for s in env.get("OKTA_API_SCOPES", "").replace(",", " ").split() if s)
            or READ_SCOPES
        )
        key_id = env.get("OKTA_API_PRIVATE_KEY_ID", "").strip() or None
        oauth = OAuthSettings(
            client_id=_header_safe("OKTA_API_CLIENT_ID", client_id),
            private_key=_load_private_key(key),
            key_id=_header_safe("OKTA_API_PRIVATE_KEY_ID", key_id) if key_id else None,
            scopes=scopes,
        )
        return cls(org_url=org_url, oauth=oauth)


def _header_safe(name: str, value: str) -> str:
    """`value` if it can be sent as is; the error never repeats the value."""
    if not _HEADER_SAFE.fullmatch(value):
        raise OktaConfigError(
            f"{name} contains characters that cannot be sent to Okta (a line break, a space or "
            "a non-ASCII character, often from copying it with its surroundings): set it "
            "again; the value is not shown"
        )
    return value


def _load_private_key(value: str) -> str:
    """PEM text (literal `\\n` accepted for line breaks) or the path of a PEM file. Errors never
    show the value: a mistyped variable may hold the key itself."""
    if "-----BEGIN" in value:
        return value.replace("\\n", "\n")
    if _BARE_KEY_BODY.fullmatch(value):
        raise OktaConfigError(
            "OKTA_API_PRIVATE_KEY looks like the base64 body of a key without its "
            "'-----BEGIN PRIVATE KEY-----' / '-----END PRIVATE KEY-----' lines: set the whole "
            "PEM text, or the path of the PEM file (the value is not shown)"
        )
    try:
        return Path(value).expanduser().read_text(encoding="utf-8")
    except (OSError, ValueError) as error:
        reason = (
            (error.strerror or type(error).__name__)
            if isinstance(error, OSError)
            else "not a text file"
            if isinstance(error, UnicodeDecodeError)
            else "not a file path"
        )
        raise OktaConfigError(
            "OKTA_API_PRIVATE_KEY is neither PEM text ('-----BEGIN ... PRIVATE KEY-----') nor "
            f"the path of a readable file ({reason}; the value is not shown)"
        ) from None


class SswsAuth(requests.auth.AuthBase):
    """`Authorization: SSWS <token>`."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "SswsAuth(<redacted>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"SSWS {self._token}"
        return request


class PrivateKeyJwtAuth(requests.auth.AuthBase):
    """OAuth 2.0 client credentials with a `private_key_jwt` assertion; the access token is
    cached (shared by threads) until shortly before it expires."""

    def __init__(
        self,
        org_url: str,
        oauth: OAuthSettings,
        session: requests.Session,
        clock: Callable[[], float] = time.time,
        timeout: float = 30.0,
    ) -> None:
        self._org_url = org_url
        self._oauth = oauth
        self._session = session
        self._clock = clock
        self._timeout = timeout
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self._scopes = oauth.scopes
        # Optional scopes the token was requested without (the app was not granted them).
        self.missing_scopes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"PrivateKeyJwtAuth(client_id={self._oauth.client_id!r}, key=<redacted>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.access_token()}"
        return request

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def access_token(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._expires_at:
                self._token, self._expires_at = self._fetch()
            return self._token

    def _assertion(self) -> str:
        now = int(self._clock())
        claims = {
            "iss": self._oauth.client_id,
            "sub": self._oauth.client_id,
            "aud": self._org_url + TOKEN_PATH,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        }
        headers = {"kid": self._oauth.key_id} if self._oauth.key_id else None
        try:
            return jwt.encode(claims, self._oauth.private_key, algorithm="RS256", headers=headers)
        except (ValueError, TypeError, jwt.PyJWTError) as error:
            raise OktaAuthError(
                f"OKTA_API_PRIVATE_KEY is not a usable RSA private key ({type(error).__name__})"
            ) from None

    def _fetch(self) -> tuple[str, float]:
        response, body = self._token_request(self._scopes)
        optional = [s for s in self._scopes if s in OPTIONAL_SCOPES]
        if _error_of(body) == "invalid_scope" and optional:
            response, body = self._without_ungranted(optional)
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            detail = ""
            if _error_of(body):
                detail = f": {body.get('error')} {body.get('error_description', '')}".rstrip()
            raise OktaAuthError(
                f"POST {TOKEN_PATH}: HTTP {response.status_code}{detail} "
                f"(client {self._oauth.client_id}, scopes {' '.join(self._scopes)})"
            )
        lifetime = float(body.get("expires_in", 3600))
        expires_at = self._clock() + max(0.0, lifetime - _EXPIRY_MARGIN_SECONDS)
        return str(body["access_token"]), expires_at

    def _without_ungranted(self, optional: list[str]) -> tuple[requests.Response, Any]:
        """The app was not granted some optional scope (the System Log's, a control's): Okta
        does not say which, so each is tried on top of the required ones; the run goes on
        without the refused ones and the report says what is missing."""
        required = tuple(s for s in self._scopes if s not in OPTIONAL_SCOPES)
        granted: list[str] = []
        answer: tuple[requests.Response, Any] | None = None
        if len(optional) == 1:  # the request just refused: no need to ask again
            self.missing_scopes += tuple(optional)
            optional = []
        for scope in optional:
            response, body = self._token_request((*required, *granted, scope))
            if _error_of(body) == "invalid_scope":
                self.missing_scopes += (scope,)
                continue
            if response.status_code != 200:
                return response, body  # not about scopes: reported as it is
            granted.append(scope)
            answer = (response, body)
        self._scopes = (*required, *granted)
        log.info(
            "token requested without %s (not granted to the app)", " ".join(self.missing_scopes)
        )
        return answer or self._token_request(self._scopes)

    def _token_request(self, scopes: tuple[str, ...]) -> tuple[requests.Response, Any]:
        data = {
            "grant_type": "client_credentials",
            "scope": " ".join(scopes),
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self._assertion(),
        }
        try:
            response = self._session.post(
                self._org_url + TOKEN_PATH,
                data=data,
                headers={"Accept": "application/json"},
                timeout=self._timeout,
            )
        except requests.RequestException as error:
            raise OktaAuthError(
                f"POST {TOKEN_PATH}: connection failed ({type(error).__name__})"
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        return response, body


def _error_of(body: Any) -> str | None:
    return str(body["error"]) if isinstance(body, dict) and body.get("error") else None


def build_auth(
    settings: OktaSettings, session: requests.Session, clock: Callable[[], float] = time.time
) -> requests.auth.AuthBase:
    if settings.api_token:
        return SswsAuth(settings.api_token)
    if settings.oauth is None:
        raise OktaConfigError("no Okta credentials configured")
    return PrivateKeyJwtAuth(settings.org_url, settings.oauth, session, clock=clock)
