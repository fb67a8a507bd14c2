"""Provider stand-in pieces without Terraform: API client retries, configuration, mappings."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests
from tf.types import Unknown
from tf.utils import Diagnostics

from okta_sandbox import Sandbox
from okta_sandbox.provider.api import ApiError, OktaApi, RetryPolicy
from okta_sandbox.provider.base import ApiHolder, PartialCreate, ProviderError
from okta_sandbox.provider.policies import split_rule_id
from okta_sandbox.provider.provider import build_client, config_errors, settings
from okta_sandbox.provider.servicer import _report
from okta_sandbox.provider.signon import PolicyRuleSignon, PolicySignon
from okta_sandbox.provider.zones import NetworkZone, collapse, zone_state

FAST = RetryPolicy(max_retries=3, min_wait=0.01, max_wait=0.05)


@pytest.fixture(scope="module")
def org() -> Iterator[Sandbox]:
    with Sandbox.start(seed="default") as sandbox:
        yield sandbox


def _api(org: Sandbox, retry: RetryPolicy = FAST) -> OktaApi:
    return OktaApi(org.org_url, f"SSWS {org.api_token}", retry)


def test_429_is_retried_until_it_clears(org: Sandbox) -> None:
    org.add_fault("429x2@/api/v1/zones")
    try:
        zones = _api(org).list("/api/v1/zones")
    finally:
        org.clear_faults()
    assert {z["name"] for z in zones} >= {"LegacyIpZone", "BlockedIpZone"}


def test_429_beyond_max_retries_surfaces_okta_error(org: Sandbox) -> None:
    org.add_fault("429x5@/api/v1/zones")
    try:
        with pytest.raises(ApiError, match="429 E0000047") as caught:
            _api(org, RetryPolicy(max_retries=1, min_wait=0.01, max_wait=0.05)).get("/api/v1/zones")
    finally:
        org.clear_faults()
    assert caught.value.status == 429


def test_5xx_is_retried(org: Sandbox) -> None:
    org.add_fault("503x2@/api/v1/groups")
    try:
        groups = _api(org).list("/api/v1/groups")
    finally:
        org.clear_faults()
    assert "Okta Administrators" in {g["profile"]["name"] for g in groups}


def test_pagination_follows_link_next(org: Sandbox) -> None:
    users = _api(org).list("/api/v1/users", {"limit": "1"})
    assert len(users) >= 4
    assert len({u["id"] for u in users}) == len(users)


def test_unreachable_org_raises_after_bounded_retries() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = OktaApi(f"http://127.0.0.1:{port}", "SSWS x", FAST)
    with pytest.raises(requests.ConnectionError):
        api.get("/api/v1/zones")


def test_not_found_is_none_for_reads(org: Sandbox) -> None:
    assert _api(org).get_or_none("/api/v1/zones/nzoDoesNotExist") is None


def test_env_fallbacks_and_http_proxy_replacing_the_org_url() -> None:
    env = {"OKTA_ORG_NAME": "acme", "OKTA_BASE_URL": "okta.com", "OKTA_API_TOKEN": "t0k"}
    client = build_client(settings({}, env))
    assert client.base_url == "https://acme.okta.com"
    assert _authorization(client) == "SSWS t0k"
    proxied = build_client(settings({"http_proxy": "http://127.0.0.1:9/"}, env))
    assert proxied.base_url == "http://127.0.0.1:9"
    assert _authorization(build_client(settings({"api_token": "hcl"}, env))) == "SSWS hcl"


def _authorization(client: OktaApi) -> str:
    request = requests.Request("GET", client.base_url).prepare()
    return str(client.auth(request).headers["Authorization"])


def test_oauth_private_key_jwt_with_env_fallbacks(
    org: Sandbox, rsa_key_pems: tuple[str, str]
) -> None:
    private_pem, public_pem = rsa_key_pems
    client_id = org.add_service_app(public_pem, ["okta.networkZones.read"])
    env = {
        "OKTA_HTTP_PROXY": org.org_url,
        "OKTA_API_CLIENT_ID": client_id,
        "OKTA_API_PRIVATE_KEY": private_pem,
        "OKTA_API_SCOPES": "okta.networkZones.read",
    }
    api = build_client(settings({}, env))
    assert _authorization(api).startswith("Bearer ")
    assert api.list("/api/v1/zones")
    with pytest.raises(ValueError, match="OKTA_API_SCOPES"):
        build_client(settings({}, {**env, "OKTA_API_SCOPES": ""}))


def test_configuration_errors() -> None:
    with pytest.raises(ValueError, match="no credentials"):
        build_client(settings({}, {"OKTA_HTTP_PROXY": "http://127.0.0.1:9"}))
    with pytest.raises(ValueError, match="org_name and base_url"):
        build_client(settings({}, {"OKTA_API_TOKEN": "x"}))
    assert config_errors({"api_token": "a", "access_token": "b"})
    assert config_errors({"max_retries": 101}) == [
        "expected max_retries to be in the range (0 - 100), got 101"
    ]


def test_single_ip_round_trips_without_drift() -> None:
    assert collapse("192.0.2.7-192.0.2.7") == "192.0.2.7"
    assert collapse("192.0.2.7-192.0.2.9") == "192.0.2.7-192.0.2.9"
    single = [{"type": "RANGE", "value": "192.0.2.7-192.0.2.7"}]
    zone = {"id": "z", "name": "n", "type": "IP", "status": "ACTIVE", "usage": "POLICY",
            "gateways": single, "proxies": None}  # fmt: skip
    assert zone_state(zone)["gateways"] == ["192.0.2.7"]
    assert zone_state(zone)["proxies"] is None


def test_plan_time_validation_of_zone_addresses_and_rule_networks() -> None:
    zone = NetworkZone(ApiHolder())
    errors = zone.validate_config({"status": "ON", "gateways": ["192.0.2.0/33", "192.0.2.1"]})
    assert any("status" in e for e in errors)
    assert any("192.0.2.0/33" in e for e in errors)
    rule = PolicyRuleSignon(ApiHolder())
    assert rule.validate_config({"network_includes": ["a"], "network_excludes": ["b"]})


def test_rule_import_ids_need_policy_and_rule() -> None:
    assert split_rule_id("pol1/rule1") == ("pol1", "rule1")
    for bad in ("rule1", "pol1/", "a/b/c"):
        with pytest.raises(ProviderError, match="<policy_id>/<rule_id>"):
            split_rule_id(bad)


def test_a_create_failing_after_okta_created_the_object_keeps_it(org: Sandbox) -> None:
    """SDKv2 semantics: once the id is known the object stays in state (tainted), so a later
    failure (here the activate call) never leaves an orphan in the org."""
    holder = ApiHolder()
    holder.client = _api(org, RetryPolicy(max_retries=0, min_wait=0.01, max_wait=0.05))
    planned = {"id": Unknown, "name": "eg-test partial", "status": "ACTIVE", "priority": None,
               "description": None, "groups_included": None}  # fmt: skip
    org.add_fault("503@/api/v1/policies/")  # the lifecycle call, not the POST that creates
    try:
        with pytest.raises(PartialCreate) as caught:
            PolicySignon(holder).create(None, planned)
    finally:
        org.clear_faults()
    kept = caught.value.state
    assert org.snapshot()["policies"][kept["id"]]["name"] == "eg-test partial"
    assert kept["name"] == "eg-test partial" and kept["id"] is not Unknown
    diagnostics = Diagnostics()
    assert _report(diagnostics, caught.value) == kept
    assert "503" in diagnostics.to_pb()[0].summary
