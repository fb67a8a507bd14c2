"""okta_app_signon_policy_rules: every rule of one authentication policy in one resource.

A plugin-framework resource of okta/okta (>= 6.6), followed here call for call from
okta/services/idaas/resource_okta_app_signon_policy_rules.go (v6.12.0, "rules.go" below):
rules are written in priority order (rules.go:808-824, unset priorities last), matched to
existing ones by name (rules.go:860-877, 956-1043), their status set with lifecycle calls only
when the answer differs (rules.go:1143-1154); rules Okta has that the state does not know are
never read, changed or deleted, and `constraints` are never read back (rules.go:1397-1590).
Recorded: TestAccResourceOktaAppSignOnPolicyRules_crud (create: GET rules, POST x6 in priority
order; update: GET + PUT per rule in priority order; destroy: DELETE x6).
One rule to and from the API's JSON: app_rule_api.py.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tf.types import Unknown

from okta_sandbox.provider.api import ApiError
from okta_sandbox.provider.app_rule_api import api_rule, from_api
from okta_sandbox.provider.base import OktaResource, ProviderError, State, json_list, known
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
                    json_list(rule.get(field))
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


__all__ = ["AppSignonPolicyRules"]
