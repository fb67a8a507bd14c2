"""`/api/v1/policies` and their rules (OKTA_SIGN_ON and ACCESS_POLICY)."""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.bodies import checked, reject_unknown_keys
from okta_sandbox.core.errors import OktaError, validation
from okta_sandbox.core.routing import (
    Request,
    Response,
    Route,
    State,
    href,
    lifecycle_link,
    lookup,
    paged_response,
    reject_unknown,
    route,
)
from okta_sandbox.facts import CATCH_ALL_PRIORITY
from okta_sandbox.logs import events
from okta_sandbox.policies import priorities
from okta_sandbox.policies.rules import RULE_TYPE_FOR_POLICY, validate_rule
from okta_sandbox.seeds import objects as seed_objects

SUPPORTED_TYPES = ("OKTA_SIGN_ON", "ACCESS_POLICY")
DEVICE_BOUND = {"possession": {"required": True, "deviceBound": "REQUIRED"}}
ALL_TYPES = (
    *SUPPORTED_TYPES,
    "PASSWORD",
    "MFA_ENROLL",
    "IDP_DISCOVERY",
    "PROFILE_ENROLLMENT",
    "POST_AUTH_SESSION",
    "ENTITY_RISK",
    "DEVICE_SIGNAL_COLLECTION",
)
POLICY_FIELDS = {
    "id",
    "status",
    "name",
    "description",
    "priority",
    "system",
    "type",
    "conditions",
    "created",
    "lastUpdated",
    "_links",
    "_embedded",
}


def _present(obj: dict[str, Any], path: str, base: str, **links: Any) -> dict[str, Any]:
    """A policy or rule with its `_links`: a system one can be neither deleted nor toggled."""
    body = dict(obj)
    allow = ("GET", "PUT") if obj["system"] else ("GET", "PUT", "DELETE")
    body["_links"] = {"self": href(base, path, *allow), **links}
    if not obj["system"]:
        body["_links"].update(lifecycle_link(base, path, obj["status"]))
    return body


def present_policy(policy: dict[str, Any], base: str, listed: bool = False) -> dict[str, Any]:
    """A policy as Okta shows it: a policy that is not a system one also links its app
    `mappings`; in a list, authentication policies carry `_embedded.resourceType: APP`
    (recorded: every GET /api/v1/policies?type=ACCESS_POLICY of the provider's cassettes)."""
    path = f"/api/v1/policies/{policy['id']}"
    links = {"rules": href(base, f"{path}/rules", "GET", "POST")}
    if not policy["system"]:
        links["mappings"] = href(base, f"{path}/mappings", "GET", "POST")
    body = _present(policy, path, base, **links)
    if body["type"] == "OKTA_SIGN_ON" and body.get("conditions") is None:
        del body["conditions"]  # OktaSignOnPolicyConditions is not nullable: omit it
    if listed and body["type"] == "ACCESS_POLICY":
        body["_embedded"] = {"resourceType": "APP"}
    return body


def present_rule(rule: dict[str, Any], policy_id: str, base: str) -> dict[str, Any]:
    return _present(rule, f"/api/v1/policies/{policy_id}/rules/{rule['id']}", base)


def get_policy(state: State, policy_id: str) -> dict[str, Any]:
    return lookup(state["policies"], policy_id, "Policy")


def _get_rule(state: State, policy_id: str, rule_id: str) -> dict[str, Any]:
    return lookup(state["rules"].get(policy_id, {}), rule_id, "PolicyRule")


def _policy_target(policy: dict[str, Any]) -> list[dict[str, Any]]:
    return [events.target(policy["id"], "PolicyEntity", policy["name"], policy["name"])]


def _rule_targets(policy: dict[str, Any], rule: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        events.target(rule["id"], "PolicyRule", rule["name"], rule["name"]),
        *_policy_target(policy),
    ]


def _siblings(state: State, policy_type: str, exclude: str | None) -> list[dict[str, Any]]:
    return [
        p for p in state["policies"].values() if p["type"] == policy_type and p["id"] != exclude
    ]


def _priority(body: dict[str, Any]) -> int | None:
    value = body.get("priority")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise validation("priority", "priority: must be an integer")
    return value


