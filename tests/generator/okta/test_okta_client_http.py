"""The Okta client against a scripted HTTP server: pagination, pacing, retries, typed errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from okta_http_support import TOKEN, FakeTime, scripted_client
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.okta.auth import OktaSettings
from generator.okta.client import OktaClient
from generator.okta.errors import (
    OktaApiError,
    OktaConfigError,
    OktaNotFoundError,
    OktaPaginationError,
    OktaRateLimitError,
    OktaScopeError,
    OktaTransportError,
)
from generator.okta.rate_limits import rate_bucket


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client(httpserver: HTTPServer, fake_time: FakeTime) -> OktaClient:
    return scripted_client(httpserver, fake_time)


def test_org_url_from_org_name_and_base_url() -> None:
    settings = OktaSettings.from_env(
        {"OKTA_ORG_NAME": "acme", "OKTA_BASE_URL": "okta.com", "OKTA_API_TOKEN": TOKEN}
    )
    assert settings.org_url == "https://acme.okta.com"
    assert settings.auth_mode == "ssws"


def test_plain_http_is_refused_except_loopback() -> None:
    with pytest.raises(OktaConfigError, match="HTTPS is required"):
        OktaSettings.from_env({"OKTA_ORG_URL": "http://acme.okta.com", "OKTA_API_TOKEN": TOKEN})
    ok = OktaSettings.from_env({"OKTA_ORG_URL": "http://127.0.0.1:8080/", "OKTA_API_TOKEN": TOKEN})
    assert ok.org_url == "http://127.0.0.1:8080"


def test_missing_credentials_and_url_are_named() -> None:
    with pytest.raises(OktaConfigError, match="OKTA_ORG_URL"):
        OktaSettings.from_env({"OKTA_API_TOKEN": TOKEN})
    with pytest.raises(OktaConfigError, match="OKTA_API_TOKEN"):
        OktaSettings.from_env({"OKTA_ORG_URL": "https://acme.okta.com"})


def test_sends_ssws_header_and_decodes_json(httpserver: HTTPServer, client: OktaClient) -> None:
    httpserver.expect_request(
        "/api/v1/zones/z1", headers={"Authorization": f"SSWS {TOKEN}"}
    ).respond_with_json({"id": "z1"})
    assert client.get("/api/v1/zones/z1") == {"id": "z1"}
    assert client.stats.requests == 1


def test_follows_link_next_until_the_last_page(httpserver: HTTPServer, client: OktaClient) -> None:
    base = httpserver.url_for("/api/v1/zones")
    httpserver.expect_request("/api/v1/zones", query_string="limit=2").respond_with_json(
        [{"id": "a"}, {"id": "b"}], headers={"Link": f'<{base}?after=b&limit=2>; rel="next"'}
    )
    httpserver.expect_request("/api/v1/zones", query_string="after=b&limit=2").respond_with_json(
        [{"id": "c"}], headers={"Link": f'<{base}?after=b&limit=2>; rel="self"'}
    )
    assert [z["id"] for z in client.list_all("/api/v1/zones", {"limit": "2"})] == ["a", "b", "c"]


def test_repeating_cursor_is_an_error(httpserver: HTTPServer, client: OktaClient) -> None:
    base = httpserver.url_for("/api/v1/zones")
    httpserver.expect_request("/api/v1/zones").respond_with_json(
        [{"id": "a"}], headers={"Link": f'<{base}?after=a>; rel="next"'}
    )
    with pytest.raises(OktaPaginationError, match="cursor repeated"):
        client.list_all("/api/v1/zones")


def test_next_link_to_another_origin_is_refused(httpserver: HTTPServer, client: OktaClient) -> None:
    httpserver.expect_request("/api/v1/zones").respond_with_json(
        [{"id": "a"}], headers={"Link": '<https://evil.example/api/v1/zones?after=a>; rel="next"'}
    )
    with pytest.raises(OktaPaginationError, match="another origin"):
        client.list_all("/api/v1/zones")


def test_429_is_waited_out_until_the_reset(
    httpserver: HTTPServer, client: OktaClient, fake_time: FakeTime
) -> None:
    reset = int(fake_time.now) + 7
    httpserver.expect_oneshot_request("/api/v1/zones").respond_with_json(
        {"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit"},
        status=429,
        headers={"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": str(reset)},
    )
    httpserver.expect_request("/api/v1/zones").respond_with_json([{"id": "a"}])
    assert client.list_all("/api/v1/zones") == [{"id": "a"}]
    assert len(fake_time.sleeps) == 1
    assert 5.0 <= fake_time.sleeps[0] <= 8.0  # until the reset (server Date has 1 s resolution)
    assert client.stats.rate_limit_waits == 1


def test_persistent_429_gives_up_with_a_typed_error(
    httpserver: HTTPServer, client: OktaClient, fake_time: FakeTime
) -> None:
    httpserver.expect_request("/api/v1/zones").respond_with_json(
        {"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit"},
        status=429,
        headers={"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": str(int(time.time()) + 1)},
    )
    with pytest.raises(OktaRateLimitError) as caught:
        client.list_all("/api/v1/zones")
    assert caught.value.error_code == "E0000047"
    assert "E0000047" in str(caught.value)


def test_pacing_waits_for_reset_when_the_bucket_is_empty(
    httpserver: HTTPServer, client: OktaClient, fake_time: FakeTime
) -> None:
    reset = int(fake_time.now) + 20
    headers = {"X-Rate-Limit-Remaining": "1", "X-Rate-Limit-Reset": str(reset)}
    httpserver.expect_request("/api/v1/zones/a").respond_with_json({"id": "a"}, headers=headers)
    client.get("/api/v1/zones/a")
    assert fake_time.sleeps == []
    client.get("/api/v1/zones/a")  # 1 left, reserve 1 -> wait for the reset first
    assert len(fake_time.sleeps) == 1 and fake_time.sleeps[0] > 15


def test_each_endpoint_family_is_paced_by_its_own_bucket(
    httpserver: HTTPServer, client: OktaClient, fake_time: FakeTime
) -> None:
    """The users listing nearly used up does not pause a user's factors (another bucket)."""
    reset = str(int(fake_time.now) + 30)
    low = {"X-Rate-Limit-Remaining": "1", "X-Rate-Limit-Reset": reset}
    plenty = {"X-Rate-Limit-Remaining": "500", "X-Rate-Limit-Reset": reset}
    httpserver.expect_request("/api/v1/users").respond_with_json([], headers=low)
    for user in ("u1", "u2"):
        httpserver.expect_request(f"/api/v1/users/{user}/factors").respond_with_json(
            [], headers=plenty
        )
    client.get("/api/v1/users")
    client.get("/api/v1/users/u1/factors")
    client.get("/api/v1/users/u2/factors")
    assert fake_time.sleeps == []
    client.get("/api/v1/users")  # its own bucket is low: wait for its reset
    assert len(fake_time.sleeps) == 1


