"""Sandbox request bodies: malformed nested JSON and invalid values get Okta's 400 naming the
field, never a 5xx, and nothing of them is stored."""

from __future__ import annotations

from typing import Any

import pytest

from okta_sandbox import Sandbox

POLICIES = "/api/v1/policies"
SIGN_ON = {"type": "OKTA_SIGN_ON", "name": "p"}
TOKEN_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def console_id(okta: Any) -> str:
    policies = okta.get(POLICIES, params={"type": "ACCESS_POLICY"}).json()
    return str(next(p["id"] for p in policies if p["name"] == "Okta Admin Console"))


def default_sign_on_id(okta: Any) -> str:
    return str(okta.get(POLICIES, params={"type": "OKTA_SIGN_ON"}).json()[0]["id"])


def counts(sandbox: Sandbox) -> dict[str, int]:
    state = sandbox.snapshot()
    sizes = {kind: len(state[kind]) for kind in ("zones", "policies", "groups", "users")}
    sizes["rules"] = sum(len(rules) for rules in state["rules"].values())
    return sizes


def path_for(okta: Any, template: str) -> str:
    return template.format(console=console_id(okta), signon=default_sign_on_id(okta))


CONSOLE_RULES = POLICIES + "/{console}/rules"
SIGN_ON_RULES = POLICIES + "/{signon}/rules"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/users", {"profile": {"login": 5}}, "profile.login"),
        (POLICIES, {**SIGN_ON, "conditions": {"people": "x"}}, "conditions.people"),
        (
            POLICIES,
            {**SIGN_ON, "conditions": {"people": {"groups": "x"}}},
            "conditions.people.groups",
        ),
        (
            CONSOLE_RULES,
            {"name": "r", "conditions": {"people": {"users": "x"}}},
            "conditions.people.users",
        ),
        ("/api/v1/zones", {"type": ["IP"], "name": "z"}, "type"),
        (
            "/api/v1/zones",
            {"type": "IP", "name": "z", "gateways": [{"type": "CIDR", "value": 5}]},
            "gateways.0.value",
        ),
        ("/api/v1/groups", {"profile": {"name": ["a", "b"]}}, "profile.name"),
        ("/api/v1/zones", [1, 2], ""),
        (POLICIES, "not an object", ""),
    ],
)
def test_malformed_bodies_get_400_naming_the_field(
    okta: Any, sandbox: Sandbox, path: str, body: Any, field: str
) -> None:
    before = counts(sandbox)
    response = okta.post(path_for(okta, path), json=body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["errorCode"] in ("E0000001", "E0000003") and error["errorId"]
    causes = " ".join(c["errorSummary"] for c in error["errorCauses"])
    assert field in causes
    assert counts(sandbox) == before


def test_a_non_utf8_token_request_is_an_oauth_400(okta: Any) -> None:
    response = okta.post("/oauth2/v1/token", data=b"grant_type=\xff\xfe", headers=TOKEN_FORM)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("path", "body", "code", "field"),
    [
        (
            "/api/v1/zones",
            {"type": "DYNAMIC_V2", "name": "d", "locations": "garbage"},
            "E0000001",
            "locations",
        ),
        ("/api/v1/zones", {"type": "DYNAMIC", "name": "d", "asns": 5}, "E0000001", "asns"),
        ("/api/v1/zones", {"type": "IP", "name": "z", "status": "BOGUS"}, "E0000001", "status"),
        (POLICIES, {**SIGN_ON, "status": "BOGUS"}, "E0000001", "status"),
        (POLICIES, {**SIGN_ON, "description": 5}, "E0000001", "description"),
        (
            POLICIES,
            {"type": "ACCESS_POLICY", "name": "a", "conditions": "zzz"},
            "E0000001",
            "conditions",
        ),
        (SIGN_ON_RULES, {"name": "r", "status": "BOGUS"}, "E0000001", "status"),
        (
            SIGN_ON_RULES,
            {"name": "r", "actions": {"signon": {"session": "x"}}},
            "E0000001",
            "actions.signon.session",
        ),
        (
            SIGN_ON_RULES,
            {"name": "r", "actions": {"signon": {"requireFactor": "yes"}}},
            "E0000001",
            "actions.signon.requireFactor",
        ),
        (
            CONSOLE_RULES,
            {"name": "r", "actions": {"appSignOn": {"verificationMethod": "x"}}},
            "E0000001",
            "actions.appSignOn.verificationMethod",
        ),
        (
            SIGN_ON_RULES,
            {"name": "r", "conditions": {"bogusCond": 5}},
            "E0000003",
            "conditions.bogusCond",
        ),
        (
            SIGN_ON_RULES,
            {"name": "r", "actions": {"signon": {"access": "ALLOW", "sparkle": True}}},
            "E0000003",
            "actions.signon.sparkle",
        ),
        (
            POLICIES,
            {**SIGN_ON, "conditions": {"people": {"groups": {"include": []}}, "zones": 1}},
            "E0000003",
            "conditions.zones",
        ),
    ],
)
def test_invalid_values_are_refused_not_stored(
    okta: Any, sandbox: Sandbox, path: str, body: dict[str, Any], code: str, field: str
) -> None:
    before = counts(sandbox)
    response = okta.post(path_for(okta, path), json=body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["errorCode"] == code
    assert any(c["errorSummary"].startswith(field) for c in error["errorCauses"]), error
    assert counts(sandbox) == before


def test_replacing_with_invalid_values_changes_nothing(okta: Any) -> None:
    zone = okta.post(
        "/api/v1/zones", json={"type": "DYNAMIC", "name": "dyn", "asns": ["AS1"]}
    ).json()
    refused = okta.put(
        f"/api/v1/zones/{zone['id']}", json={"type": "DYNAMIC", "name": "dyn", "asns": 5}
    )
    assert refused.status_code == 400
    assert okta.get(f"/api/v1/zones/{zone['id']}").json()["asns"] == ["AS1"]
    policy = okta.post(POLICIES, json={**SIGN_ON, "description": "kept"}).json()
    refused = okta.put(f"{POLICIES}/{policy['id']}", json={**SIGN_ON, "description": 5})
    assert refused.status_code == 400
    assert okta.get(f"{POLICIES}/{policy['id']}").json()["description"] == "kept"


def test_read_only_fields_sent_back_are_ignored(okta: Any) -> None:
    zone = okta.post("/api/v1/zones", json={"type": "IP", "name": "ro"}).json()
    echoed = {**zone, "created": "not a date", "system": "no", "name": "ro2"}
    replaced = okta.put(f"/api/v1/zones/{zone['id']}", json=echoed)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["name"] == "ro2" and replaced.json()["created"] == zone["created"]


def test_control_endpoints_refuse_bodies_that_are_not_json(okta: Any) -> None:
    response = okta.post("/__sandbox/faults", data=b"\xff\xfe")
    assert response.status_code == 400 and response.json()["errorCode"] == "E0000003"