def _validate_policy(state: State, body: dict[str, Any], existing: dict[str, Any] | None) -> None:
    reject_unknown(body, POLICY_FIELDS, "Policy")
    policy_type = body.get("type")
    if policy_type not in ALL_TYPES:
        raise validation("type", "type: not a valid policy type")
    if policy_type not in SUPPORTED_TYPES:
        raise validation("type", f"type: {policy_type} policies are not supported by the sandbox")
    if existing is not None and policy_type != existing["type"]:
        raise validation("type", "type: the type of a policy cannot be changed")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise validation("name", "name: The field cannot be left blank")
    if len(name) > 255:
        raise validation("name", "name: The field cannot exceed 255 characters")
    for other in _siblings(state, policy_type, existing["id"] if existing else None):
        if other["name"] == name:
            raise validation("name", f"name: A policy named '{name}' already exists")
    description = body.get("description")
    if description is not None and not isinstance(description, str):
        raise validation("description", "description: must be a string")
    conditions = body.get("conditions")
    if policy_type == "ACCESS_POLICY" and conditions is not None:
        raise validation("conditions", "conditions: authentication policies take no conditions")
    if policy_type == "OKTA_SIGN_ON" and conditions is not None:
        reject_unknown_keys(conditions, {"people"}, "conditions")
        reject_unknown_keys(conditions.get("people"), {"groups"}, "conditions.people")
        groups = ((conditions.get("people") or {}).get("groups") or {}).get("include") or []
        for group_id in groups:
            if group_id not in state["groups"]:
                raise validation(
                    "conditions.people.groups.include", f"Invalid group id: {group_id}"
                )
    if (
        existing is not None
        and existing["system"]
        and (
            name != existing["name"]
            or (conditions is not None and conditions != existing["conditions"])
        )
    ):
        raise OktaError(
            "E0000006", causes=["The name and conditions of a system policy cannot be changed"]
        )


def list_policies(req: Request, state: State, _: dict[str, str]) -> Response:
    policy_type = req.arg("type")
    if policy_type is None:
        raise validation("type", "type: The field is required")
    if policy_type not in ALL_TYPES:
        raise validation("type", f"type: '{policy_type}' is not a valid policy type")
    policies = priorities.ordered(_siblings(state, policy_type, None))
    status = req.arg("status")
    if status:
        policies = [p for p in policies if p["status"] == status]
    query = req.arg("q")
    if query:
        policies = [p for p in policies if query.lower() in p["name"].lower()]
    return paged_response(
        req, policies, lambda p: present_policy(p, req.base_url, listed=True), 20, 200
    )


def read_policy(req: Request, state: State, params: dict[str, str]) -> Response:
    return Response(200, present_policy(get_policy(state, params["policyId"]), req.base_url))


def create_policy(req: Request, state: State, _: dict[str, str]) -> Response:
    body = checked(req, req.json())
    _validate_policy(state, body, None)
    requested = _priority(body)
    policy = seed_objects.add_policy(
        state,
        body["type"],
        body["name"],
        ids.now_iso(),
        conditions=body.get("conditions"),
        description=body.get("description"),
        status=body.get("status", "ACTIVE" if req.flag("activate", True) else "INACTIVE"),
        priority=requested,
    )
    if policy["type"] == "ACCESS_POLICY":
        # Okta gives a new authentication policy a Catch-all Rule that allows access with two
        # factors, one of them a device-bound possession factor, re-authenticating every 12
        # hours (recorded: TestAccResourceOktaAppSignOnPolicyRule_priority_concurrency, the
        # rules of a new policy; the provider's `catch_all = false` then sets DENY).
        seed_objects.add_catch_all(
            state, policy, policy["created"], "ALLOW", "2FA", "PT12H", [DEVICE_BOUND]
        )
    events.record(state, req, "policy.lifecycle.create", "Add policy", _policy_target(policy))
    return Response(200, present_policy(policy, req.base_url))


