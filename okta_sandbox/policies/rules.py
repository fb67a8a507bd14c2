"""Validation and Okta-style defaults for OKTA_SIGN_ON (`SIGN_ON`) and ACCESS_POLICY rules."""

from __future__ import annotations

import copy
from typing import Any

from okta_sandbox.core.bodies import reject_unknown_keys
from okta_sandbox.core.errors import validation
from okta_sandbox.core.routing import State, reject_unknown

RULE_FIELDS = {
    "id",
    "status",
    "name",
    "priority",
    "created",
    "lastUpdated",
    "system",
    "type",
    "conditions",
    "actions",
    "_links",
}
RULE_TYPE_FOR_POLICY = {"OKTA_SIGN_ON": "SIGN_ON", "ACCESS_POLICY": "ACCESS_POLICY"}
SPECIAL_ZONES = {"ALL_ZONES"}
# Condition and action properties Okta knows per rule type (the spec's, plus what Okta returns
# for global session rules (`risk`) and what the okta/okta provider sends (`office365Client`)).
CONDITIONS = {
    "SIGN_ON": {"people", "network", "authContext", "identityProvider", "risk", "riskScore"},
    "ACCESS_POLICY": {
        "people",
        "network",
        "device",
        "elCondition",
        "platform",
        "riskScore",
        "userType",
        "office365Client",
    },
}
ACTIONS = {
    "signon": {
        "access",
        "factorLifetime",
        "factorPromptMode",
        "primaryFactor",
        "rememberDeviceByDefault",
        "requireFactor",
        "session",
    },
    "appSignOn": {"access", "keepMeSignedIn", "verificationMethod"},
}
SESSION_ACTIONS = {"maxSessionIdleMinutes", "maxSessionLifetimeMinutes", "usePersistentCookie"}

SIGN_ON_DEFAULT_ACTIONS: dict[str, Any] = {
    "signon": {
        "access": "ALLOW",
        "requireFactor": False,
        "primaryFactor": "PASSWORD_IDP_ANY_FACTOR",
        "rememberDeviceByDefault": False,
        "session": {
            "usePersistentCookie": False,
            "maxSessionIdleMinutes": 120,
            "maxSessionLifetimeMinutes": 0,
        },
    }
}


def access_actions(access: str, factor_mode: str, reauth: str) -> dict[str, Any]:
    """The `actions` of an authentication policy rule."""
    return {
        "appSignOn": {
            "access": access,
            "verificationMethod": {
                "factorMode": factor_mode,
                "type": "ASSURANCE",
                "reauthenticateIn": reauth,
                "constraints": [],
            },
        }
    }


ACCESS_DEFAULT_ACTIONS: dict[str, Any] = access_actions("ALLOW", "2FA", "PT2H")


