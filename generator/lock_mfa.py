"""The lock's `mfa_default_policy` (`mfa.everyone`): the Global Session Policy's Default Rule as
`generate` read it, and the priority that puts egress-guard's Everyone rule directly above it.

    "mfa_default_policy": {
      "default_rule": {"access": "ALLOW", "mfa_required": false, "session_idle_minutes": 120,
                       "session_lifetime_minutes": 0, "session_persistent": false},
      "rule_priority": 2
    }

A DENY Default Rule is recorded as `{"access": "DENY"}`."""

from __future__ import annotations

from typing import Any

from generator.model_mfa import DefaultPolicy, DefaultRule

KEY = "mfa_default_policy"


def default_policy_json(policy: DefaultPolicy) -> dict[str, Any]:
    rule = policy.default_rule
    shown: dict[str, Any] = {"access": rule.access}
    if rule.access == "ALLOW":
        shown |= {
            "mfa_required": rule.mfa_required,
            "session_idle_minutes": rule.session_idle_minutes,
            "session_lifetime_minutes": rule.session_lifetime_minutes,
            "session_persistent": rule.session_persistent,
        }
    return {"default_rule": shown, "rule_priority": policy.rule_priority}


def _int(item: dict[str, Any], key: str, where: str, least: int) -> int:
    value = item.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise ValueError(f"{where}.{key}: expected an integer of at least {least}")
    return value


def _bool(item: dict[str, Any], key: str, where: str) -> bool:
    value = item.get(key)
    if not isinstance(value, bool):
        raise ValueError(f"{where}.{key}: expected true or false")
    return value


def parse_default_policy(top: dict[str, Any]) -> DefaultPolicy | None:
    """`mfa_default_policy` (absent: None); a malformed one raises ValueError naming the field."""
    if KEY not in top:
        return None
    item = top[KEY]
    if not isinstance(item, dict):
        raise ValueError(f"{KEY}: expected an object, found {type(item).__name__}")
    where = f"{KEY}.default_rule"
    rule = item.get("default_rule")
    if not isinstance(rule, dict):
        raise ValueError(f"{where}: expected an object")
    access = rule.get("access")
    if access not in ("ALLOW", "DENY"):
        raise ValueError(f"{where}.access: expected ALLOW or DENY")
    priority = _int(item, "rule_priority", KEY, 1)
    if access == "DENY":
        return DefaultPolicy(DefaultRule("DENY"), priority)
    found = DefaultRule(
        "ALLOW",
        mfa_required=_bool(rule, "mfa_required", where),
        session_idle_minutes=_int(rule, "session_idle_minutes", where, 1),
        session_lifetime_minutes=_int(rule, "session_lifetime_minutes", where, 0),
        session_persistent=_bool(rule, "session_persistent", where),
    )
    return DefaultPolicy(found, priority)