def replace_policy(req: Request, state: State, params: dict[str, str]) -> Response:
    policy = get_policy(state, params["policyId"])
    body = checked(req, req.json())
    _validate_policy(state, body, policy)
    requested = _priority(body)
    if policy["system"] and requested not in (None, policy["priority"]):
        raise OktaError("E0000006", causes=["The priority of a system policy cannot be changed"])
    policy.update(
        name=body["name"],
        description=body.get("description", policy.get("description")),
        lastUpdated=ids.now_iso(),
    )
    if policy["description"] is None:
        del policy["description"]  # the spec's description is not nullable: Okta omits it
    if "conditions" in body and not policy["system"]:
        policy["conditions"] = body["conditions"]
    if policy["type"] == "ACCESS_POLICY":
        policy["priority"] = requested if requested is not None else policy["priority"]
    elif requested is not None and requested != policy["priority"] and not policy["system"]:
        siblings = _siblings(state, policy["type"], policy["id"])
        priorities.place(siblings, policy, requested, current=policy["priority"])
    events.record(state, req, "policy.lifecycle.update", "Update policy", _policy_target(policy))
    return Response(200, present_policy(policy, req.base_url))


def delete_policy(req: Request, state: State, params: dict[str, str]) -> Response:
    policy = get_policy(state, params["policyId"])
    if policy["system"]:
        raise OktaError("E0000006", causes=["A system policy cannot be deleted"])
    apps = [app_id for app_id, pid in state["app_policy"].items() if pid == policy["id"]]
    if apps:
        raise validation("policy", f"Policy {policy['id']} is assigned to {len(apps)} app(s)")
    del state["policies"][policy["id"]]
    if policy["type"] != "ACCESS_POLICY":  # authentication policies have no order
        priorities.settle_pinned(_siblings(state, policy["type"], None))
    state["rules"].pop(policy["id"], None)
    events.record(state, req, "policy.lifecycle.delete", "Delete policy", _policy_target(policy))
    return Response(204)


def _policy_lifecycle(active: bool) -> Any:
    def handler(req: Request, state: State, params: dict[str, str]) -> Response:
        policy = get_policy(state, params["policyId"])
        if policy["system"] and not active:
            raise OktaError("E0000006", causes=["A system policy cannot be deactivated"])
        targets = _policy_target(policy)
        events.set_status(state, req, policy, active, "policy.lifecycle", "policy", targets)
        return Response(204)

    return handler


def list_rules(req: Request, state: State, params: dict[str, str]) -> Response:
    policy = get_policy(state, params["policyId"])
    rules = priorities.ordered(list(state["rules"][policy["id"]].values()))
    limit = req.int_arg("limit", 1000, 1000)
    # Okta answers a rule list without a Link header (recorded: every GET .../rules)
    answer = [present_rule(r, policy["id"], req.base_url) for r in rules[:limit]]
    return Response(200, answer, link_header=False)


def read_rule(req: Request, state: State, params: dict[str, str]) -> Response:
    rule = _get_rule(state, params["policyId"], params["ruleId"])
    return Response(200, present_rule(rule, params["policyId"], req.base_url))


def _ceiling(policy: dict[str, Any]) -> int | None:
    """The priority rules must stay above: an authentication policy's Catch-all Rule's."""
    return CATCH_ALL_PRIORITY if policy["type"] == "ACCESS_POLICY" else None


def _clamped(policy: dict[str, Any]) -> bool:
    """Whether a rule priority past the end is lowered to the next free one (global session
    policies) or kept (authentication policies), see `priorities`."""
    return bool(policy["type"] != "ACCESS_POLICY")


def _rule_body(req: Request, policy: dict[str, Any]) -> dict[str, Any]:
    """The request body, checked against the spec as a rule of `policy`'s rule type (the type
    Okta assumes when the body does not say)."""
    body = req.json()
    checked(req, {**body, "type": body.get("type", RULE_TYPE_FOR_POLICY[policy["type"]])})
    return body


def create_rule(req: Request, state: State, params: dict[str, str]) -> Response:
    policy = get_policy(state, params["policyId"])
    body = _rule_body(req, policy)
    name, conditions, actions = validate_rule(state, policy, body)
    siblings = list(state["rules"][policy["id"]].values())
    if any(r["name"] == name for r in siblings):
        raise validation("name", f"name: A rule named '{name}' already exists in this policy")
    status = body.get("status", "ACTIVE" if req.flag("activate", True) else "INACTIVE")
    rule = seed_objects.new_rule(policy, name, conditions, actions, ids.now_iso(), status=status)
    priorities.place(siblings, rule, _priority(body), _ceiling(policy), _clamped(policy))
    state["rules"][policy["id"]][rule["id"]] = rule
    events.record(state, req, "policy.rule.add", "Add policy rule", _rule_targets(policy, rule))
    return Response(200, present_rule(rule, policy["id"], req.base_url))


