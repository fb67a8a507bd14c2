"""One rule of okta_app_signon_policy_rules and Okta's API JSON for it, both ways.

Follows okta/services/idaas/resource_okta_app_signon_policy_rules.go (v6.12.0, "rules.go"
below): `api_rule` is buildAPIRuleFromModel (rules.go:1163-1196, every field omitempty), `from_api`
is updateRuleModelFromAPI (rules.go:1397-1590). The resource itself is in app_rules.py.
"""

from __future__ import annotations

import json
from typing import Any

from okta_sandbox.provider.base import State, json_list, known, str_set


def _people(rule: State) -> dict[str, Any]:
    """rules.go:1343-1375: users and groups only when a side of them is set."""
    people: dict[str, Any] = {}
    for key, inc, exc in (
        ("users", "users_included", "users_excluded"),
        ("groups", "groups_included", "groups_excluded"),
    ):
        include, exclude = str_set(rule.get(inc)), str_set(rule.get(exc))
        if include or exclude:
            people[key] = {k: v for k, v in (("include", include), ("exclude", exclude)) if v}
    return people


def _platform(rule: State) -> dict[str, Any] | None:
    """rules.go:1277-1308: OTHER always carries an expression ("" when none)."""
    platforms = []
    for block in rule.get("platform_include") or []:
        platform: dict[str, Any] = {}
        if known(block.get("type")):
            platform["type"] = block["type"]
        if known(block.get("os_type")):
            platform["os"] = {"type": block["os_type"]}
            if block["os_type"] == "OTHER":
                expression = block.get("os_expression")
                platform["os"]["expression"] = expression if known(expression) else ""
        platforms.append(platform)
    return {"include": platforms} if platforms else None


def _conditions(rule: State) -> dict[str, Any]:
    conditions: dict[str, Any] = {}
    if known(rule.get("network_connection")):  # rules.go:1259-1276
        network: dict[str, Any] = {"connection": rule["network_connection"]}
        for key, attr in (("include", "network_includes"), ("exclude", "network_excludes")):
            if known(rule.get(attr)):
                network[key] = str_set(rule[attr])
        conditions["network"] = network
    platform = _platform(rule)
    if platform:
        conditions["platform"] = platform
    if known(rule.get("custom_expression")):
        conditions["elCondition"] = {"condition": rule["custom_expression"]}
    if known(rule.get("risk_score")) and rule.get("risk_score"):
        conditions["riskScore"] = {"level": rule["risk_score"]}  # only when configured
    device = {
        k: rule[a]
        for k, a in (("registered", "device_is_registered"), ("managed", "device_is_managed"))
        if known(rule.get(a))
    }
    if known(rule.get("device_assurances_included")):
        device["assurance"] = {"include": str_set(rule["device_assurances_included"])}
    if device:
        conditions["device"] = device
    people = _people(rule)
    if people:
        conditions["people"] = people
    include, exclude = (
        str_set(rule.get("user_types_included")),
        str_set(rule.get("user_types_excluded")),
    )
    if include or exclude:
        conditions["userType"] = {"include": include, "exclude": exclude}
    return conditions


def api_rule(rule: State) -> dict[str, Any]:
    """rules.go:1163-1196 buildAPIRuleFromModel (every field omitempty, sdk/v2_*.go)."""
    method: dict[str, Any] = {
        k: rule[a]
        for k, a in (
            ("factorMode", "factor_mode"),
            ("reauthenticateIn", "re_authentication_frequency"),
            ("type", "type"),
            ("inactivityPeriod", "inactivity_period"),
        )
        if known(rule.get(a)) and rule.get(a)
    }
    if known(rule.get("constraints")):
        method["constraints"] = json_list(rule["constraints"])
    if known(rule.get("chains")):
        method["chains"] = json_list(rule["chains"])
        if any(isinstance(c, dict) and c.get("reauthenticateIn") for c in method["chains"]):
            method.pop("reauthenticateIn", None)
    sign_on: dict[str, Any] = {"verificationMethod": method}
    if known(rule.get("access")):
        sign_on["access"] = rule["access"]
    kmsi = rule.get("keep_me_signed_in") or []
    if kmsi:
        sign_on["keepMeSignedIn"] = {
            k: kmsi[0][a]
            for k, a in (
                ("postAuth", "post_auth"),
                ("postAuthPromptFrequency", "post_auth_prompt_frequency"),
            )
            if known(kmsi[0].get(a)) and kmsi[0].get(a)
        }
    body: dict[str, Any] = {
        "name": rule["name"],
        "type": "ACCESS_POLICY",
        "actions": {"appSignOn": sign_on},
        "conditions": _conditions(rule),
    }
    if known(rule.get("priority")):
        body["priority"] = int(rule["priority"])
    return body


