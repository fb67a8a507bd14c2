"""OAuth private_key_jwt (token request, caching, refresh) and that secrets never leak."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.okta.auth import ASSERTION_TYPE, OktaSettings
from generator.okta.client import OktaClient, RetryPolicy
from generator.okta.errors import OktaAuthError, OktaConfigError, OktaError

TOKEN = "00ssws-SECRET-token-abcdefghijklmnop"
ACCESS_TOKEN = "eyACCESS-SECRET-token-qrstuvwxyz"


@pytest.fixture(scope="module")
def key_pair(rsa_key_pems: tuple[str, str]) -> tuple[str, rsa.RSAPublicKey]:
    private, public = rsa_key_pems
    key = serialization.load_pem_public_key(public.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    return private, key


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def oauth_env(url: str, pem: str) -> dict[str, str]:
    return {
        "OKTA_ORG_URL": url,
        "OKTA_API_CLIENT_ID": "0oaCLIENT",
        "OKTA_API_PRIVATE_KEY": pem,
        "OKTA_API_PRIVATE_KEY_ID": "kid-1",
        "OKTA_API_SCOPES": "okta.networkZones.read,okta.policies.read",
    }


def token_handler(public_key: rsa.RSAPublicKey, org_url: str, seen: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    def handler(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}
        seen.append(form)
        assert form["grant_type"] == "client_credentials"
        assert form["client_assertion_type"] == ASSERTION_TYPE
        claims = jwt.decode(
            form["client_assertion"],
            public_key,
            algorithms=["RS256"],
            audience=org_url + "/oauth2/v1/token",
            options={"verify_exp": False, "verify_iat": False},  # the test clock runs ahead
        )
        assert claims["exp"] - claims["iat"] == 300 and claims["jti"]
        assert claims["iss"] == claims["sub"] == "0oaCLIENT"
        assert jwt.get_unverified_header(form["client_assertion"])["kid"] == "kid-1"
        return Response(
            f'{{"access_token": "{ACCESS_TOKEN}-{len(seen)}", "token_type": "Bearer", '
            '"expires_in": 3600, "scope": "okta.networkZones.read"}',
            content_type="application/json",
        )

    return handler


def test_private_key_jwt_token_is_requested_cached_and_refreshed(
    httpserver: HTTPServer, key_pair: tuple[str, rsa.RSAPublicKey]
) -> None:
    pem, public = key_pair
    org = httpserver.url_for("/").rstrip("/")
    seen: list[dict[str, str]] = []
    httpserver.expect_request("/oauth2/v1/token", method="POST").respond_with_handler(
        token_handler(public, org, seen)
    )
    httpserver.expect_request(
        "/api/v1/zones", headers={"Authorization": f"Bearer {ACCESS_TOKEN}-1"}
    ).respond_with_json([])
    clock = Clock()
    client = OktaClient(OktaSettings.from_env(oauth_env(org, pem)), clock=clock)
    client.list_all("/api/v1/zones")
    client.list_all("/api/v1/zones")
    assert len(seen) == 1  # cached
    assert seen[0]["scope"] == "okta.networkZones.read okta.policies.read"
    clock.now += 3600  # expired
    httpserver.expect_request(
        "/api/v1/policies", headers={"Authorization": f"Bearer {ACCESS_TOKEN}-2"}
    ).respond_with_json([])
    client.list_all("/api/v1/policies")
    assert len(seen) == 2


def test_private_key_can_be_a_file_path(
    tmp_path: Path, key_pair: tuple[str, rsa.RSAPublicKey]
) -> None:
    pem, _ = key_pair
    key_file = tmp_path / "key.pem"
    key_file.write_text(pem)
    settings = OktaSettings.from_env(oauth_env("https://acme.okta.com", str(key_file)))
    assert settings.oauth is not None and settings.oauth.private_key == pem
    with pytest.raises(
        OktaConfigError, match=r"neither PEM text .* nor the path of a readable file"
    ):
        OktaSettings.from_env(oauth_env("https://acme.okta.com", str(tmp_path / "missing.pem")))


def test_token_endpoint_refusal_is_an_auth_error_without_secrets(
    httpserver: HTTPServer, key_pair: tuple[str, rsa.RSAPublicKey]
) -> None:
    pem, _ = key_pair
    org = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/oauth2/v1/token", method="POST").respond_with_json(
        {"error": "invalid_client", "error_description": "The client_assertion is invalid"},
        status=401,
    )
    client = OktaClient(OktaSettings.from_env(oauth_env(org, pem)))
    with pytest.raises(OktaAuthError, match="invalid_client") as caught:
        client.list_all("/api/v1/zones")
    assert "PRIVATE KEY" not in str(caught.value)
    assert pem.splitlines()[1] not in str(caught.value)


def test_secrets_never_appear_in_errors_logs_or_reprs(
    httpserver: HTTPServer,
    key_pair: tuple[str, rsa.RSAPublicKey],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    org = httpserver.url_for("/").rstrip("/")
    settings = OktaSettings.from_env({"OKTA_ORG_URL": org, "OKTA_API_TOKEN": TOKEN})
    client = OktaClient(
        settings, retry=RetryPolicy(max_attempts=2, backoff_base=0.0), sleep=lambda _: None
    )
    httpserver.expect_request("/api/v1/a").respond_with_json({"errorCode": "E0000011"}, status=401)
    httpserver.expect_request("/api/v1/zones").respond_with_data("", status=403)
    httpserver.expect_request("/api/v1/c").respond_with_data("x", status=500)
    messages = [repr(settings), repr(client._auth)]
    for path in ("/api/v1/a", "/api/v1/zones", "/api/v1/c"):
        with pytest.raises(OktaError) as caught:
            client.get(path)
        messages.append(str(caught.value))
    pem, _ = key_pair
    oauth = OktaSettings.from_env(oauth_env(org, pem))
    messages.append(repr(oauth))
    text = "\n".join(messages + [r.getMessage() for r in caplog.records])
    assert "HTTP 401" in text and "okta.networkZones.read" in text  # the errors are there...
    assert TOKEN not in text  # ...the secrets are not
    assert pem.splitlines()[1] not in text


def test_invalid_scope_is_retried_only_without_the_optional_log_scope(
    httpserver: HTTPServer, key_pair: tuple[str, rsa.RSAPublicKey]
) -> None:
    pem, _ = key_pair
    org = httpserver.url_for("/").rstrip("/")
    asked: list[str] = []

    def refuse_logs(request: Request) -> Response:
        scope = parse_qs(request.get_data(as_text=True))["scope"][0]
        asked.append(scope)
        if "okta.logs.read" in scope or "okta.users.read" in scope:
            return Response('{"error": "invalid_scope"}', 400, content_type="application/json")
        return Response(
            '{"access_token": "a", "expires_in": 3600}', content_type="application/json"
        )

    httpserver.expect_request("/oauth2/v1/token", method="POST").respond_with_handler(refuse_logs)
    httpserver.expect_request("/api/v1/zones").respond_with_json([])
    env = oauth_env(org, pem) | {"OKTA_API_SCOPES": "okta.networkZones.read okta.logs.read"}
    client = OktaClient(OktaSettings.from_env(env))
    client.list_all("/api/v1/zones")
    assert asked == ["okta.networkZones.read okta.logs.read", "okta.networkZones.read"]
    assert client.missing_scopes == ("okta.logs.read",)
    # A required scope refused: an error naming the scopes, not a silent retry.
    asked.clear()
    env = oauth_env(org, pem) | {"OKTA_API_SCOPES": "okta.users.read"}
    client = OktaClient(OktaSettings.from_env(env))
    with pytest.raises(OktaAuthError, match=r"invalid_scope .*okta\.users\.read"):
        client.list_all("/api/v1/zones")
    assert asked == ["okta.users.read"]


def test_each_optional_scope_not_granted_is_left_out_and_named(
    httpserver: HTTPServer, key_pair: tuple[str, rsa.RSAPublicKey]
) -> None:
    """Okta's invalid_scope does not say which scope: each optional one is tried on top of the
    required ones, the granted ones are kept (the controls' reads need them) and the others
    are reported missing."""
    pem, _ = key_pair
    org = httpserver.url_for("/").rstrip("/")
    asked: list[str] = []
    not_granted = {"okta.logs.read", "okta.roles.read"}

    def grant(request: Request) -> Response:
        scope = parse_qs(request.get_data(as_text=True))["scope"][0]
        asked.append(scope)
        if not_granted & set(scope.split()):
            return Response('{"error": "invalid_scope"}', 400, content_type="application/json")
        return Response(
            '{"access_token": "a", "expires_in": 3600}', content_type="application/json"
        )

    httpserver.expect_request("/oauth2/v1/token", method="POST").respond_with_handler(grant)
    httpserver.expect_request("/api/v1/zones").respond_with_json([])
    scopes = "okta.networkZones.read okta.logs.read okta.apiTokens.read okta.roles.read"
    client = OktaClient(OktaSettings.from_env(oauth_env(org, pem) | {"OKTA_API_SCOPES": scopes}))
    client.list_all("/api/v1/zones")
    assert asked == [
        scopes,
        "okta.networkZones.read okta.logs.read",
        "okta.networkZones.read okta.apiTokens.read",
        "okta.networkZones.read okta.apiTokens.read okta.roles.read",
    ]
    assert client.missing_scopes == ("okta.logs.read", "okta.roles.read")
