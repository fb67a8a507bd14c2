"""Sandbox System Log: events for every mutation, bounded and polling requests, filters."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from paths import SHARED

from okta_sandbox import Sandbox, seeds
from okta_sandbox.core.session import OrgSession
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
        "detailEntry": None,  # explicit nulls where Okta sends them (the spec's ListLogs)
    }
    assert create["actor"]["detailEntry"] is None and create["client"]["id"] is None
    assert create["outcome"] == {"result": "SUCCESS", "reason": None}
    assert create["transaction"]["id"] == zone.headers["X-Okta-Request-Id"]
    tokens = okta.get("/api/v1/api-tokens").json()
    token = next(t for t in tokens if t["name"] == "egress-guard sandbox")  # the caller's
    assert create["transaction"]["detail"] == {"requestApiTokenId": token["id"]}
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
    assert invalid.status_code == 400 and invalid.json()["errorCode"] == "E0000053"


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
    starts = [
        e
        for e in history
        if e["eventType"] == "user.session.start" and e["outcome"]["result"] == "SUCCESS"
    ]
    sessions = {e["authenticationContext"]["externalSessionId"] for e in starts}
    assert len(sessions) == len(starts)  # one session per sign-in
    assert all(e["authenticationContext"]["rootSessionId"] in sessions for e in starts)
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


def error(response: Any) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["errorCode"], body["errorSummary"]


def test_documented_400s_of_the_system_log(okta: Any) -> None:
    """The error bodies of Okta's System Log query reference (Errors section)."""
    old = (datetime.now(UTC) - timedelta(days=181)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert error(okta.get(LOGS, params={"since": old})) == (
        400,
        "E0000053",
        "Invalid parameter: The since parameter is over 180 days prior to the current day.",
    )
    bad_date = okta.get(LOGS, params={"until": "last tuesday"})
    assert error(bad_date) == (
        400,
        "E0000001",
        "Api validation failed: 'until': The date format in your query is not recognized. "
        "Please enter dates using ISO8601 string format. 'until': must be a valid date-time "
        "or empty.",
    )
    assert [c["errorSummary"] for c in bad_date.json()["errorCauses"]] == [
        "until: The date format in your query is not recognized. Please enter dates using "
        "ISO8601 string format.",
        "until: must be a valid date-time or empty.",
    ]
    assert error(okta.get(LOGS, params={"filter": 'display_message eqq "Create okta user"'})) == (
        400,
        "E0000053",
        "Invalid filter 'display_message eqq \"Create okta user\"': Unrecognized attribute "
        "operator 'eqq' at position 16. Expected: eq,co,sw,pr,gt,ge,lt,le",
    )
    assert error(okta.get(LOGS, params={"filter": 'some_invalid_field eq "x"'})) == (
        400,
        "E0000053",
        "field is not valid: some_invalid_field",
    )
    assert error(okta.get(LOGS, params={"filter": 'debugContext.debugData.url co "/oauth/"'})) == (
        400,
        "E0000031",
        "The supplied combination of operator and field is not currently supported. "
        "Operator: co, Field: debugContext.debugData.url",
    )
    long_q = okta.get(LOGS, params={"q": "x" * 41})
    assert error(long_q)[:2] == (400, "E0000001")
    assert "longer than 40 characters" in error(long_q)[2]
    assert okta.get(LOGS, params={"q": "x" * 40}).status_code == 200


def test_filters_take_snake_case_and_any_debug_data_key(okta: Any) -> None:
    camel = okta.get(LOGS, params={"filter": 'eventType eq "user.session.start"'}).json()
    snake = okta.get(LOGS, params={"filter": 'event_type eq "user.session.start"'}).json()
    assert camel and [e["uuid"] for e in camel] == [e["uuid"] for e in snake]
    found = okta.get(
        LOGS, params={"filter": 'debugContext.debugData.threatSuspected eq "false"'}
    ).json()
    assert found and all(
        e["debugContext"]["debugData"]["threatSuspected"] == "false" for e in found
    )


def test_seeded_sign_in_events_are_shaped_as_okta_emits_them(sandbox: Sandbox) -> None:
    history = sandbox.snapshot()["logs"]
    failed = [
        e
        for e in history
        if e["eventType"] == "user.session.start" and e["outcome"]["result"] == "FAILURE"
    ]
    assert failed and all(e["severity"] == "INFO" for e in failed)
    assert {e["outcome"]["reason"] for e in failed} <= {"INVALID_CREDENTIALS", "VERIFICATION_ERROR"}
    assert all(e["legacyEventType"] == "core.user_auth.login_failed" for e in failed)
    assert all(e["authenticationContext"]["externalSessionId"] == "unknown" for e in failed)
    start = next(
        e
        for e in history
        if e["eventType"] == "user.session.start" and e["outcome"]["result"] == "SUCCESS"
    )
    debug = start["debugContext"]["debugData"]
    assert set(debug) >= {"requestId", "requestUri", "url", "dtHash", "threatSuspected"}
    assert debug["threatSuspected"] == "false" and debug["behaviors"].startswith("{New Geo")
    assert set(start["securityContext"]) == {"asNumber", "asOrg", "isp", "domain", "isProxy"}
    assert start["transaction"]["detail"] is None
    assert start["request"]["ipChain"][0]["source"] is None
    evaluations = [e for e in history if e["eventType"] == "policy.evaluate_sign_on"]
    assert {e["outcome"]["result"] for e in evaluations} == {"ALLOW"}
    assert all(
        {"PolicyEntity", "PolicyRule", "AppInstance"} <= {t["type"] for t in e["target"]}
        for e in evaluations
    )


def test_attacks_seed_plants_every_pattern_among_noise(sandbox_factory: Any) -> None:
    sandbox = sandbox_factory(seed="attacks")
    okta = OrgSession(sandbox.org_url, sandbox.api_token)
    served = []
    response = okta.get(LOGS, params={"limit": 1000})
    while response.json():  # the whole log, through the spec audit
        served += response.json()
        response = okta.get(response.links["next"]["url"])
    types = {e["eventType"] for e in served}
    assert types >= {
        "security.session.detect_client_roaming",
        "user.mfa.factor.deactivate",
        "user.mfa.factor.reset_all",
        "system.mfa.factor.deactivate",
        "user.lifecycle.create",
        "user.lifecycle.activate",
        "user.lifecycle.reactivate",
        "user.lifecycle.unsuspend",
        "user.account.privilege.grant",
        "group.privilege.grant",
        "system.api_token.create",
        "system.api_token.request_outside_allowed_range",
        "policy.rule.deactivate",
        "security.threat.detected",
        "user.account.report_suspicious_activity_by_enduser",
        "group.user_membership.add",
        "group.user_membership.remove",
    }
    assert len(served) > 1500 and served[0]["published"] < served[-1]["published"]
    threat = next(e for e in served if e["eventType"] == "security.threat.detected")
    assert threat["actor"]["type"] == "IP address" and threat["severity"] == "WARN"
    assert threat["actor"]["id"] == threat["client"]["ipAddress"]
    # the org agrees with its log: the backdoor account exists, holds its role and its token
    backdoor = okta.get("/api/v1/users/svc-backup@example.com").json()
    roles = okta.get(f"/api/v1/users/{backdoor['id']}/roles").json()
    assert {r["type"] for r in roles} == {"SUPER_ADMIN", "ORG_ADMIN"}
    tokens = okta.get("/api/v1/api-tokens").json()
    assert any(t["name"] == "backup-sync" and t["userId"] == backdoor["id"] for t in tokens)
    assert okta.get("/api/v1/users/dave@example.com/factors").json() == []
    # dave joined a group holding a role (no privilege event): he holds the role through it
    joins = [e for e in served if e["eventType"] == "group.user_membership.add"]
    groups = {t["displayName"] for e in joins for t in e["target"] if t["type"] == "UserGroup"}
    assert groups == {"Engineering", "Okta Operators", "Backup Operators"}
    dave_roles = okta.get("/api/v1/users/dave@example.com/roles").json()
    assert [(r["type"], r["assignmentType"]) for r in dave_roles] == [("ORG_ADMIN", "GROUP")]
    engineering = okta.get("/api/v1/groups", params={"q": "Engineering"}).json()[0]
    members = okta.get(f"/api/v1/groups/{engineering['id']}/users").json()
    assert sorted(m["profile"]["login"] for m in members) == [
        "carol@example.com",
        "dave@example.com",
    ]