def _ids(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise validation(where, f"{where}: expected an array of ids")
    return list(value)


def _network(state: State, conditions: dict[str, Any]) -> dict[str, Any]:
    network = conditions.get("network") or {"connection": "ANYWHERE"}
    if not isinstance(network, dict):
        raise validation("conditions.network", "conditions.network: expected an object")
    connection = network.get("connection", "ANYWHERE")
    if connection not in ("ANYWHERE", "ZONE"):
        raise validation("conditions.network.connection", "connection must be ANYWHERE or ZONE")
    result: dict[str, Any] = {"connection": connection}
    if connection == "ZONE":
        include = _ids(network.get("include"), "conditions.network.include")
        exclude = _ids(network.get("exclude"), "conditions.network.exclude")
        if not include and not exclude:
            raise validation(
                "conditions.network", "A ZONE network condition needs include or exclude zones"
            )
        for zone_id in include + exclude:
            if zone_id not in state["zones"] and zone_id not in SPECIAL_ZONES:
                raise validation("conditions.network", f"Invalid zone id: {zone_id}")
        if include:
            result["include"] = include
        if exclude:
            result["exclude"] = exclude
    return result


def _people(state: State, conditions: dict[str, Any], with_groups: bool) -> dict[str, Any]:
    people = conditions.get("people") or {}
    if not isinstance(people, dict):
        raise validation("conditions.people", "conditions.people: expected an object")
    users = people.get("users") or {}
    result: dict[str, Any] = {"users": {"exclude": _ids(users.get("exclude"), "users.exclude")}}
    if with_groups:
        include = _ids(users.get("include"), "users.include")
        if include:
            result["users"]["include"] = include
    for user_id in result["users"].get("include", []) + result["users"]["exclude"]:
        if user_id not in state["users"]:
            raise validation("conditions.people.users", f"Invalid user id: {user_id}")
    groups = people.get("groups")
    if groups is not None:
        if not with_groups:
            raise validation("conditions.people.groups", "Sign-on rules have no group conditions")
        result["groups"] = {}
        for key in ("include", "exclude"):
            group_ids = _ids(groups.get(key), f"groups.{key}")
            for group_id in group_ids:
                if group_id not in state["groups"]:
                    raise validation("conditions.people.groups", f"Invalid group id: {group_id}")
            if group_ids:
                result["groups"][key] = group_ids
    return result


def _merge_actions(defaults: dict[str, Any], given: Any, key: str) -> dict[str, Any]:
    """Okta's defaults with the given actions laid over them (types checked by the spec)."""
    actions = copy.deepcopy(defaults)
    if given is None:
        return actions
    if not isinstance(given, dict) or not isinstance(given.get(key, {}), dict):
        raise validation("actions", f"actions.{key}: expected an object")
    reject_unknown_keys(given, {key}, "actions")
    reject_unknown_keys(given.get(key), ACTIONS[key], f"actions.{key}")
    session = given.get(key, {}).get("session")
    reject_unknown_keys(session, SESSION_ACTIONS, "actions.signon.session")
    for name, value in given.get(key, {}).items():
        current = actions[key].get(name)
        same_kind = not isinstance(value, dict) or value.get("type", "") in (
            "",
            (current or {}).get("type", ""),
        )
        if isinstance(value, dict) and isinstance(current, dict) and same_kind:
            current.update(value)
        else:
            actions[key][name] = value  # a different verification method type replaces ours
    return actions


def _sign_on_actions(given: Any) -> dict[str, Any]:
    actions = _merge_actions(SIGN_ON_DEFAULT_ACTIONS, given, "signon")
    signon = actions["signon"]
    if signon.get("access") not in ("ALLOW", "DENY"):
        raise validation("actions.signon.access", "actions.signon.access: must be ALLOW or DENY")
    if signon.get("requireFactor") and "factorPromptMode" not in signon:
        signon["factorPromptMode"] = "ALWAYS"
    return actions


def _access_actions(given: Any) -> dict[str, Any]:
    actions = _merge_actions(ACCESS_DEFAULT_ACTIONS, given, "appSignOn")
    if actions["appSignOn"].get("access") not in ("ALLOW", "DENY"):
        raise validation(
            "actions.appSignOn.access", "actions.appSignOn.access: must be ALLOW or DENY"
        )
    return actions


def validate_rule(
    state: State, policy: dict[str, Any], body: dict[str, Any]
) -> tuple[str, dict[str, Any] | None, dict[str, Any]]:
    """Return (name, conditions, actions) for a rule of `policy`, or raise Okta's error."""
    reject_unknown(body, RULE_FIELDS, "PolicyRule")
    rule_type = RULE_TYPE_FOR_POLICY[policy["type"]]
    if body.get("type", rule_type) != rule_type:
        raise validation("type", f"type: rules of a {policy['type']} policy have type {rule_type}")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise validation("name", "name: The field cannot be left blank")
    if len(name) > 255:
        raise validation("name", "name: The field cannot exceed 255 characters")
    conditions = body.get("conditions") or {}
    if not isinstance(conditions, dict):
        raise validation("conditions", "conditions: expected an object")
    reject_unknown_keys(conditions, CONDITIONS[rule_type], "conditions")
    access = rule_type == "ACCESS_POLICY"
    result: dict[str, Any] = {
        "people": _people(state, conditions, with_groups=access),
        "network": _network(state, conditions),
    }
    for key, value in conditions.items():
        if key not in ("people", "network"):
            result[key] = value
    if not access:
        result.setdefault("authContext", {"authType": "ANY"})
        result.setdefault("risk", {"behaviors": []})
        result.setdefault("riskScore", {"level": "ANY"})
        result.setdefault("identityProvider", {"provider": "ANY"})
    actions = (
        _access_actions(body.get("actions")) if access else _sign_on_actions(body.get("actions"))
    )
    return name, result, actions
