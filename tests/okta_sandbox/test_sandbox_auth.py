"""Sandbox authentication: SSWS tokens, OAuth private_key_jwt client credentials, scopes,
rate limits."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
import requests
from oauth_support import new_rsa_key_pems

from okta_sandbox import Sandbox
from okta_sandbox.core.server import LIFTED_LIMIT, RateLimiter


def assertion(private_pem: str, client_id: str, audience: str, **claims: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
        **claims,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": "k1"})


def token_request(org_url: str, client_assertion: str, scope: str) -> requests.Response:
    return requests.post(
        f"{org_url}/oauth2/v1/token",
        data={
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion,
        },
        timeout=10,
    )


def test_ssws_with_and_without_space_and_bad_tokens(sandbox: Sandbox, okta: Any) -> None:
    url = f"{sandbox.org_url}/api/v1/zones"
    for header in (f"SSWS {sandbox.api_token}", f"SSWS{sandbox.api_token}"):
        assert requests.get(url, headers={"Authorization": header}, timeout=10).status_code == 200
    okta.headers["Authorization"] = "SSWS 00wrong"
    wrong = okta.get("/api/v1/zones")
    assert wrong.status_code == 401 and wrong.json()["errorCode"] == "E0000011"
    okta.headers.pop("Authorization")
    missing = okta.get("/api/v1/policies", params={"type": "OKTA_SIGN_ON"})
    assert missing.status_code == 401 and missing.json()["errorCode"] == "E0000011"


def test_private_key_jwt_and_scopes(
    sandbox: Sandbox, okta: Any, rsa_key_pems: tuple[str, str]
) -> None:
    private, public = rsa_key_pems
    client_id = sandbox.add_service_app(public, ["okta.networkZones.read", "okta.logs.read"])
    audience = f"{sandbox.org_url}/oauth2/v1/token"
    granted = token_request(
        sandbox.org_url, assertion(private, client_id, audience), "okta.networkZones.read"
    )
    assert granted.status_code == 200, granted.text
    body = granted.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "okta.networkZones.read"
    okta.headers["Authorization"] = f"Bearer {body['access_token']}"
    assert okta.get("/api/v1/zones").status_code == 200
    denied = okta.get("/api/v1/policies", params={"type": "OKTA_SIGN_ON"})
    assert denied.status_code == 403 and denied.content == b""
    challenge = denied.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="okta.policies.read"' in challenge
    write = okta.post("/api/v1/zones", json={"type": "IP", "name": "x"})
    assert write.status_code == 403
    logged = okta.get("/api/v1/zones")  # still fine; the grant shows up in the System Log
    assert logged.status_code == 200
    okta.headers["Authorization"] = f"SSWS {sandbox.api_token}"
    grants = okta.get(
        "/api/v1/logs", params={"filter": 'eventType eq "app.oauth2.token.grant.access_token"'}
    ).json()
    assert grants[0]["actor"]["id"] == client_id
    assert grants[0]["actor"]["type"] == "PublicClientApp"


def test_manage_scope_implies_read(sandbox: Sandbox, rsa_key_pems: tuple[str, str]) -> None:
    private, public = rsa_key_pems
    client_id = sandbox.add_service_app(public, ["okta.policies.manage"])
    token = token_request(
        sandbox.org_url,
        assertion(private, client_id, f"{sandbox.org_url}/oauth2/v1/token"),
        "okta.policies.manage",
    ).json()
    response = requests.get(
        f"{sandbox.org_url}/api/v1/policies",
        params={"type": "ACCESS_POLICY"},
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=10,
    )
    assert response.status_code == 200


def test_token_endpoint_refusals(sandbox: Sandbox, rsa_key_pems: tuple[str, str]) -> None:
    private, public = rsa_key_pems
    client_id = sandbox.add_service_app(public, ["okta.networkZones.read"])
    audience = f"{sandbox.org_url}/oauth2/v1/token"
    other, _ = new_rsa_key_pems()
    cases = [
        (assertion(other, client_id, audience), "okta.networkZones.read", "invalid_client"),
        (
            assertion(private, client_id, "https://elsewhere/oauth2/v1/token"),
            "okta.networkZones.read",
            "invalid_client",
        ),
        (
            assertion(private, "0oaUnknownClient00000", audience),
            "okta.networkZones.read",
            "invalid_client",
        ),
        (assertion(private, client_id, audience), "okta.users.manage", "invalid_scope"),
    ]
    for client_assertion, scope, error in cases:
        response = token_request(sandbox.org_url, client_assertion, scope)
        assert response.status_code in (400, 401) and response.json()["error"] == error
    expired = requests.get(
        f"{sandbox.org_url}/api/v1/zones",
        headers={"Authorization": "Bearer not-a-token"},
        timeout=10,
    )
    assert expired.status_code == 401 and "invalid_token" in expired.headers["WWW-Authenticate"]


def test_an_assertion_is_accepted_once(sandbox: Sandbox, rsa_key_pems: tuple[str, str]) -> None:
    private, public = rsa_key_pems
    client_id = sandbox.add_service_app(public, ["okta.networkZones.read"])
    audience = f"{sandbox.org_url}/oauth2/v1/token"
    scope = "okta.networkZones.read"
    signed = assertion(private, client_id, audience)
    assert token_request(sandbox.org_url, signed, scope).status_code == 200
    replayed = token_request(sandbox.org_url, signed, scope)
    assert replayed.status_code == 401 and replayed.json()["error"] == "invalid_client"
    assert "already been used" in replayed.json()["error_description"]
    same_jti = assertion(private, client_id, audience, jti="fixed", iat=int(time.time()) - 1)
    other = assertion(private, client_id, audience, jti="fixed")
    assert token_request(sandbox.org_url, same_jti, scope).status_code == 200
    assert token_request(sandbox.org_url, other, scope).status_code == 401  # jti, not bytes
    without = token_request(
        sandbox.org_url, assertion(private, client_id, audience, jti=None), scope
    )
    assert without.status_code == 401 and "jti" in without.json()["error_description"]


def test_a_spent_jti_is_forgotten_once_its_assertion_expired(
    sandbox: Sandbox, rsa_key_pems: tuple[str, str]
) -> None:
    private, public = rsa_key_pems
    client_id = sandbox.add_service_app(public, ["okta.networkZones.read"])
    audience = f"{sandbox.org_url}/oauth2/v1/token"
    short = assertion(private, client_id, audience, jti="brief", exp=int(time.time()) + 2)
    assert token_request(sandbox.org_url, short, "okta.networkZones.read").status_code == 200
    time.sleep(2.5)  # the first assertion has expired: jti "brief" may be used again
    again = assertion(private, client_id, audience, jti="brief")
    assert token_request(sandbox.org_url, again, "okta.networkZones.read").status_code == 200
    assert "brief" in " ".join(sandbox.snapshot()["secrets"]["used_jti"])


def test_rate_limit_headers_and_429(sandbox_factory: Any) -> None:
    sandbox = sandbox_factory(rate_limit_multiplier=0.01)  # 6 requests a minute on /zones
    headers = {"Authorization": f"SSWS {sandbox.api_token}"}
    url = f"{sandbox.org_url}/api/v1/zones"
    responses = [requests.get(url, headers=headers, timeout=10) for _ in range(7)]
    assert [r.status_code for r in responses] == [200] * 6 + [429]
    assert [int(r.headers["X-Rate-Limit-Remaining"]) for r in responses[:6]] == [5, 4, 3, 2, 1, 0]
    limited = responses[-1]
    assert limited.json()["errorCode"] == "E0000047"
    assert int(limited.headers["X-Rate-Limit-Reset"]) > time.time() - 1
    assert limited.headers["X-Rate-Limit-Limit"] == "6"
    other = requests.get(f"{sandbox.org_url}/api/v1/groups", headers=headers, timeout=10)
    assert other.status_code == 200  # limits are per endpoint family
    for response in responses:
        assert response.headers["Date"] and response.headers["X-Okta-Request-Id"]


def test_lifted_rate_limits_count_down_a_bucket_no_client_exhausts(sandbox_factory: Any) -> None:
    """Multiplier 0 (benchmarks, the replay): never refused, and the headers stay coherent for
    a client that counts its own requests down: well past the nominal 600 a minute on /zones,
    there is still a bucket left, so such a client never pauses for a reset."""
    limiter = RateLimiter(0)
    answers = [limiter.hit("/api/v1/zones") for _ in range(700)]
    assert all(allowed for *_, allowed in answers)
    assert {limit for limit, *_ in answers} == {LIFTED_LIMIT}
    remaining = [left for _, left, _, _ in answers]
    assert remaining == list(range(LIFTED_LIMIT - 1, LIFTED_LIMIT - 701, -1))
    sandbox = sandbox_factory(rate_limit_multiplier=0)
    headers = {"Authorization": f"SSWS {sandbox.api_token}"}
    url = f"{sandbox.org_url}/api/v1/zones"
    first, second = (requests.get(url, headers=headers, timeout=10) for _ in range(2))
    assert first.headers["X-Rate-Limit-Limit"] == str(LIFTED_LIMIT)
    assert int(second.headers["X-Rate-Limit-Remaining"]) < int(
        first.headers["X-Rate-Limit-Remaining"]
    )


def test_cli_registers_a_service_app(tmp_path: Any, rsa_key_pems: tuple[str, str]) -> None:
    import json
    import subprocess
    import sys

    private, public = rsa_key_pems
    key_file = tmp_path / "public.pem"
    key_file.write_text(public, encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "okta_sandbox",
            "serve",
            "--json",
            "--service-app-key",
            str(key_file),
            "--service-app-scopes",
            "okta.logs.read",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        audience = f"{info['org_url']}/oauth2/v1/token"
        token = token_request(
            info["org_url"], assertion(private, info["client_id"], audience), "okta.logs.read"
        )
        assert token.status_code == 200
        logs = requests.get(
            f"{info['org_url']}/api/v1/logs",
            timeout=10,
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )
        assert logs.status_code == 200 and logs.json()
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