def _ids_or_empty(found: Any, prior: Any) -> Any:
    """A condition list the API returned, else [] when configured, else null."""
    if found:
        return list(found)
    return [] if known(prior) else prior


def from_api(rule: State, answer: dict[str, Any]) -> State:
    """rules.go:1397-1590 updateRuleModelFromAPI: what the API says on top of the planned
    rule; configured-only fields (network_connection, keep_me_signed_in) keep their null,
    `constraints` keep the planned value (never read back)."""
    state = dict(rule)
    state.update(
        id=answer["id"],
        name=answer.get("name"),
        system=bool(answer.get("system")),
        status=answer.get("status"),
    )
    if answer.get("priority") is not None:
        state["priority"] = answer["priority"]
    sign_on = (answer.get("actions") or {}).get("appSignOn") or {}
    method = sign_on.get("verificationMethod") or {}
    state["access"] = sign_on.get("access")
    state["factor_mode"] = method.get("factorMode") or "2FA"
    state["type"] = method.get("type")
    state["re_authentication_frequency"] = method.get("reauthenticateIn", "")
    if method.get("inactivityPeriod"):
        state["inactivity_period"] = method["inactivityPeriod"]
    if method.get("chains"):
        state["chains"] = [json.dumps(c, sort_keys=True) for c in method["chains"]]
    kmsi = sign_on.get("keepMeSignedIn")
    if rule.get("keep_me_signed_in"):
        planned = rule["keep_me_signed_in"][0]
        frequency = (kmsi or {}).get("postAuthPromptFrequency") or planned.get(
            "post_auth_prompt_frequency"
        )
        state["keep_me_signed_in"] = (
            [{"post_auth": kmsi.get("postAuth"), "post_auth_prompt_frequency": frequency}]
            if kmsi
            else []
        )
    _conditions_from_api(state, rule, answer.get("conditions"))
    return state


def _conditions_from_api(state: State, rule: State, conditions: Any) -> None:
    if not conditions:
        return
    network = conditions.get("network")
    if network is not None:
        if known(rule.get("network_connection")):
            state["network_connection"] = network.get("connection")
        state["network_includes"] = _ids_or_empty(
            network.get("include"), rule.get("network_includes")
        )
        state["network_excludes"] = _ids_or_empty(
            network.get("exclude"), rule.get("network_excludes")
        )
    state["risk_score"] = (conditions.get("riskScore") or {}).get("level")
    condition = (conditions.get("elCondition") or {}).get("condition")
    state["custom_expression"] = condition or None
    people = conditions.get("people") or {}
    for key, inc, exc in (
        ("users", "users_included", "users_excluded"),
        ("groups", "groups_included", "groups_excluded"),
    ):
        if key in people:
            side = people[key] or {}
            state[inc] = _ids_or_empty(side.get("include"), rule.get(inc))
            state[exc] = _ids_or_empty(side.get("exclude"), rule.get(exc))
    user_type = conditions.get("userType")
    if user_type is not None:
        state["user_types_included"] = _ids_or_empty(
            user_type.get("include"), rule.get("user_types_included")
        )
        state["user_types_excluded"] = _ids_or_empty(
            user_type.get("exclude"), rule.get("user_types_excluded")
        )
    platforms = (conditions.get("platform") or {}).get("include") or []
    if platforms:
        state["platform_include"] = [
            {
                "type": p.get("type"),
                "os_type": "OTHER"
                if (p.get("os") or {}).get("type") == "ANY"
                else (p.get("os") or {}).get("type"),
                "os_expression": (p.get("os") or {}).get("expression") or "",
            }
            for p in platforms
        ]
    elif rule.get("platform_include"):
        state["platform_include"] = []
