"""The sandbox's post-breach control endpoints, with Okta's shapes and fresh-org defaults: API
token network conditions (upsert and enforcement), ThreatInsight, the Admin Console's session
settings, OAuth service apps; the `hardened` seed."""

from __future__ import annotations

from typing import Any

import requests
from oauth_support import new_rsa_key_pems

from okta_sandbox import Sandbox
from okta_sandbox.core.session import OrgSession
from okta_sandbox.seeds import build


def _zone(okta: OrgSession, name: str) -> dict[str, Any]:
    zones: list[dict[str, Any]] = okta.get("/api/v1/zones").json()
    return next(z for z in zones if z["name"] == name)


def _token(okta: OrgSession, name: str) -> dict[str, Any]:
    tokens: list[dict[str, Any]] = okta.get("/api/v1/api-tokens").json()
    return next(t for t in tokens if t["name"] == name)


def _events(sandbox: Sandbox, event_type: str) -> list[dict[str, Any]]:
    return [e for e in sandbox.snapshot()["logs"] if e["eventType"] == event_type]


def _secret_of(sandbox: Sandbox, token_id: str) -> str:
    secrets = sandbox.snapshot()["secrets"]["ssws"]
    return next(value for value, tid in secrets.items() if tid == token_id)


def test_fresh_org_defaults() -> None:
    state = build("empty")
    zones = {z["name"]: z for z in state["zones"].values()}
    # "inactive by default" (Okta help: enhanced dynamic zones), anonymizer categories
    assert zones["DefaultEnhancedDynamicZone"]["status"] == "INACTIVE"
    assert zones["DefaultEnhancedDynamicZone"]["ipServiceCategories"]["include"] == [
        "ALL_ANONYMIZERS"
    ]
    assert "threat_insight" not in state and "admin_console_settings" not in state


def test_threatinsight_read_update_and_zone_order(sandbox: Sandbox, okta: OrgSession) -> None:
    config = okta.get("/api/v1/threats/configuration").json()
    assert (config["action"], config["excludeZones"]) == ("none", [])
    assert config["_links"]["self"]["hints"]["allow"] == ["GET", "POST"]
    ids = [_zone(okta, name)["id"] for name in ("LegacyIpZone", "DefaultExemptIpZone")]
    updated = okta.post(
        "/api/v1/threats/configuration", json={"action": "block", "excludeZones": ids}
    )
    assert updated.status_code == 200
    # Okta answers the excluded zones in another order (recorded: [a, b, c] -> [c, b, a])
    assert updated.json()["excludeZones"] == list(reversed(ids))
    assert okta.get("/api/v1/threats/configuration").json()["action"] == "block"
    assert _events(sandbox, "security.threat.configuration.update")
    bad_action = okta.post("/api/v1/threats/configuration", json={"action": "deny"})
    assert bad_action.status_code == 400
    dynamic = _zone(okta, "DefaultEnhancedDynamicZone")["id"]
    not_ip = okta.post(
        "/api/v1/threats/configuration", json={"action": "audit", "excludeZones": [dynamic]}
    )
    assert not_ip.status_code == 400 and "Invalid IP network zone" in not_ip.text
    assert okta.put("/api/v1/threats/configuration", json={"action": "none"}).status_code == 405


def test_admin_console_settings_defaults_limits_and_app_name(okta: OrgSession) -> None:
    path = "/api/v1/first-party-app-settings/admin-console"
    assert okta.get(path).json() == {
        "sessionIdleTimeoutMinutes": 15,
        "sessionMaxLifetimeMinutes": 720,
    }
    changed = {"sessionIdleTimeoutMinutes": 10, "sessionMaxLifetimeMinutes": 240}
    assert okta.put(path, json=changed).json() == changed
    assert okta.get(path).json() == changed
    for body in (
        {"sessionIdleTimeoutMinutes": 4, "sessionMaxLifetimeMinutes": 240},
        {"sessionIdleTimeoutMinutes": 15, "sessionMaxLifetimeMinutes": 10081},
    ):
        assert okta.put(path, json=body).status_code == 400
    assert okta.get(path).json() == changed  # refused changes leave it as it was
    assert okta.get("/api/v1/first-party-app-settings/dashboard").status_code == 404