def test_rate_buckets_are_endpoint_templates() -> None:
    assert rate_bucket("/api/v1/users") == "/api/v1/users"
    assert rate_bucket("/api/v1/users/00u1/factors") == "/api/v1/users/{}/factors"
    assert rate_bucket("/api/v1/users/00u2/factors") == rate_bucket("/api/v1/users/00u1/factors")
    assert rate_bucket("/api/v1/policies/p1/rules/r1") == "/api/v1/policies/{}/rules/{}"
    assert rate_bucket("/oauth2/v1/token") == "/oauth2/v1/token"


def test_5xx_is_retried_with_backoff(
    httpserver: HTTPServer, client: OktaClient, fake_time: FakeTime
) -> None:
    httpserver.expect_oneshot_request("/api/v1/groups").respond_with_data("oops", status=503)
    httpserver.expect_oneshot_request("/api/v1/groups").respond_with_data("oops", status=502)
    httpserver.expect_request("/api/v1/groups").respond_with_json([{"id": "g"}])
    assert client.list_all("/api/v1/groups") == [{"id": "g"}]
    assert client.stats.retries == 2
    assert fake_time.sleeps[1] > fake_time.sleeps[0]  # exponential


def test_5xx_gives_up_after_bounded_attempts(httpserver: HTTPServer, client: OktaClient) -> None:
    httpserver.expect_request("/api/v1/groups").respond_with_json(
        {"errorCode": "E0000009", "errorSummary": "Internal Server Error"}, status=500
    )
    with pytest.raises(OktaTransportError, match="after 3 attempts") as caught:
        client.list_all("/api/v1/groups")
    assert client.stats.requests == 3
    # Okta's own words survive the retries.
    assert "HTTP 500 E0000009: Internal Server Error, still failing" in str(caught.value)


