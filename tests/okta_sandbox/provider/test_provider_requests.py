"""The provider stand-in sends okta/okta's requests, in okta/okta's order (v6.12.0 source, cited
in each resource's docstring), as the provider's own recorded traffic shows them
(../shared/okta/recordings/terraform-provider-okta/, read at run time): each test compares the
stand-in's requests, ids templated, with the cassette's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cassettes import RECORDINGS, load, template
from tf.types import Unknown

from okta_sandbox import Sandbox
from okta_sandbox.provider.api import OktaApi, RetryPolicy
from okta_sandbox.provider.app_policies import AppSignonPolicyRule
from okta_sandbox.provider.app_rules import AppSignonPolicyRules
from okta_sandbox.provider.base import ApiHolder
from okta_sandbox.provider.datasources import AppData, UserData
from okta_sandbox.provider.provider import verify_credentials
from okta_sandbox.provider.signon import PolicyRuleSignon, PolicySignon
from okta_sandbox.provider.zones import NetworkZone


@pytest.fixture
def org() -> Iterator[Sandbox]:
    with Sandbox.start(seed="default") as sandbox:
        yield sandbox


def holder(org: Sandbox) -> ApiHolder:
    """A configured provider whose API client keeps a journal of its requests."""
    provider = ApiHolder()
    provider.client = OktaApi(org.org_url, f"SSWS {org.api_token}", RetryPolicy(max_retries=0))
    provider.client.journal = []
    return provider


def calls(provider: ApiHolder) -> list[str]:
    """The journal as `METHOD /templated/path` (queries dropped), then emptied."""
    assert provider.client is not None and provider.client.journal is not None
    found = [
        f"{c.split(' ')[0]} {template(c.split(' ')[1].split('?')[0])}"
        for c in provider.client.journal
    ]
    provider.client.journal.clear()
    return found


def recorded(cassette: str, first: int, last: int) -> list[str]:
    """A cassette's requests `first`..`last` (interaction ids), as `METHOD /templated/path`."""
    items = load(RECORDINGS / "idaas" / f"{cassette}.yaml")
    return [f"{i.method} {i.template}" for i in items if first <= i.index <= last]


def group_id(org: Sandbox, name: str) -> str:
    return str(
        next(g["id"] for g in org.snapshot()["groups"].values() if g["profile"]["name"] == name)
    )


def policy_id(org: Sandbox, name: str) -> str:
    policies = org.snapshot()["policies"].values()
    kinds = ("OKTA_SIGN_ON", "ACCESS_POLICY")  # Okta has a "Default Policy" of other types too
    return str(next(p["id"] for p in policies if p["name"] == name and p["type"] in kinds))


def test_configure_checks_an_api_token_twice_and_oauth_not_at_all(org: Sandbox) -> None:
    provider = holder(org)
    assert provider.client is not None
    verify_credentials(provider.client, {"api_token": org.api_token})
    assert calls(provider) == ["GET /api/v1/users/me", "GET /api/v1/users/me"]  # SDK v3, v2
    verify_credentials(provider.client, {"client_id": "0oa1", "private_key": "..."})
    assert calls(provider) == []


def test_zone_requests(org: Sandbox) -> None:
    provider = holder(org)
    zones = NetworkZone(provider)
    planned = zones.state(
        {"id": Unknown, "name": "eg-test", "type": "IP", "status": "INACTIVE", "usage": "POLICY",
         "gateways": ["198.51.100.7"]}
    )  # fmt: skip
    state = zones.create(None, planned)
    # POST then the lifecycle call, state from its answer: no GET (recorded: created ACTIVE,
    # deactivated right after)
    assert calls(provider) == recorded("TestAccResourceOktaNetworkZone_issue_2578/oie-00", 0, 1)
    assert (state["status"], state["gateways"]) == ("INACTIVE", ["198.51.100.7"])
    state = zones.update(None, state, {**state, "status": "ACTIVE"})
    assert calls(provider) == [
        "PUT /api/v1/zones/{zoneId}",
        "POST /api/v1/zones/{zoneId}/lifecycle/activate",
    ]
    assert state["status"] == "ACTIVE"
    zones.delete(None, state)
    assert calls(provider) == [
        "POST /api/v1/zones/{zoneId}/lifecycle/deactivate",
        "DELETE /api/v1/zones/{zoneId}",
    ]


