"""The PR summary of an `okta_app_signon_policy_rules` change: one entry per rule.

Terraform shows the grouped resource as one object whose `rule` list changed; a reviewer needs
to see which rule is added, removed or changed, and how. Rules are paired by name, as the
provider pairs them (okta/services/idaas/resource_okta_app_signon_policy_rules.go:956-1043,
v6.12.0); an entry's address is `<resource>.rule[<index>]` (render/addresses.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.report.plan_changes import (
    Action,
    ResourceChange,
    action_of,
    attribute_changes,
    change_side,
)

GROUPED_RULES = "okta_app_signon_policy_rules"


def _rules(values: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rules = values.get("rule")
    return [r for r in rules if isinstance(r, Mapping)] if isinstance(rules, list) else []


def _unknown(change: Mapping[str, Any], index: int) -> Mapping[str, Any]:
    unknown = change_side(change, "after_unknown").get("rule")
    found = unknown[index] if isinstance(unknown, list) and index < len(unknown) else None
    return found if isinstance(found, dict) else {}


def rule_changes(rc: Mapping[str, Any], zone_names: Mapping[str, str]) -> list[ResourceChange]:
    change = rc["change"]
    action = action_of(change.get("actions", []))
    address, key = str(rc["address"]), str(rc.get("name", ""))
    before = {str(r.get("name")): r for r in _rules(change_side(change, "before"))}
    after = _rules(change_side(change, "after"))
    found = []
    for index, rule in enumerate(after):
        name = str(rule.get("name"))
        previous = before.get(name)
        pair = {"before": previous or {}, "after": rule, "after_unknown": _unknown(change, index)}
        attributes = attribute_changes(pair, zone_names) if previous is not None else ()
        rule_action: Action
        if previous is None:
            rule_action = "create"
        elif action == "replace":
            rule_action = "replace"
        elif attributes:
            rule_action = "update"
        else:
            continue
        found.append(
            ResourceChange(
                f"{address}.rule[{index}]", GROUPED_RULES, key, rule_action, name, attributes
            )
        )
    names = {str(rule.get("name")) for rule in after}
    for index, rule in enumerate(_rules(change_side(change, "before"))):
        if str(rule.get("name")) not in names:
            found.append(
                ResourceChange(
                    f"{address}.rule[{index}]", GROUPED_RULES, key, "delete", str(rule.get("name"))
                )
            )
    return found
