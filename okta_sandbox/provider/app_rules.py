"""okta_app_signon_policy_rules: every rule of one authentication policy in one resource.

A plugin-framework resource of okta/okta (>= 6.6), followed here call for call from
okta/services/idaas/resource_okta_app_signon_policy_rules.go (v6.12.0, "rules.go" below):
rules are written in priority order (rules.go:808-824, unset priorities last), matched to
existing ones by name (rules.go:860-877, 956-1043), their status set with lifecycle calls only
when the answer differs (rules.go:1143-1154); rules Okta has that the state does not know are
never read, changed or deleted, and `constraints` are never read back (rules.go:1397-1590).
Recorded: TestAccResourceOktaAppSignOnPolicyRules_crud (create: GET rules, POST x6 in priority
order; update: GET + PUT per rule in priority order; destroy: DELETE x6).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tf.types import Unknown

from okta_sandbox.provider.api import ApiError
from okta_sandbox.provider.base import OktaResource, ProviderError, State, known, str_set
from okta_sandbox.provider.policies import POLICIES
from okta_sandbox.provider.tfschema import complete

NOT_FOUND = 404
# Optional attributes with a schema Default (rules.go:657-805): null in config plans as this
RULE_DEFAULTS = {
    "status": "ACTIVE",
    "network_connection": "ANYWHERE",
    "access": "ALLOW",
    "factor_mode": "2FA",
    "type": "ASSURANCE",
}
# Computed attributes of a rule: a rule already in state keeps them, a new one learns them
RULE_COMPUTED = ("id", "system", "risk_score", "re_authentication_frequency")


def _by_priority(rules: list[State]) -> list[State]:
    """rules.go:808-824: ascending priority, rules without one last (stable)."""
    return sorted(rules, key=lambda r: (not known(r.get("priority")), r.get("priority") or 0))


def _json_list(values: Any) -> list[Any]:
    out = []
    for value in str_set(values):
        try:
            out.append(json.loads(value))
        except ValueError as error:
            raise ProviderError(f"invalid JSON {value!r}: {error}") from error
    return out


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
        method["constraints"] = _json_list(rule["constraints"])
    if known(rule.get("chains")):
        method["chains"] = _json_list(rule["chains"])
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


class AppSignonPolicyRules(OktaResource):
    TYPE = "okta_app_signon_policy_rules"
    FORCE_NEW = ("policy_id",)  # RequiresReplace

    def _rules_path(self, policy_id: str, rule_id: str = "") -> str:
        path = f"{POLICIES}/{policy_id}/rules"
        return f"{path}/{rule_id}" if rule_id else path

    def validate_config(self, config: State) -> list[str]:
        """rules.go:258-317: names and set priorities unique within the resource."""
        rules = config.get("rule") or []
        errors = []
        names = Counter(r.get("name") for r in rules if known(r.get("name")))
        priorities = Counter(r.get("priority") for r in rules if known(r.get("priority")))
        errors += [
            f"Duplicate rule name: {n!r} is used by more than one rule"
            for n, c in names.items()
            if c > 1
        ]
        errors += [
            f"Duplicate rule priority: {p} is used by more than one rule"
            for p, c in priorities.items()
            if c > 1
        ]
        for rule in rules:
            for field in ("chains", "constraints"):
                try:
                    _json_list(rule.get(field))
                except ProviderError as error:
                    errors.append(f"rule {rule.get('name')!r}: {field}: {error.summary}")
        return errors

    def plan_change(self, prior: State | None, planned: State, config: State) -> State:
        """Defaults of the rule attributes; the computed ones of a rule already in state are
        kept (matched by name, as the provider matches), a new rule's are unknown."""
        known_rules = {r.get("name"): r for r in (prior or {}).get("rule") or []}
        rules = []
        for rule in planned.get("rule") or []:
            rule = dict(rule)
            for name, default in RULE_DEFAULTS.items():
                if rule.get(name) is None:
                    rule[name] = default
            for kmsi in rule.get("keep_me_signed_in") or []:
                if kmsi.get("post_auth") is None:
                    kmsi["post_auth"] = "NOT_ALLOWED"
            for platform in rule.get("platform_include") or []:
                if platform.get("os_expression") is None:
                    platform["os_expression"] = ""
            before = known_rules.get(rule.get("name"))
            for name in RULE_COMPUTED:
                if rule.get(name) is None or rule.get(name) is Unknown:
                    rule[name] = before.get(name) if before else Unknown
            rules.append(rule)
        planned["rule"] = rules
        if prior is not None:
            planned["id"] = prior.get("id")
        return planned

    # ---- API calls ----------------------------------------------------------------------
    def _sync_status(self, path: str, current: Any, desired: Any) -> None:
        """rules.go:1143-1154: a lifecycle call only when the answer's status differs."""
        if known(desired) and desired and desired != current:
            action = "activate" if desired == "ACTIVE" else "deactivate"
            self.api.post(f"{path}/lifecycle/{action}")

    def _write(self, policy_id: str, rule: State, rule_id: str | None) -> State:
        """Create the rule, or GET + PUT the one it stands for (a system rule keeps its
        name and priority and gets no conditions, rules.go:879-955)."""
        body = api_rule(rule)
        if rule_id is None:
            answer = self.api.post(self._rules_path(policy_id), body)
        else:
            current = self.api.get(self._rules_path(policy_id, rule_id))
            if current.get("system"):
                body.pop("conditions", None)
                body.update(system=True, name=current.get("name"))
                if current.get("priority") is not None:
                    body["priority"] = current["priority"]
            answer = self.api.put(self._rules_path(policy_id, rule_id), body)
        self._sync_status(
            self._rules_path(policy_id, answer["id"]), answer.get("status"), rule.get("status")
        )
        state = from_api(rule, answer)
        state["status"] = rule.get("status")
        return state

    def _delete_rule(self, policy_id: str, rule_id: str) -> None:
        """rules.go:1121-1141: a rule already gone is fine."""
        try:
            self.api.delete(self._rules_path(policy_id, rule_id))
        except ApiError as error:
            if error.status != NOT_FOUND:
                raise

    @staticmethod
    def _in_config_order(done: list[State], planned: list[State]) -> list[State]:
        by_name = {r["name"]: r for r in done}
        return [by_name[r["name"]] for r in planned if r["name"] in by_name]

    # ---- CRUD ---------------------------------------------------------------------------
    def create(self, ctx: Any, planned: State) -> State:
        """rules.go:336-381: list the policy's rules (a rule of the same name, e.g. left by an
        interrupted apply or a resource being migrated, is adopted), then each rule in
        priority order."""
        policy_id = str(planned["policy_id"])
        existing = {r.get("name"): r["id"] for r in self.api.list(self._rules_path(policy_id))}
        done = []
        for rule in _by_priority(list(planned.get("rule") or [])):
            rule_id = rule.get("id") if known(rule.get("id")) else existing.get(rule["name"])
            done.append(self._write(policy_id, rule, rule_id))
        rules = self._in_config_order(done, list(planned.get("rule") or []))
        return {**planned, "id": policy_id, "rule": rules}

    def read(self, ctx: Any, current: State) -> State | None:
        """rules.go:383-415: GET each rule the state knows; one not found is dropped."""
        policy_id = str(current["policy_id"])
        rules = []
        for rule in current.get("rule") or []:
            if not known(rule.get("id")):
                continue
            try:
                answer = self.api.get(self._rules_path(policy_id, rule["id"]))
            except ApiError as error:
                if error.status == NOT_FOUND:
                    continue
                raise
            rules.append(from_api(rule, answer))
        return {**current, "rule": rules}

    def update(self, ctx: Any, current: State, planned: State) -> State:
        """rules.go:417-460: delete the state's rules the plan no longer names (by name or
        id; system rules stay), then each planned rule in priority order: one the state knows
        by name (or by its configured id) is read and replaced, another is created."""
        policy_id = str(planned["policy_id"])
        planned_rules = list(planned.get("rule") or [])
        names = {r["name"] for r in planned_rules}
        ids = {r["id"] for r in planned_rules if known(r.get("id")) and r.get("id")}
        state_rules = [r for r in current.get("rule") or [] if known(r.get("id"))]
        for rule in state_rules:
            if not rule.get("system") and rule["name"] not in names and rule["id"] not in ids:
                self._delete_rule(policy_id, rule["id"])
        by_name = {r["name"]: r for r in state_rules}
        by_id = {r["id"]: r for r in state_rules}
        done = []
        for rule in _by_priority(planned_rules):
            known_rule = by_name.get(rule["name"]) or by_id.get(rule.get("id"))
            done.append(self._write(policy_id, rule, known_rule["id"] if known_rule else None))
        return {**planned, "id": policy_id, "rule": self._in_config_order(done, planned_rules)}

    def delete(self, ctx: Any, current: State) -> None:
        """rules.go:462-485: DELETE every rule in state but the system ones."""
        for rule in current.get("rule") or []:
            if not rule.get("system") and known(rule.get("id")):
                self._delete_rule(str(current["policy_id"]), rule["id"])

    def import_(self, ctx: Any, id: str) -> State | None:
        """rules.go:487-518: every rule of the policy (system ones included), each read with
        its constraints."""
        rules = []
        for listed in self.api.list(self._rules_path(id)):
            answer = self.api.get(self._rules_path(id, listed["id"]))
            method = ((answer.get("actions") or {}).get("appSignOn") or {}).get(
                "verificationMethod"
            ) or {}
            empty = complete(self.spec().blocks["rule"].block, {"name": answer.get("name")})
            rule = from_api(empty, answer)
            if method.get("constraints"):
                rule["constraints"] = [json.dumps(c, sort_keys=True) for c in method["constraints"]]
            rules.append(rule)
        return self.state({"id": id, "policy_id": id, "rule": rules})


__all__ = ["AppSignonPolicyRules", "api_rule", "from_api"]