def test_api_token_network_upsert(sandbox: Sandbox, okta: OrgSession) -> None:
    token = _token(okta, "terraform")
    assert token["network"] == {"connection": "ANYWHERE"}
    zone = _zone(okta, "LegacyIpZone")["id"]
    # the provider's body: the object it read, minus read-only fields (recorded)
    body = {
        "clientName": token["clientName"],
        "created": token["created"],
        "name": token["name"],
        "network": {"connection": "ZONE", "exclude": [zone]},
        "userId": token["userId"],
    }
    answer = okta.put(f"/api/v1/api-tokens/{token['id']}", json=body)
    assert answer.status_code == 200
    assert answer.json()["network"] == {"connection": "ZONE", "exclude": [zone]}
    assert _events(sandbox, "system.api_token.update")
    body["network"] = {"connection": "ANYWHERE", "include": [zone]}
    assert okta.put(f"/api/v1/api-tokens/{token['id']}", json=body).json()["network"] == {
        "connection": "ANYWHERE"
    }
    for network in (
        {"connection": "ZONE"},
        {"connection": "ZONE", "include": ["nzoNoSuchZone"]},
        {"connection": "ZONE", "include": [_zone(okta, "DefaultEnhancedDynamicZone")["id"]]},
        {"connection": "SOMEWHERE"},
    ):
        body["network"] = network
        assert okta.put(f"/api/v1/api-tokens/{token['id']}", json=body).status_code == 400
    body["userId"] = "00uSomeoneElse"
    assert okta.put(f"/api/v1/api-tokens/{token['id']}", json=body).status_code == 400
    assert okta.put("/api/v1/api-tokens/00TNoSuchToken", json=body).status_code == 404


def test_a_token_used_outside_its_zones_is_refused_and_logged(
    sandbox: Sandbox, okta: OrgSession
) -> None:
    token = _token(okta, "terraform")
    gateways = [{"type": "CIDR", "value": "198.51.100.0/24"}]
    ci = okta.post("/api/v1/zones", json={"type": "IP", "name": "ci", "gateways": gateways}).json()
    body = {"name": "terraform", "network": {"connection": "ZONE", "include": [ci["id"]]}}
    assert okta.put(f"/api/v1/api-tokens/{token['id']}", json=body).status_code == 200
    headers = {"Authorization": f"SSWS {_secret_of(sandbox, token['id'])}"}
    url = f"{sandbox.org_url}/api/v1/zones"
    outside = requests.get(url, headers=headers, timeout=10)  # from 127.0.0.1
    assert (outside.status_code, outside.json()["errorCode"]) == (403, "E0000006")
    [event] = _events(sandbox, "system.api_token.request_outside_allowed_range")
    assert event["target"][0]["id"] == token["id"]
    assert event["client"]["ipAddress"] == "127.0.0.1"
    inside = requests.get(url, headers={**headers, "X-Forwarded-For": "198.51.100.7"}, timeout=10)
    assert inside.status_code == 200
    # other tokens are not affected
    assert okta.get("/api/v1/zones").status_code == 200


def test_service_apps_are_listed_as_oidc_apps(sandbox: Sandbox, okta: OrgSession) -> None:
    _, public = new_rsa_key_pems()
    zone = _zone(okta, "LegacyIpZone")["id"]
    open_app = sandbox.add_service_app(public, ["okta.users.read"], name="SIEM export")
    confined = sandbox.add_service_app(
        public,
        ["okta.users.read"],
        name="HR sync",
        network={"connection": "ZONE", "include": [zone]},
    )
    apps = okta.get("/api/v1/apps", params={"filter": 'name eq "oidc_client"'}).json()
    by_id = {a["id"]: a for a in apps}
    assert set(by_id) == {open_app, confined}
    client = by_id[open_app]["settings"]["oauthClient"]
    assert (client["application_type"], client["grant_types"]) == (
        "service",
        ["client_credentials"],
    )
    assert "network" not in client  # as Okta creates it: no restriction
    assert by_id[confined]["settings"]["oauthClient"]["network"]["include"] == [zone]
    assert by_id[open_app]["credentials"]["oauthClient"]["client_id"] == open_app


def test_hardened_seed_turns_the_controls_on() -> None:
    state = build("hardened")
    zones = {z["name"]: z for z in state["zones"].values()}
    runner = zones["Sandbox runner"]
    owners = {t["userId"] for t in state["api_tokens"].values()}
    assert len(owners) == 1
    [owner] = owners
    assert state["users"][owner]["profile"]["login"] == "svc-egress-guard@example.com"
    assert all(
        t["network"] == {"connection": "ZONE", "include": [runner["id"]]}
        for t in state["api_tokens"].values()
    )
    assert state["threat_insight"]["action"] == "block"
    assert zones["DefaultEnhancedDynamicZone"]["status"] == "ACTIVE"