def test_global_session_policy_and_rule_requests(org: Sandbox) -> None:
    provider = holder(org)
    policies, rules = PolicySignon(provider), PolicyRuleSignon(provider)
    policy = policies.create(
        None,
        policies.state(
            {"id": Unknown, "name": "eg-test", "description": "d", "status": "ACTIVE",
             "groups_included": [group_id(org, "Okta Administrators")]}
        ),
    )  # fmt: skip
    rule = rules.create(
        None,
        rules.state(
            {"id": Unknown, "policy_id": policy["id"], "name": "eg-test rule", "status": "ACTIVE",
             "access": "ALLOW", "network_connection": "ANYWHERE"}
        ),
    )  # fmt: skip
    # POST, activate, GET; then the rule: POST, GET policy, GET rule
    assert calls(provider) == recorded("TestAccResourceOktaPolicyRuleSignon_GH2494/oie-00", 2, 7)
    rules.update(None, rule, {**rule, "access": "DENY"})
    assert calls(provider) == [
        "PUT /api/v1/policies/{policyId}/rules/{ruleId}",
        "POST /api/v1/policies/{policyId}/rules/{ruleId}/lifecycle/activate",  # always
        "GET /api/v1/policies/{policyId}",
        "GET /api/v1/policies/{policyId}/rules/{ruleId}",
    ]
    rules.delete(None, rule)
    assert calls(provider) == [
        "GET /api/v1/policies/{policyId}",
        "GET /api/v1/policies/{policyId}/rules/{ruleId}",
        "DELETE /api/v1/policies/{policyId}/rules/{ruleId}",
    ]
    policies.update(None, policy, {**policy, "description": "changed"})
    assert calls(provider) == [
        "PUT /api/v1/policies/{policyId}",
        "POST /api/v1/policies/{policyId}/lifecycle/activate",
        "GET /api/v1/policies/{policyId}",
    ]


def test_app_rule_asks_the_org_pipeline_once_then_reads_only_the_rule(org: Sandbox) -> None:
    provider = holder(org)
    rules = AppSignonPolicyRule(provider)
    planned = rules.state(
        {"id": Unknown, "policy_id": policy_id(org, "Okta Admin Console"), "name": "eg-test",
         "status": "ACTIVE", "priority": None, "access": "ALLOW", "factor_mode": "2FA",
         "type": "ASSURANCE", "re_authentication_frequency": "PT2H",
         "network_connection": "ANYWHERE"}
    )  # fmt: skip
    rule = rules.create(None, planned)
    # recorded: the well-known document first (once per process), POST, GET the rule
    assert calls(provider) == recorded(
        "TestAccResourceOktaAppSignOnPolicyRule_default_crud/oie-00", 0, 2
    )
    rules.update(None, rule, {**rule, "access": "DENY"})
    # no lifecycle call: the status did not change
    assert calls(provider) == [
        "PUT /api/v1/policies/{policyId}/rules/{ruleId}",
        "GET /api/v1/policies/{policyId}/rules/{ruleId}",
    ]


def _grouped_rule(name: str, priority: int) -> dict[str, Any]:
    return {"id": Unknown, "name": name, "priority": priority, "status": "ACTIVE",
            "access": "ALLOW", "factor_mode": "2FA", "type": "ASSURANCE",
            "re_authentication_frequency": "PT2H", "network_connection": "ANYWHERE",
            "system": Unknown, "risk_score": Unknown}  # fmt: skip


