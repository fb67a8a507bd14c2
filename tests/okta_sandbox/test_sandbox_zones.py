"""Sandbox network zones: CRUD, Okta's normalisation and limits, errors, filter and paging."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from okta_sandbox import Sandbox

ZONES = "/api/v1/zones"


def ip_zone(name: str, gateways: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "type": "IP",
        "name": name,
        "gateways": [{"type": "CIDR", "value": value} for value in gateways],
        **extra,
    }


def by_name(okta: Any) -> dict[str, dict[str, Any]]:
    return {zone["name"]: zone for zone in okta.get(ZONES).json()}


def test_fresh_org_has_the_four_system_zones(okta: Any) -> None:
    zones = by_name(okta)
    assert set(zones) == {
        "LegacyIpZone",
        "BlockedIpZone",
        "DefaultExemptIpZone",
        "DefaultEnhancedDynamicZone",
    }
    assert all(zone["system"] for zone in zones.values())
    assert zones["DefaultEnhancedDynamicZone"]["type"] == "DYNAMIC_V2"
    assert zones["BlockedIpZone"]["usage"] == "BLOCKLIST"
    assert zones["LegacyIpZone"]["gateways"] is None


def test_create_get_replace_delete(okta: Any) -> None:
    created = okta.post(ZONES, json=ip_zone("corp", ["198.51.100.0/24"])).json()
    assert created["id"].startswith("nzo") and created["status"] == "ACTIVE"
    assert created["usage"] == "POLICY" and created["system"] is False
    assert created["_links"]["self"]["href"].endswith(f"/api/v1/zones/{created['id']}")
    fetched = okta.get(f"{ZONES}/{created['id']}").json()
    assert fetched["gateways"] == [{"type": "CIDR", "value": "198.51.100.0/24"}]
    body = ip_zone(
        "corp-renamed",
        ["203.0.113.0/24"],
        proxies=[{"type": "RANGE", "value": "192.0.2.1-192.0.2.9"}],
    )
    replaced = okta.put(f"{ZONES}/{created['id']}", json=body).json()
    assert replaced["name"] == "corp-renamed"
    assert replaced["proxies"] == [{"type": "RANGE", "value": "192.0.2.1-192.0.2.9"}]
    assert okta.delete(f"{ZONES}/{created['id']}").status_code == 204
    missing = okta.get(f"{ZONES}/{created['id']}")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "E0000007"


def test_single_ip_becomes_a_range_and_slash_32_stays_cidr(okta: Any) -> None:
    body = ip_zone("single", ["192.0.2.7", "192.0.2.8/32"])
    body["gateways"].append({"type": "RANGE", "value": "192.0.2.9"})
    zone = okta.post(ZONES, json=body).json()
    assert zone["gateways"] == [
        {"type": "RANGE", "value": "192.0.2.7-192.0.2.7"},
        {"type": "CIDR", "value": "192.0.2.8/32"},
        {"type": "RANGE", "value": "192.0.2.9-192.0.2.9"},
    ]


def test_activate_and_deactivate(okta: Any) -> None:
    zone = okta.post(ZONES, json=ip_zone("toggle", ["198.51.100.0/24"])).json()
    inactive = okta.post(f"{ZONES}/{zone['id']}/lifecycle/deactivate").json()
    assert inactive["status"] == "INACTIVE" and "activate" in inactive["_links"]
    active = okta.post(f"{ZONES}/{zone['id']}/lifecycle/activate").json()
    assert active["status"] == "ACTIVE" and "deactivate" in active["_links"]


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        (ip_zone("x" * 129, ["198.51.100.0/24"]), "128"),
        (ip_zone("many", [f"10.0.{n // 256}.{n % 256}/32" for n in range(151)]), "150"),
        (
            {
                **ip_zone("p", []),
                "proxies": [{"type": "CIDR", "value": f"10.1.0.{n}/32"} for n in range(151)],
            },
            "150",
        ),
        (ip_zone("bad", ["300.1.2.3/24"]), "300.1.2.3"),
        (
            {
                "type": "IP",
                "name": "range",
                "gateways": [{"type": "RANGE", "value": "10.0.0.9-10.0.0.1"}],
            },
            "range",
        ),
        (
            {
                "type": "IP",
                "name": "blk",
                "usage": "BLOCKLIST",
                "proxies": [{"type": "CIDR", "value": "10.0.0.0/24"}],
            },
            "blocklist",
        ),
        ({"type": "BOGUS", "name": "t"}, "type"),
        ({"type": "IP"}, "name"),
    ],
)
def test_invalid_zones_get_e0000001(okta: Any, body: dict[str, Any], cause: str) -> None:
    response = okta.post(ZONES, json=body)
    assert response.status_code == 400
    error = response.json()
    assert error["errorCode"] == "E0000001"
    assert cause.lower() in " ".join(c["errorSummary"] for c in error["errorCauses"]).lower()


def test_blocklist_zone_allows_1000_gateways(okta: Any) -> None:
    gateways = [f"10.{n // 256}.{n % 256}.0/24" for n in range(1000)]
    zone = okta.post(ZONES, json=ip_zone("blocked", gateways, usage="BLOCKLIST")).json()
    assert len(zone["gateways"]) == 1000 and zone["proxies"] is None


def test_unknown_property_and_malformed_json(okta: Any) -> None:
    unknown = okta.post(ZONES, json={**ip_zone("u", []), "colour": "red"})
    assert unknown.status_code == 400 and unknown.json()["errorCode"] == "E0000003"
    malformed = okta.post(
        ZONES, data=b'{"type": "IP", "name":', headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400 and malformed.json()["errorCode"] == "E0000003"


def test_duplicate_name_refused(okta: Any) -> None:
    okta.post(ZONES, json=ip_zone("dup", []))
    again = okta.post(ZONES, json=ip_zone("dup", []))
    assert again.status_code == 400 and again.json()["errorCode"] == "E0000001"


def test_system_zone_cannot_be_deleted(okta: Any) -> None:
    legacy = by_name(okta)["LegacyIpZone"]
    response = okta.delete(f"{ZONES}/{legacy['id']}")
    assert response.status_code == 403 and response.json()["errorCode"] == "E0000006"
    renamed = okta.put(
        f"{ZONES}/{legacy['id']}",
        json=ip_zone("LegacyIpZone", [f"10.9.{n // 256}.{n % 256}/32" for n in range(400)]),
    )
    assert renamed.status_code == 200 and len(renamed.json()["gateways"]) == 400


def test_zone_used_by_a_rule_cannot_be_deleted(okta: Any) -> None:
    zone = okta.post(ZONES, json=ip_zone("in-use", ["198.51.100.0/24"])).json()
    policy = okta.get("/api/v1/policies", params={"type": "OKTA_SIGN_ON"}).json()[0]
    rule = okta.post(
        f"/api/v1/policies/{policy['id']}/rules",
        json={
            "name": "from corp",
            "type": "SIGN_ON",
            "conditions": {"network": {"connection": "ZONE", "include": [zone["id"]]}},
        },
    )
    assert rule.status_code == 200
    refused = okta.delete(f"{ZONES}/{zone['id']}")
    assert refused.status_code == 400 and refused.json()["errorCode"] == "E0000001"
    okta.delete(f"/api/v1/policies/{policy['id']}/rules/{rule.json()['id']}")
    assert okta.delete(f"{ZONES}/{zone['id']}").status_code == 204


def test_at_most_100_zones(okta: Any, sandbox: Sandbox) -> None:
    with requests.Session() as plain:  # bulk set-up: the shape is checked in other tests
        plain.headers["Authorization"] = f"SSWS {sandbox.api_token}"
        for n in range(96):
            assert plain.post(sandbox.org_url + ZONES, json=ip_zone(f"z{n}", [])).ok
    refused = okta.post(ZONES, json=ip_zone("z-101", []))
    assert refused.status_code == 400 and "100" in refused.json()["errorCauses"][0]["errorSummary"]


def test_filter_and_pagination(okta: Any) -> None:
    for n in range(5):
        okta.post(ZONES, json=ip_zone(f"page-{n}", []))
    system = okta.get(ZONES, params={"filter": "system eq true"}).json()
    assert len(system) == 4
    blocklists = okta.get(ZONES, params={"filter": 'usage eq "BLOCKLIST"'}).json()
    assert {z["name"] for z in blocklists} == {"BlockedIpZone", "DefaultEnhancedDynamicZone"}
    seen: list[str] = []
    response = okta.get(ZONES, params={"limit": 3})
    while True:
        assert 'rel="self"' in response.headers["Link"]
        seen += [z["name"] for z in response.json()]
        if "next" not in response.links:
            break
        response = okta.get(response.links["next"]["url"])
    assert len(seen) == 9 and len(set(seen)) == 9
    bad = okta.get(ZONES, params={"filter": 'name eq "x"'})
    assert bad.status_code == 400 and bad.json()["errorCode"] == "E0000031"
    cursor = okta.get(ZONES, params={"after": "nzoDoesNotExist"})
    assert cursor.status_code == 400 and cursor.json()["errorCode"] == "E0000029"
