"""Sandbox System Log: events for every mutation, bounded and polling requests, filters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.sandbox.events import EVENT_TYPES

CATALOGUE = Path(__file__).resolve().parents[2] / "shared" / "okta" / "event-types.json"
LOGS = "/api/v1/logs"


def test_every_emitted_event_type_exists_in_oktas_catalogue() -> None:
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    known = {entry["id"] for entry in catalogue["versions"][0]["eventTypes"]}
    assert EVENT_TYPES - known == set()


def test_seed_has_history(okta: Any) -> None:
    events = okta.get(LOGS, params={"limit": 1000}).json()
    assert len(events) >= 50
    assert {e["eventType"] for e in events} >= {"user.session.start", "user.authentication.sso"}
    published = [e["published"] for e in events]
    assert published == sorted(published)


def test_mutations_are_logged_with_actor_target_and_transaction(okta: Any) -> None:
    zone = okta.post(
        "/api/v1/zones",
        json={
            "type": "IP",
            "name": "corp",
            "gateways": [{"type": "CIDR", "value": "198.51.100.0/24"}],
        },
    )
    zone_id = zone.json()["id"]
    okta.put(f"/api/v1/zones/{zone_id}", json={"type": "IP", "name": "corp2"})
    policy = okta.get("/api/v1/policies", params={"type": "OKTA_SIGN_ON"}).json()[0]
    rule = okta.post(
        f"/api/v1/policies/{policy['id']}/rules", json={"name": "r", "type": "SIGN_ON"}
    ).json()
    okta.post(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}/lifecycle/deactivate")
    recent = okta.get(
        LOGS, params={"filter": 'eventType sw "zone." or eventType sw "policy.rule."'}
    ).json()
    assert [e["eventType"] for e in recent] == [
        "zone.create",
        "zone.update",
        "policy.rule.add",
        "policy.rule.deactivate",
    ]
    create = recent[0]
    assert create["actor"]["alternateId"] == "alice.admin@example.com"
    assert create["actor"]["type"] == "User"
    assert create["client"]["ipAddress"] == "127.0.0.1"
    assert create["target"][0] == {
        "id": zone_id,
        "type": "Zone",
        "alternateId": "corp",
        "displayName": "corp",
    }
    assert create["transaction"]["id"] == zone.headers["X-Okta-Request-Id"]
    assert create["outcome"]["result"] == "SUCCESS"
    by_target = okta.get(LOGS, params={"filter": f'target.id eq "{rule["id"]}"'}).json()
    assert len(by_target) == 2
    assert okta.get(LOGS, params={"q": "corp2"}).json()[0]["eventType"] == "zone.update"


def test_polling_always_has_a_next_link(okta: Any) -> None:
    response = okta.get(LOGS, params={"limit": 1000})
    first = response.json()
    assert 0 < len(first) < 1000
    response = okta.get(response.links["next"]["url"])
    assert response.json() == [] and "next" in response.links
    okta.post("/api/v1/groups", json={"profile": {"name": "New"}})
    newer = okta.get(response.links["next"]["url"]).json()
    assert [e["eventType"] for e in newer] == ["group.lifecycle.create"]
    assert newer[0]["uuid"] not in {e["uuid"] for e in first}


def test_bounded_requests_end_without_next(okta: Any) -> None:
    everything = okta.get(LOGS, params={"limit": 1000}).json()
    until = everything[-1]["published"]
    pages, response = [], okta.get(LOGS, params={"until": until, "limit": 25})
    while True:
        pages.append(response.json())
        if "next" not in response.links:
            break
        response = okta.get(response.links["next"]["url"])
    seen = [e["uuid"] for page in pages for e in page]
    assert seen == [e["uuid"] for e in everything if e["published"] <= until]
    descending = okta.get(LOGS, params={"sortOrder": "DESCENDING", "limit": 5})
    assert [e["uuid"] for e in descending.json()] == [e["uuid"] for e in everything[::-1][:5]]
    second = okta.get(descending.links["next"]["url"]).json()
    assert [e["uuid"] for e in second] == [e["uuid"] for e in everything[::-1][5:10]]


def test_since_until_window_and_bad_parameters(okta: Any) -> None:
    everything = okta.get(LOGS, params={"limit": 1000}).json()
    middle = everything[len(everything) // 2]["published"]
    later = okta.get(LOGS, params={"since": middle, "limit": 1000}).json()
    assert all(e["published"] >= middle for e in later) and len(later) < len(everything)
    for params in ({"after": "garbage"}, {"since": "yesterday"}, {"sortOrder": "UP"}):
        response = okta.get(LOGS, params=params)
        assert response.status_code == 400 and response.json()["errorCode"] == "E0000001"
    invalid = okta.get(LOGS, params={"filter": "eventType eq"})
    assert invalid.status_code == 400 and invalid.json()["errorCode"] == "E0000031"
