"""Sandbox System Log: events for every mutation, bounded and polling requests, filters."""

from __future__ import annotations

import json
import random
from typing import Any

from paths import SHARED

from okta_sandbox import Sandbox, seeds
from okta_sandbox.logs.events import EVENT_TYPES
from okta_sandbox.seeds.history import add_history

CATALOGUE = SHARED / "okta" / "event-types.json"
LOGS = "/api/v1/logs"
ADMIN_APP = "user.session.access_admin_app"


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
    since = okta.get(LOGS, params={"sortOrder": "DESCENDING", "limit": 1}).json()[0]["published"]
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
        LOGS,
        params={
            "filter": 'eventType sw "zone." or eventType sw "policy.rule."',
            "since": since,  # after the seeded history (which has admin changes too)
        },
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


def test_seeded_history_looks_like_a_real_org(sandbox: Sandbox) -> None:
    state = sandbox.snapshot()
    history = state["logs"]
    admins = {
        u["id"] for u in state["users"].values() if u["profile"]["login"] != "carol@example.com"
    }
    types = {e["eventType"] for e in history}
    assert types >= {
        "user.session.start",
        "user.authentication.auth_via_mfa",
        "user.authentication.sso",
        "user.session.access_admin_app",
        "policy.evaluate_sign_on",
    }
    assert types & {"policy.rule.update", "policy.lifecycle.update", "zone.update"}
    starts = [e for e in history if e["eventType"] == "user.session.start"]
    sessions = {e["authenticationContext"]["externalSessionId"] for e in starts}
    assert len(sessions) == len(starts)  # one session per sign-in
    privileged = [
        e
        for e in history
        if e["eventType"]
        in {"policy.rule.update", "policy.lifecycle.update", "zone.update", ADMIN_APP}
    ]
    assert privileged and all(e["actor"]["id"] in admins for e in privileged)
    changes = [e for e in history if e["eventType"] == "policy.rule.update"]
    for change in changes:  # changes name real objects of the org
        assert {t["type"] for t in change["target"]} == {"PolicyRule", "PolicyEntity"}
        assert any(
            t["id"] in state["rules"].get(change["target"][1]["id"], {}) for t in change["target"]
        )
    assert {e["client"]["zone"] for e in history} == {"null"}  # no seeded zone has gateways
    assert any(e["outcome"]["result"] == "FAILURE" for e in history)


def test_history_is_deterministic_for_a_seed() -> None:
    base = seeds.build("empty")
    actors = list(base["users"].values())
    runs = []
    for _ in range(2):
        state = json.loads(json.dumps(base))
        add_history(state, actors, 300, 3, admins={actors[0]["id"]}, rng=random.Random(5))
        runs.append(
            [
                (
                    e["eventType"],
                    e["client"]["ipAddress"],
                    e["authenticationContext"]["externalSessionId"],
                    e["uuid"],
                )
                for e in state["logs"]
            ]
        )
    assert runs[0] == runs[1] and len(runs[0]) == 300


def test_client_zone_names_the_zone_the_caller_is_in(okta: Any) -> None:
    okta.post(
        "/api/v1/zones",
        json={
            "type": "IP",
            "name": "Office",
            "gateways": [{"type": "CIDR", "value": "203.0.113.0/24"}],
        },
    )
    okta.post(
        "/api/v1/groups",
        json={"profile": {"name": "inside"}},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    okta.post(
        "/api/v1/groups",
        json={"profile": {"name": "outside"}},
        headers={"X-Forwarded-For": "192.0.2.9"},
    )
    created = okta.get(LOGS, params={"filter": 'eventType eq "group.lifecycle.create"'}).json()
    assert [(e["target"][0]["displayName"], e["client"]["zone"]) for e in created] == [
        ("inside", "Office"),
        ("outside", "null"),
    ]