def replace_rule(req: Request, state: State, params: dict[str, str]) -> Response:
    policy = get_policy(state, params["policyId"])
    rule = _get_rule(state, policy["id"], params["ruleId"])
    body = _rule_body(req, policy)
    name, conditions, actions = validate_rule(state, policy, body)
    requested = _priority(body)
    if rule["system"]:
        if (
            name != rule["name"]
            or requested not in (None, rule["priority"])
            or (body.get("conditions") and conditions != rule["conditions"])
        ):
            raise OktaError("E0000006", causes=["Only the actions of a system rule can be changed"])
        rule.update(actions=actions, lastUpdated=ids.now_iso())
    else:
        siblings = [r for r in state["rules"][policy["id"]].values() if r["id"] != rule["id"]]
        if any(r["name"] == name for r in siblings):
            raise validation("name", f"name: A rule named '{name}' already exists in this policy")
        # an authentication policy rule is re-inserted even at its own priority, a global
        # session policy rule only moves when the priority changes (see `priorities`)
        moved = requested is not None and requested != rule["priority"]
        if moved or (requested is not None and not _clamped(policy)):
            current = rule["priority"]
            priorities.place(siblings, rule, requested, _ceiling(policy), _clamped(policy), current)
        rule.update(name=name, conditions=conditions, actions=actions, lastUpdated=ids.now_iso())
    events.record(
        state, req, "policy.rule.update", "Update policy rule", _rule_targets(policy, rule)
    )
    return Response(200, present_rule(rule, policy["id"], req.base_url))


def delete_rule(req: Request, state: State, params: dict[str, str]) -> Response:
    policy = get_policy(state, params["policyId"])
    rule = _get_rule(state, policy["id"], params["ruleId"])
    if rule["system"]:
        raise OktaError("E0000006", causes=["A system rule cannot be deleted"])
    del state["rules"][policy["id"]][rule["id"]]
    priorities.settle_pinned(list(state["rules"][policy["id"]].values()))
    events.record(
        state, req, "policy.rule.delete", "Delete policy rule", _rule_targets(policy, rule)
    )
    return Response(204)


def _rule_lifecycle(active: bool) -> Any:
    def handler(req: Request, state: State, params: dict[str, str]) -> Response:
        policy = get_policy(state, params["policyId"])
        rule = _get_rule(state, policy["id"], params["ruleId"])
        if rule["system"] and not active:
            raise OktaError("E0000006", causes=["A system rule cannot be deactivated"])
        targets = _rule_targets(policy, rule)
        events.set_status(state, req, rule, active, "policy.rule", "policy rule", targets)
        return Response(204)

    return handler


READ, MANAGE, BUCKET = "okta.policies.read", "okta.policies.manage", "/api/v1/policies"
P, R = "/api/v1/policies/{policyId}", "/api/v1/policies/{policyId}/rules/{ruleId}"
ROUTES: list[Route] = [
    route("GET", "/api/v1/policies", list_policies, READ, BUCKET),
    route("POST", "/api/v1/policies", create_policy, MANAGE, BUCKET, write=True),
    route("GET", P, read_policy, READ, BUCKET),
    route("PUT", P, replace_policy, MANAGE, BUCKET, write=True),
    route("DELETE", P, delete_policy, MANAGE, BUCKET, write=True),
    route("POST", f"{P}/lifecycle/activate", _policy_lifecycle(True), MANAGE, BUCKET, write=True),
    route(
        "POST", f"{P}/lifecycle/deactivate", _policy_lifecycle(False), MANAGE, BUCKET, write=True
    ),
    route("GET", f"{P}/rules", list_rules, READ, BUCKET),
    route("POST", f"{P}/rules", create_rule, MANAGE, BUCKET, write=True),
    route("GET", R, read_rule, READ, BUCKET),
    route("PUT", R, replace_rule, MANAGE, BUCKET, write=True),
    route("DELETE", R, delete_rule, MANAGE, BUCKET, write=True),
    route("POST", f"{R}/lifecycle/activate", _rule_lifecycle(True), MANAGE, BUCKET, write=True),
    route("POST", f"{R}/lifecycle/deactivate", _rule_lifecycle(False), MANAGE, BUCKET, write=True),
]
