"""Conditions and actions nobody declared: each one can neutralise a deny rule (or change what
an allow rule grants) while every declared attribute still matches, so each must be a `changed`
finding naming the attribute, graded high."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from drift_support import (
    ALLOW_RULE,
    APP_DENY_RULE,
    DENY_RULE,
    GSP,
    Admin,
    config_fixture,
    desired_fixture,
    drift,
    only,
    synced_org_fixture,
)

from generator.drift.desired import Desired
from okta_sandbox import Sandbox

config = config_fixture("conditions")
desired = desired_fixture()
org = synced_org_fixture()

APP_ALLOW_RULE = "egress-guard admins from trusted egress"
Mutation = Callable[[Admin, dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(_: Admin, rule: dict[str, Any]) -> None:
        *parents, leaf = path.split(".")
        node = rule
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value

    return mutate


def _include_alice(admin: Admin, rule: dict[str, Any]) -> None:
    [alice] = admin.call(
        "GET", "/api/v1/users", search='profile.login eq "alice.admin@example.com"'
    )
    rule["conditions"]["people"]["users"]["include"] = [alice["id"]]


CASES: list[tuple[str, str, Mutation, str, Any]] = [
    # (policy, rule, mutation, reported attribute path, live value as reported)
    (
        "session",
        DENY_RULE,
        _set("conditions.riskScore", {"level": "HIGH"}),
        "conditions.riskScore.level",
        "HIGH",
    ),
    (
        "session",
        DENY_RULE,
        _set("conditions.authContext", {"authType": "RADIUS"}),
        "conditions.authContext.authType",
        "RADIUS",
    ),
    (
        "session",
        DENY_RULE,
        _set("conditions.identityProvider", {"provider": "SPECIFIC_IDP", "idpIds": ["0oaIDP"]}),
        "conditions.identityProvider.provider",
        "SPECIFIC_IDP",
    ),
    (
        "console",
        APP_DENY_RULE,
        _set("conditions.platform", {"include": [{"type": "MOBILE", "os": {"type": "IOS"}}]}),
        "conditions.platform.include",
        ('{"os":{"type":"IOS"},"type":"MOBILE"}',),
    ),
    (
        "console",
        APP_DENY_RULE,
        _set("conditions.elCondition", {"condition": "user.profile.login == 'nobody'"}),
        "conditions.elCondition.condition",
        "user.profile.login == 'nobody'",
    ),
    (
        "console",
        APP_DENY_RULE,
        _include_alice,
        "conditions.people.users.include",
        ("alice.admin@example.com",),
    ),
    (
        "console",
        APP_DENY_RULE,
        _set("conditions.userType", {"include": ["otyCONTRACTOR"], "exclude": []}),
        "conditions.userType.include",
        ("otyCONTRACTOR",),
    ),
    (
        "console",
        APP_ALLOW_RULE,
        _set(
            "actions.appSignOn.verificationMethod",
            {
                "type": "AUTH_METHOD_CHAIN",
                "chains": [
                    {"authenticationMethods": [{"key": "okta_password", "method": "password"}]}
                ],
            },
        ),
        "actions.appSignOn.verificationMethod.type",
        "AUTH_METHOD_CHAIN",
    ),
    (
        "session",
        ALLOW_RULE,
        _set("actions.signon.primaryFactor", "PASSWORD_IDP"),
        "actions.signon.primaryFactor",
        "PASSWORD_IDP",
    ),
]


@pytest.mark.parametrize(
    ("policy", "rule_name", "mutate", "path", "actual"),
    CASES,
    ids=[case[3].removeprefix("conditions.").removeprefix("actions.") for case in CASES],
)
def test_undeclared_condition_or_action_is_a_high_change(
    org: Sandbox,
    desired: Desired,
    policy: str,
    rule_name: str,
    mutate: Mutation,
    path: str,
    actual: Any,
) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"] if policy == "session" else admin.admin_console_policy_id()
    rule = admin.rule(policy_id, rule_name)
    mutate(admin, rule)
    admin.put_rule(policy_id, rule)
    kind = "session_rule" if policy == "session" else "app_rule"
    finding = only(drift(org, desired), "changed", kind, rule_name)
    diffs = {d.path: d for d in finding.diffs}
    assert path in diffs, sorted(diffs)
    assert diffs[path].actual == actual
    assert diffs[path].weakens and finding.severity == "high"
    assert finding.object_id == rule["id"]


def test_okta_defaults_filled_in_live_are_not_differences(org: Sandbox, desired: Desired) -> None:
    """The sandbox, like Okta, stores defaults the model never states (risk ANY, auth type ANY,
    primary factor PASSWORD_IDP_ANY_FACTOR...): writing them explicitly changes nothing."""
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    rule = admin.rule(policy_id, DENY_RULE)
    rule["conditions"].update(
        riskScore={"level": "ANY"},
        authContext={"authType": "ANY"},
        identityProvider={"provider": "ANY"},
        risk={"behaviors": []},
    )
    rule["actions"]["signon"]["primaryFactor"] = "PASSWORD_IDP_ANY_FACTOR"
    admin.put_rule(policy_id, rule)
    assert [f for f in drift(org, desired).findings if f.finding_class != "posture"] == []
