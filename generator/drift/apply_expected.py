"""Bring an org to the desired state directly through the API (no Terraform).

For tests and the sandbox demo: creates or replaces the expected zones, the session policy and
its rules and our rules on the protected apps' policies, then sets each object's status through
the lifecycle endpoints. With `prune`, undeclared rules in our session policy are deleted.
Terraform remains the apply engine for real orgs.
"""

from __future__ import annotations

from typing import Any

from generator.drift.checker import match_object
from generator.drift.expected import ExpectedObject, expected_objects
from generator.drift.run import read_live
from generator.mfa.declared import apply_mfa_rules
from generator.model import DesiredState
from generator.okta.client import OktaClient
from generator.okta.paths import api_path, under
from generator.okta.snapshot import JsonObject, LiveOrg


def _lifecycle(client: OktaClient, path: str, live: JsonObject, wanted: str) -> None:
    if live.get("status") != wanted:
        verb = "activate" if wanted == "ACTIVE" else "deactivate"
        client.request("POST", under(path, "lifecycle", verb))


def _upsert(
    client: OktaClient, collection: str, obj: ExpectedObject, existing: JsonObject | None
) -> JsonObject:
    body: dict[str, Any]
    if existing is None:
        body, _ = client.request("POST", collection, json=obj.body)
    else:
        body, _ = client.request("PUT", under(collection, existing["id"]), json=obj.body)
    _lifecycle(client, under(collection, body["id"]), body, str(obj.body.get("status", "ACTIVE")))
    return body


def _of(
    objects: list[ExpectedObject], kind: str, parent: str | None = None
) -> list[ExpectedObject]:
    return [o for o in objects if o.kind == kind and (parent is None or o.parent == parent)]


def apply_expected(client: OktaClient, state: DesiredState, prune: bool = True) -> LiveOrg:
    """Write the desired state; returns a fresh snapshot read afterwards."""
    live = read_live(client, state, None)
    for zone in _of(expected_objects(state, live), "zone"):
        _upsert(client, "/api/v1/zones", zone, match_object(zone, live.zones, None))
    live = read_live(client, state, None)  # zone ids resolved from here on
    objects = expected_objects(state, live)
    [policy_obj] = _of(objects, "session_policy")
    existing = match_object(policy_obj, live.sign_on_policies, None)
    policy = _upsert(client, "/api/v1/policies", policy_obj, existing)
    rules_path = api_path("policies", policy["id"], "rules")
    live_rules = tuple(client.list_all(rules_path))
    ours = []
    for rule in sorted(_of(objects, "session_rule"), key=lambda o: int(o.body["priority"])):
        ours.append(_upsert(client, rules_path, rule, match_object(rule, live_rules, None))["id"])
    if prune:
        for extra in live_rules:
            if extra["id"] not in ours and not extra.get("system"):
                client.request("DELETE", under(rules_path, extra["id"]))
    for app in state.app_policies:
        live_app = live.app(app.key)
        if live_app is None or live_app.policy_id is None:
            continue
        policy_id = live_app.policy_id
        if app.dedicated_policy is not None:
            policy_id = _dedicated_policy(client, app.dedicated_policy, app.description)
        app_rules_path = api_path("policies", policy_id, "rules")
        live_rules = tuple(client.list_all(app_rules_path))
        for rule in sorted(
            _of(objects, "app_rule", app.key), key=lambda o: int(o.body["priority"])
        ):
            _upsert(client, app_rules_path, rule, match_object(rule, live_rules, None))
        if app.dedicated_policy is not None and live_app.app is not None:
            # after its rules, as Terraform does (the assignment depends on them)
            client.request("PUT", api_path("apps", live_app.app["id"], "policies", policy_id))
    apply_mfa_rules(client, state, live)
    return read_live(client, state, None)


def _dedicated_policy(client: OktaClient, name: str, description: str) -> str:
    """Our authentication policy `name` (created when missing), its Catch-all Rule denying."""
    policies = client.list_all("/api/v1/policies", {"type": "ACCESS_POLICY"})
    policy = next((p for p in policies if p.get("name") == name), None)
    if policy is None:
        body = {"type": "ACCESS_POLICY", "name": name, "description": description}
        policy, _ = client.request("POST", "/api/v1/policies", json=body)
    rules_path = api_path("policies", policy["id"], "rules")
    for rule in client.list_all(rules_path):
        if rule.get("system"):
            rule["actions"]["appSignOn"]["access"] = "DENY"
            client.request("PUT", under(rules_path, rule["id"]), json=rule)
    return str(policy["id"])
