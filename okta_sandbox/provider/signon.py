"""okta_policy_signon, okta_policy_rule_signon: Global Session Policy (OKTA_SIGN_ON, SIGN_ON)."""

from __future__ import annotations

from typing import Any, ClassVar

from okta_sandbox.facts import DEFAULT_SIGN_ON_POLICY, DEFAULT_SIGN_ON_RULE
from okta_sandbox.provider.base import (
    OktaResource,
    ProviderError,
    State,
    kept_on_failure,
    known,
    or_none,
    str_set,
)
from okta_sandbox.provider.policies import (
    POLICIES,
    RuleResource,
    check_priority,
    lifecycle,
)

DEFAULT_POLICY = DEFAULT_SIGN_ON_POLICY


def _groups(policy: dict[str, Any]) -> list[str] | None:
    people = (policy.get("conditions") or {}).get("people") or {}
    return or_none(list((people.get("groups") or {}).get("include") or []))


class PolicySignon(OktaResource):
    TYPE = "okta_policy_signon"
    DEFAULTS: ClassVar[dict[str, Any]] = {"status": "ACTIVE"}

    def _guard(self, name: Any, action: str) -> None:
        if name == DEFAULT_POLICY:
            raise ProviderError(f"{DEFAULT_POLICY} is immutable", f"cannot {action} it")

    def _body(self, planned: State) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "OKTA_SIGN_ON",
            "name": planned["name"],
            "status": planned.get("status") or "ACTIVE",
        }
        if known(planned.get("description")) and planned.get("description"):
            body["description"] = planned["description"]  # okta-sdk-golang: omitempty
        if known(planned.get("priority")) and planned.get("priority"):
            body["priority"] = int(planned["priority"])
        groups = str_set(planned.get("groups_included"))
        if groups:
            body["conditions"] = {"people": {"groups": {"include": groups}}}
        return body

    def _state(self, policy: dict[str, Any], prior: State) -> State:
        return {
            **prior,
            "id": policy["id"],
            "name": policy.get("name"),
            "description": policy.get("description"),
            "status": policy.get("status"),
            "priority": policy.get("priority"),
            "groups_included": _groups(policy),
        }

    def _finish(self, planned: State, policy: dict[str, Any]) -> State:
        """okta/services/idaas/policy.go:186-205 (create) and 307-324 (update), v6.12.0: the
        priority check right after the write (a mismatch fails with the object in state), then
        the lifecycle call for the planned status, always, then a GET for the state. Recorded:
        TestAccResourceOktaPolicyRuleSignon_GH2494 #2 -> #3 -> #4 (POST, activate, GET)."""
        path = f"{POLICIES}/{policy['id']}"
        check_priority(planned, policy.get("priority"), self._state(policy, planned))
        lifecycle(self.api, path, planned.get("status"))
        return self._state(self.api.get(path), planned)

    def create(self, ctx: Any, planned: State) -> State:
        self._guard(planned.get("name"), "create")
        policy = self.api.post(POLICIES, self._body(planned))
        with kept_on_failure(planned, policy["id"]):
            return self._finish(planned, policy)

    def read(self, ctx: Any, current: State) -> State | None:
        """policy.go:257-268: GET; 404 removes it from state."""
        policy = self.api.get_or_none(f"{POLICIES}/{current['id']}")
        return None if policy is None else self._state(policy, current)

    def update(self, ctx: Any, current: State, planned: State) -> State:
        self._guard(planned.get("name"), "update")
        policy = self.api.put(f"{POLICIES}/{current['id']}", self._body(planned))
        return self._finish(planned, policy)

    def delete(self, ctx: Any, current: State) -> None:
        """policy.go:326-339: DELETE, no deactivation first; a 404 is an error."""
        self._guard(current.get("name"), "delete")
        self.api.delete(f"{POLICIES}/{current['id']}")

    def plan_change(self, prior: State | None, planned: State, config: State) -> State:
        if prior is not None and not known(config.get("priority")):
            planned["priority"] = prior.get("priority")
        return planned


