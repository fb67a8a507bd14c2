"""Recovering from an interrupted apply: objects egress-guard's plan creates that already exist
in the org (created by an apply that was killed before Terraform recorded them in its state)
are found by name and offered as exact `terraform import` commands.

Only objects whose name carries the managed prefix are offered: anything else with that name is
not ours to adopt. Resource types this module does not know are skipped (nothing guessed);
`okta_app_signon_policy_rules` (the grouped Admin Console rules) needs nothing here: okta/okta
matches a policy's existing rules by name when it creates them.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.okta.client import OktaClient
from generator.okta.paths import api_path

SIGN_ON_RULE_TYPES = ("okta_policy_rule_signon", "okta_app_signon_policy_rule")
ALREADY_EXISTS = "already exists"


@dataclass(frozen=True)
class PlannedCreate:
    address: str
    type: str
    name: str
    policy_id: str | None  # rules: the policy they belong to, when the plan knows it


@dataclass(frozen=True)
class Adoption:
    address: str
    import_id: str
    what: str  # e.g. "zone 'egress-guard-corporate-01' (nzo1abc)"


def planned_creates(plan: Mapping[str, Any]) -> list[PlannedCreate]:
    """Resources a `terraform show -json` plan creates, with their Okta name."""
    found = []
    for change in plan.get("resource_changes") or ():
        if change.get("mode") != "managed":
            continue
        actions = (change.get("change") or {}).get("actions") or ()
        if "create" not in actions:
            continue
        after = (change.get("change") or {}).get("after") or {}
        name = after.get("name")
        if isinstance(name, str) and name:
            policy_id = after.get("policy_id")
            found.append(
                PlannedCreate(
                    str(change.get("address")),
                    str(change.get("type")),
                    name,
                    policy_id if isinstance(policy_id, str) else None,
                )
            )
    return found


def _named(items: Iterable[Mapping[str, Any]], name: str) -> Mapping[str, Any] | None:
    return next((item for item in items if item.get("name") == name), None)


def find_existing(
    client: OktaClient, creates: Sequence[PlannedCreate], prefix: str, session_policy: str
) -> list[Adoption]:
    """The planned creates whose object already exists in the org (managed names only)."""
    ours = [c for c in creates if c.name.startswith(prefix)]
    if not ours:
        return []
    adoptions: list[Adoption] = []
    zones: list[Mapping[str, Any]] | None = None
    policies: list[Mapping[str, Any]] | None = None
    rules: dict[str, list[Mapping[str, Any]]] = {}
    for create in ours:
        if create.type == "okta_network_zone":
            zones = zones if zones is not None else client.list_all("/api/v1/zones")
            zone = _named(zones, create.name)
            if zone is not None:
                adoptions.append(Adoption(create.address, str(zone["id"]), f"zone '{create.name}'"))
        elif create.type == "okta_policy_signon":
            policies = policies if policies is not None else _sign_on_policies(client)
            policy = _named(policies, create.name)
            if policy is not None:
                adoptions.append(
                    Adoption(create.address, str(policy["id"]), f"policy '{create.name}'")
                )
        elif create.type in SIGN_ON_RULE_TYPES:
            policy_id = create.policy_id
            if policy_id is None and create.type == "okta_policy_rule_signon":
                policies = policies if policies is not None else _sign_on_policies(client)
                policy = _named(policies, session_policy)
                policy_id = str(policy["id"]) if policy is not None else None
            if policy_id is None:
                continue
            if policy_id not in rules:
                rules[policy_id] = client.list_all(api_path("policies", policy_id, "rules"))
            rule = _named(rules[policy_id], create.name)
            if rule is not None:
                adoptions.append(
                    Adoption(create.address, f"{policy_id}/{rule['id']}", f"rule '{create.name}'")
                )
    return adoptions


def _sign_on_policies(client: OktaClient) -> list[Mapping[str, Any]]:
    return client.list_all("/api/v1/policies", {"type": "OKTA_SIGN_ON"})


def import_commands(base: Sequence[str], adoptions: Sequence[Adoption]) -> list[str]:
    """`egress-guard terraform ... import ADDRESS ID` for each, shell-quoted."""
    return [shlex.join([*base, "import", a.address, a.import_id]) for a in adoptions]