def test_truncated_json_is_retried(httpserver: HTTPServer, client: OktaClient) -> None:
    httpserver.expect_oneshot_request("/api/v1/users").respond_with_data(
        '[{"id": "u1", "prof', content_type="application/json"
    )
    httpserver.expect_request("/api/v1/users").respond_with_json([{"id": "u1"}])
    assert client.list_all("/api/v1/users") == [{"id": "u1"}]
    assert client.stats.retries == 1


def test_403_without_body_names_the_missing_scope(
    httpserver: HTTPServer, client: OktaClient
) -> None:
    httpserver.expect_request("/api/v1/zones").respond_with_data(
        "",
        status=403,
        headers={"WWW-Authenticate": 'Bearer error="insufficient_scope"'},
    )
    with pytest.raises(OktaScopeError) as caught:
        client.list_all("/api/v1/zones")
    assert caught.value.scope == "okta.networkZones.read"
    assert "probably missing scope okta.networkZones.read" in str(caught.value)


def test_errors_carry_error_code_and_summary(httpserver: HTTPServer, client: OktaClient) -> None:
    httpserver.expect_request("/api/v1/policies/nope/rules").respond_with_json(
        {
            "errorCode": "E0000007",
            "errorSummary": "Not found: Resource not found: nope (Policy)",
            "errorCauses": [],
        },
        status=404,
    )
    with pytest.raises(OktaNotFoundError) as caught:
        client.list_all("/api/v1/policies/nope/rules")
    assert caught.value.error_code == "E0000007"
    assert caught.value.status == 404
    assert "Resource not found: nope (Policy)" in str(caught.value)


def test_error_causes_are_listed(httpserver: HTTPServer, client: OktaClient) -> None:
    httpserver.expect_request("/api/v1/zones", method="POST").respond_with_json(
        {
            "errorCode": "E0000001",
            "errorSummary": "Api validation failed: gateways",
            "errorCauses": [{"errorSummary": "gateways: invalid CIDR"}],
        },
        status=400,
    )
    with pytest.raises(OktaApiError, match="gateways: invalid CIDR"):
        client.request("POST", "/api/v1/zones", json={"name": "x"})


def test_concurrent_map_keeps_order_and_propagates_failures(
    httpserver: HTTPServer, client: OktaClient
) -> None:
    def handler(request: Request) -> Response:
        policy = request.path.split("/")[4]
        if policy == "bad":
            return Response(json.dumps({"errorCode": "E0000007"}), status=404)
        return Response(json.dumps([{"policy": policy}]), content_type="application/json")

    httpserver.expect_request("/api/v1/policies", method="GET").respond_with_json([])
    for name in ("p1", "p2", "p3", "bad"):
        httpserver.expect_request(f"/api/v1/policies/{name}/rules").respond_with_handler(handler)
    got = client.map_concurrent(
        lambda p: client.list_all(f"/api/v1/policies/{p}/rules"), ["p1", "p2", "p3"]
    )
    assert got == [[{"policy": "p1"}], [{"policy": "p2"}], [{"policy": "p3"}]]
    with pytest.raises(OktaNotFoundError):
        client.map_concurrent(
            lambda p: client.list_all(f"/api/v1/policies/{p}/rules"), ["p1", "bad", "p3"]
        )


def test_a_failed_post_is_not_repeated(httpserver: HTTPServer, client: OktaClient) -> None:
    httpserver.expect_request("/api/v1/zones", method="POST").respond_with_data("", status=503)
    with pytest.raises(OktaTransportError, match="not retried"):
        client.request("POST", "/api/v1/zones", json={"name": "x"})
    assert client.stats.requests == 1


def test_proxy_variables_are_read_once_and_netrc_never_replaces_the_token(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = httpserver.url_for("/").rstrip("/")
    host = httpserver.host
    (tmp_path / ".netrc").write_text(f"machine {host} login someone password netrc-secret\n")
    (tmp_path / ".netrc").chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NETRC", str(tmp_path / ".netrc"))
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", host)
    httpserver.expect_request(
        "/api/v1/zones", headers={"Authorization": f"SSWS {TOKEN}"}
    ).respond_with_json([])
    with OktaClient.from_env({"OKTA_ORG_URL": org, "OKTA_API_TOKEN": TOKEN}) as local:
        assert local.get("/api/v1/zones") == []
    monkeypatch.setenv("NO_PROXY", "")
    with OktaClient.from_env(
        {"OKTA_ORG_URL": "https://acme.okta.com", "OKTA_API_TOKEN": TOKEN}
    ) as remote:
        assert remote._session.proxies["https"] == "http://proxy.example:3128"
        assert remote._session.trust_env is False