class PolicyRuleSignon(RuleResource):
    TYPE = "okta_policy_rule_signon"
    SYSTEM_NAME = DEFAULT_SIGN_ON_RULE
    IMMUTABLE = True
    FORCE_NEW = ("policy_id", "name")
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "status": "ACTIVE",
        "network_connection": "ANYWHERE",
        "authtype": "ANY",
        "access": "ALLOW",
        "mfa_required": False,
        "mfa_remember_device": False,
        "session_idle": 120,
        "session_lifetime": 120,
        "session_persistent": False,
        "identity_provider": "ANY",
    }

    def validate_config(self, config: State) -> list[str]:
        if str_set(config.get("network_includes")) and str_set(config.get("network_excludes")):
            return ['"network_includes": conflicts with network_excludes']
        return []

    def body(self, planned: State, system: bool) -> dict[str, Any]:
        access = planned.get("access") or "ALLOW"
        if access == "CHALLENGE" and not planned.get("factor_sequence"):
            raise ProviderError("'factor_sequence' is required when access is CHALLENGE")
        prompt = planned.get("mfa_prompt")
        if known(prompt) and prompt and prompt != "DEVICE" and planned.get("mfa_remember_device"):
            raise ProviderError("'mfa_remember_device' can only be true when mfa_prompt is DEVICE")
        connection = planned.get("network_connection") or "ANYWHERE"
        network: dict[str, Any] = {"connection": connection}
        if connection == "ZONE":
            if str_set(planned.get("network_includes")):
                network["include"] = str_set(planned.get("network_includes"))
            if str_set(planned.get("network_excludes")):
                network["exclude"] = str_set(planned.get("network_excludes"))
        conditions: dict[str, Any] = {
            "network": network,
            "authContext": {"authType": planned.get("authtype") or "ANY"},
            "identityProvider": {"provider": planned.get("identity_provider") or "ANY"},
        }
        if str_set(planned.get("identity_provider_ids")):
            conditions["identityProvider"]["idpIds"] = str_set(planned["identity_provider_ids"])
        excluded = str_set(planned.get("users_excluded"))
        if excluded:
            conditions["people"] = {"users": {"exclude": excluded}}
        risk = planned.get("risk_level") or planned.get("risc_level")
        if known(risk) and risk:
            conditions["riskScore"] = {"level": risk}
        signon: dict[str, Any] = {
            "access": access,
            "requireFactor": bool(planned.get("mfa_required")),
            "rememberDeviceByDefault": bool(planned.get("mfa_remember_device")),
            "session": {
                "usePersistentCookie": bool(planned.get("session_persistent")),
                # 0 is a value (lifetime 0: no limit), sent as the provider sends it
                "maxSessionIdleMinutes": _minutes(planned.get("session_idle")),
                "maxSessionLifetimeMinutes": _minutes(planned.get("session_lifetime")),
            },
        }
        if known(prompt) and prompt:
            signon["factorPromptMode"] = prompt
        if known(planned.get("mfa_lifetime")) and planned.get("mfa_lifetime"):
            signon["factorLifetime"] = int(planned["mfa_lifetime"])
        if known(planned.get("primary_factor")) and planned.get("primary_factor"):
            signon["primaryFactor"] = planned["primary_factor"]
        body: dict[str, Any] = {
            "type": "SIGN_ON",
            "name": planned["name"],
            "status": planned.get("status") or "ACTIVE",
            "conditions": conditions,
            "actions": {"signon": signon},
        }
        if known(planned.get("priority")) and planned.get("priority"):
            body["priority"] = int(planned["priority"])
        return body

    def to_state(self, rule: dict[str, Any], prior: State) -> State:
        conditions = rule.get("conditions") or {}
        network = conditions.get("network") or {}
        signon = (rule.get("actions") or {}).get("signon") or {}
        session = signon.get("session") or {}
        users = ((conditions.get("people") or {}).get("users") or {}).get("exclude") or []
        state: State = {
            **prior,
            "id": rule["id"],
            "name": rule.get("name"),
            "status": rule.get("status"),
            "priority": rule.get("priority"),
            "network_connection": network.get("connection", "ANYWHERE"),
            "network_includes": None,
            "network_excludes": None,
            "users_excluded": or_none(list(users)),
            "access": signon.get("access"),
            "mfa_required": bool(signon.get("requireFactor", False)),
            "mfa_prompt": signon.get("factorPromptMode") or prior.get("mfa_prompt"),
            "mfa_remember_device": bool(signon.get("rememberDeviceByDefault", False)),
            "mfa_lifetime": signon.get("factorLifetime"),
            "primary_factor": signon.get("primaryFactor"),
            "session_idle": session.get("maxSessionIdleMinutes"),
            "session_lifetime": session.get("maxSessionLifetimeMinutes"),
            "session_persistent": bool(session.get("usePersistentCookie", False)),
            "authtype": (conditions.get("authContext") or {}).get("authType", "ANY"),
            "identity_provider": (conditions.get("identityProvider") or {}).get("provider", "ANY"),
        }
        if state["network_connection"] != "ANYWHERE":
            state["network_includes"] = or_none(list(network.get("include") or []))
            state["network_excludes"] = or_none(list(network.get("exclude") or []))
        if not state["mfa_required"]:
            state["mfa_prompt"] = None  # the prompt mode only means something with MFA
        return state


__all__ = ["PolicyRuleSignon", "PolicySignon", "check_priority"]


def _minutes(value: Any) -> int:
    """A session setting as the provider sends it: the configured value, 0 included; its
    schema default (120) when not set."""
    return 120 if value is None else int(value)