def test_grouped_rules_written_in_priority_order_and_adopted_by_name(org: Sandbox) -> None:
    provider = holder(org)
    grouped = AppSignonPolicyRules(provider)
    console = policy_id(org, "Okta Admin Console")
    # config order is not priority order: the provider sorts (rules.go:808-824)
    config = [
        _grouped_rule("second", 2),
        _grouped_rule("first", 1),
        _grouped_rule("Admin App Policy", 3),
    ]
    state = grouped.create(
        None, grouped.state({"id": Unknown, "policy_id": console, "rule": config})
    )
    assert calls(provider) == [
        "GET /api/v1/policies/{policyId}/rules",  # existing rules, to adopt by name
        "POST /api/v1/policies/{policyId}/rules",  # "first"
        "POST /api/v1/policies/{policyId}/rules",  # "second"
        "GET /api/v1/policies/{policyId}/rules/{ruleId}",  # the existing "Admin App Policy"
        "PUT /api/v1/policies/{policyId}/rules/{ruleId}",
    ]
    assert [(r["name"], r["priority"]) for r in state["rule"]] == [
        ("second", 2),
        ("first", 1),
        ("Admin App Policy", 3),
    ]
    rules = {r["name"]: r for r in org.snapshot()["rules"][console].values()}
    assert (rules["first"]["priority"], rules["second"]["priority"]) == (1, 2)
    # update: GET + PUT per rule, in priority order; a rule left out is deleted
    planned = {**state, "rule": [state["rule"][1], state["rule"][0]]}
    grouped.update(None, state, planned)
    assert calls(provider) == [
        "DELETE /api/v1/policies/{policyId}/rules/{ruleId}",  # "Admin App Policy"
        "GET /api/v1/policies/{policyId}/rules/{ruleId}",
        "PUT /api/v1/policies/{policyId}/rules/{ruleId}",
        "GET /api/v1/policies/{policyId}/rules/{ruleId}",
        "PUT /api/v1/policies/{policyId}/rules/{ruleId}",
    ]


def test_grouped_rules_create_matches_the_recording(org: Sandbox) -> None:
    """TestAccResourceOktaAppSignOnPolicyRules_crud/oie-00: GET rules, then POST x6 in
    priority order (0..5), Okta answering the priorities asked for."""
    items = load(
        RECORDINGS / "idaas" / "TestAccResourceOktaAppSignOnPolicyRules_crud" / "oie-00.yaml"
    )
    posts = [
        i for i in items if i.method == "POST" and i.template.endswith("/rules") and i.index <= 16
    ]
    provider = holder(org)
    grouped = AppSignonPolicyRules(provider)
    console = policy_id(org, "Okta Dashboard")
    config = [
        _grouped_rule(str(p.req_body["name"]), int(p.req_body["priority"])) for p in reversed(posts)
    ]
    state = grouped.create(
        None, grouped.state({"id": Unknown, "policy_id": console, "rule": config})
    )
    sent = [c for c in calls(provider) if c.startswith("POST") or c.endswith("/rules")]
    assert sent == recorded("TestAccResourceOktaAppSignOnPolicyRules_crud/oie-00", 9, 16)[:1] + [
        "POST /api/v1/policies/{policyId}/rules"
    ] * len(posts)
    answered = {r["name"]: r["priority"] for r in state["rule"]}
    assert answered == {str(p.body["name"]): p.body["priority"] for p in posts}


def test_data_sources_request_as_okta_okta(org: Sandbox) -> None:
    provider = holder(org)
    AppData(provider).lookup({"label": "Okta Admin Console", "active_only": None})
    assert provider.client is not None and provider.client.journal == [
        'GET /api/v1/apps?filter=status eq "ACTIVE"&limit=1&q=Okta Admin Console'
    ]
    calls(provider)
    UserData(provider).lookup(
        {"search": [{"name": "profile.login", "value": "breakglass@example.com"}]}
    )
    assert calls(provider) == [
        "GET /api/v1/users",
        "GET /api/v1/users/{userId}/roles",  # admin_roles
        "GET /api/v1/users/{userId}/roles",  # roles
        "GET /api/v1/users/{userId}/groups",
    ]
