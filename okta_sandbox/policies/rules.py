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


def access_actions(
    access: str, factor_mode: str, reauth: str, constraints: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The `actions` of an authentication policy rule as Okta stores them: an ASSURANCE
    verification method (constraints only when given) and "keep me signed in" off."""
    method: dict[str, Any] = {"factorMode": factor_mode, "type": "ASSURANCE"}
    method["reauthenticateIn"] = reauth
    if constraints is not None:
        method["constraints"] = constraints
    return {"appSignOn": {"access": access, "verificationMethod": method, **NO_KMSI}}


# What Okta fills in on a created or replaced authentication policy rule (recorded answers,
# ../shared/okta/recordings/terraform-provider-okta/idaas/: TestAccResourceOktaAppSignOnPolicy-
# Rule_crud, ..._priority_concurrency, TestAccResourceOktaAppSignOnPolicyRules_crud): "keep me
# signed in" NOT_ALLOWED, re-authentication every 12 hours, no constraints; conditions get an
# empty user exclusion, empty user types and risk score ANY; an empty `platform` is dropped.
NO_KMSI: dict[str, Any] = {"keepMeSignedIn": {"postAuth": "NOT_ALLOWED"}}
DEFAULT_REAUTHENTICATE_IN = "PT12H"
CONSTRAINT_KINDS = ("knowledge", "possession")  # the spec's AccessPolicyConstraints
ACCESS_DEFAULT_ACTIONS: dict[str, Any] = access_actions("ALLOW", "2FA", DEFAULT_REAUTHENTICATE_IN)


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


def _verification_method(given: Any) -> dict[str, Any]:
    """An ASSURANCE method gets 2FA and 12-hour re-authentication unless given; another type
    (AUTH_METHOD_CHAIN) keeps what it was given except the ASSURANCE-only `factorMode` and
    `inactivityPeriod`, which Okta drops (recorded: TestAccResourceOktaAppSignOnPolicyRule_
    AUTH_METHOD_CHAIN, ..._ReauthenticationFrequency)."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise validation("actions.appSignOn.verificationMethod", "expected an object")
    if given.get("type", "ASSURANCE") != "ASSURANCE":
        return {k: v for k, v in given.items() if k not in ("factorMode", "inactivityPeriod")}
    method: dict[str, Any] = {"factorMode": "2FA", "type": "ASSURANCE", **given}
    method.setdefault("reauthenticateIn", DEFAULT_REAUTHENTICATE_IN)
    if isinstance(method.get("constraints"), list):
        # Okta keeps only the constraint kinds it knows: a chain-style entry sent as a
        # constraint comes back `{}` (recorded: TestAccResourceOktaAppSignOnPolicyRules_crud #16)
        method["constraints"] = [
            {k: v for k, v in entry.items() if k in CONSTRAINT_KINDS}
            if isinstance(entry, dict)
            else entry
            for entry in method["constraints"]
        ]
    return method


def _access_actions(given: Any) -> dict[str, Any]:
    if given is not None and (
        not isinstance(given, dict) or not isinstance(given.get("appSignOn", {}), dict)
    ):
        raise validation("actions", "actions.appSignOn: expected an object")
    reject_unknown_keys(given, {"appSignOn"}, "actions")
    sign_on = dict((given or {}).get("appSignOn") or {})
    reject_unknown_keys(sign_on, ACTIONS["appSignOn"], "actions.appSignOn")
    access = sign_on.get("access", "ALLOW")
    if access not in ("ALLOW", "DENY"):
        raise validation(
            "actions.appSignOn.access", "actions.appSignOn.access: must be ALLOW or DENY"
        )
    method = _verification_method(sign_on.get("verificationMethod"))
    kmsi = sign_on.get("keepMeSignedIn") or copy.deepcopy(NO_KMSI["keepMeSignedIn"])
    return {"appSignOn": {"access": access, "verificationMethod": method, "keepMeSignedIn": kmsi}}


def _platform(value: Any) -> dict[str, Any] | None:
    """Okta drops an empty platform condition, adds an empty `exclude`, and drops an OS
    `expression` that is null (recorded: TestAccResourceOktaAppSignOnPolicyRule_crud)."""
    if not isinstance(value, dict) or not (value.get("include") or value.get("exclude")):
        return None
    result = dict(value)
    result["include"] = [_platform_entry(entry) for entry in value.get("include") or []]
    result.setdefault("exclude", [])
    return result


def _platform_entry(entry: Any) -> Any:
    if not isinstance(entry, dict) or not isinstance(entry.get("os"), dict):
        return entry
    os_part = {k: v for k, v in entry["os"].items() if not (k == "expression" and v is None)}
    return {**entry, "os": os_part}


def _access_conditions(result: dict[str, Any], conditions: dict[str, Any]) -> None:
    for key, value in conditions.items():
        if key not in ("people", "network", "platform"):
            result[key] = value
    platform = _platform(conditions.get("platform"))
    if platform is not None:
        result["platform"] = platform
    result.setdefault("userType", {"include": [], "exclude": []})
    result.setdefault("riskScore", {"level": "ANY"})


def _sign_on_conditions(result: dict[str, Any], conditions: dict[str, Any]) -> None:
    """Global session policy rules: Okta adds no risk condition unless one is given, and then
    an empty `risk.behaviors` beside it (recorded: TestAccResourceOktaPolicyRuleSignon_GH2494
    adds neither, ..._GH2419 sends riskScore and gets `risk: {behaviors: []}`)."""
    for key, value in conditions.items():
        if key not in ("people", "network"):
            result[key] = value
    result.setdefault("authContext", {"authType": "ANY"})
    if "riskScore" in result:
        result.setdefault("risk", {"behaviors": []})
    result.setdefault("identityProvider", {"provider": "ANY"})


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
    if access:
        _access_conditions(result, conditions)
    else:
        _sign_on_conditions(result, conditions)
    actions = (
        _access_actions(body.get("actions")) if access else _sign_on_actions(body.get("actions"))
    )
    return name, result, actions
