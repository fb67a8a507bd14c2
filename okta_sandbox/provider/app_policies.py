"""Authentication policies (ACCESS_POLICY): okta_app_signon_policy, its rules, app assignment."""

from __future__ import annotations

import contextlib
import json
from typing import Any, ClassVar

from okta_sandbox.facts import CATCH_ALL_RULE
from okta_sandbox.provider.base import (
    OktaResource,
    ProviderError,
    State,
    json_list,
    kept_on_failure,
    known,
    or_none,
    str_set,
)
from okta_sandbox.provider.policies import POLICIES, RuleResource

CATCH_ALL = CATCH_ALL_RULE


def policy_id_from_app(app: dict[str, Any]) -> str | None:
    href = ((app.get("_links") or {}).get("accessPolicy") or {}).get("href")
    return str(href).rstrip("/").rsplit("/", 1)[-1] if href else None


def _same_json(a: Any, b: Any) -> bool:
    try:
        return bool(json_list(a) == json_list(b))
    except ProviderError:
        return False


class AppSignonPolicy(OktaResource):
    TYPE = "okta_app_signon_policy"

    def plan_change(self, prior: State | None, planned: State, config: State) -> State:
        if prior is None:
            if not known(config.get("catch_all")):
                planned["catch_all"] = True
            if not known(config.get("priority")):
                planned["priority"] = 1
        return planned

    def _body(self, planned: State) -> dict[str, Any]:
        return {
            "type": "ACCESS_POLICY",
            "name": planned["name"],
            "description": planned.get("description"),
            "priority": int(planned.get("priority") or 1),
        }

    def _state(self, policy: dict[str, Any], prior: State) -> State:
        rules = self.api.list(f"{POLICIES}/{policy['id']}/rules")
        system = [r for r in rules if r.get("system")]
        if not system:
            raise ProviderError(f"policy {policy['id']} has no default (system) rule")
        return {
            **prior,
            "id": policy["id"],
            "name": policy.get("name"),
            "description": policy.get("description") or "",
            "priority": policy.get("priority"),
            "default_rule_id": system[0]["id"],
            "catch_all": prior.get("catch_all") if known(prior.get("catch_all")) else True,
        }

    def create(self, ctx: Any, planned: State) -> State:
        """okta/services/idaas/resource_okta_app_signon_policy.go:117-172 (v6.12.0): every CRUD
        call asks whether the org is Classic first (once per process); POST, then the rules
        list for the default rule; `catch_all = false` lists the rules again and PUTs the
        Catch-all Rule with access DENY. Recorded: TestAccResourceOktaAppSignOnPolicyRule_
        priority_concurrency #1 -> #2 (POST, GET rules)."""
        self.provider.require_identity_engine("resources", self.TYPE)
        policy = self.api.post(POLICIES, self._body(planned))
        with kept_on_failure(planned, policy["id"]):
            state = self._state(policy, planned)
            if planned.get("catch_all") is False:
                rules = self.api.list(f"{POLICIES}/{policy['id']}/rules")
                rule = next(r for r in rules if r["id"] == state["default_rule_id"])
                rule.setdefault("actions", {}).setdefault("appSignOn", {})["access"] = "DENY"
                rule.pop("_links", None)
                self.api.put(f"{POLICIES}/{policy['id']}/rules/{rule['id']}", rule)
            return state

    def read(self, ctx: Any, current: State) -> State | None:
        """resource_okta_app_signon_policy.go:174-208: GET the policy and its rules. No 404
        handling: a policy deleted out of band fails the refresh (okta/terraform-provider-okta
        #2881, open)."""
        self.provider.require_identity_engine("resources", self.TYPE)
        return self._state(self.api.get(f"{POLICIES}/{current['id']}"), current)

    def update(self, ctx: Any, current: State, planned: State) -> State:
        """resource_okta_app_signon_policy.go:273-304: PUT, then the rules list."""
        self.provider.require_identity_engine("resources", self.TYPE)
        policy = self.api.put(f"{POLICIES}/{current['id']}", self._body(planned))
        return self._state(policy, planned)

    def delete(self, ctx: Any, current: State) -> None:
        """resource_okta_app_signon_policy.go:210-271: find the org's one system authentication
        policy, hand it every app (listed 200 at a time) that uses this one, then DELETE.
        Recorded: ..._priority_concurrency, GET policies?type=ACCESS_POLICY -> GET
        apps?limit=200 -> DELETE."""
        self.provider.require_identity_engine("resources", self.TYPE)
        defaults = [
            p for p in self.api.list(POLICIES, {"type": "ACCESS_POLICY"}) if p.get("system")
        ]
        if len(defaults) != 1:
            raise ProviderError("cannot find the org's default authentication policy")
        for app in self.api.list("/api/v1/apps", {"limit": "200"}):
            if policy_id_from_app(app) == current["id"]:
                with contextlib.suppress(Exception):  # okta/okta ignores these errors too
                    self.api.put(f"/api/v1/apps/{app['id']}/policies/{defaults[0]['id']}")
        self.api.delete(f"{POLICIES}/{current['id']}")

    def import_(self, ctx: Any, id: str) -> State | None:
        return self.read(ctx, self.state({"id": id, "catch_all": True}))


class AppSignonPolicyRule(RuleResource):
    TYPE = "okta_app_signon_policy_rule"
    SYSTEM_NAME = CATCH_ALL
    CHECK_PRIORITY = False
    READ_POLICY = False
    LIFECYCLE_ON_UPDATE_ALWAYS = False
    OIE_ONLY = True
    FORCE_NEW = ("policy_id",)
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "status": "ACTIVE",
        "network_connection": "ANYWHERE",
        "access": "ALLOW",
        "factor_mode": "2FA",
        "type": "ASSURANCE",
        "re_authentication_frequency": "PT2H",
    }
    KEEP_PRIOR_WHEN_UNSET = ("keep_me_signed_in", "platform_include")

    def validate_config(self, config: State) -> list[str]:
        errors = []
        if str_set(config.get("network_includes")) and str_set(config.get("network_excludes")):
            errors.append('"network_includes": conflicts with network_excludes')
        if config.get("device_is_registered") is False:
            errors.append("device_is_registered: only true is allowed")
        for field in ("chains", "constraints"):
            try:
                json_list(config.get(field))
            except ProviderError as error:
                errors.append(f"{field}: {error.summary}")
        return errors

    def _conditions(self, planned: State) -> dict[str, Any]:
        connection = planned.get("network_connection") or "ANYWHERE"
        network: dict[str, Any] = {"connection": connection}
        if str_set(planned.get("network_includes")):
            network["include"] = str_set(planned.get("network_includes"))
        if str_set(planned.get("network_excludes")):
            network["exclude"] = str_set(planned.get("network_excludes"))
        conditions: dict[str, Any] = {"network": network}
        people: dict[str, Any] = {}
        for key, inc, exc in (
            ("users", "users_included", "users_excluded"),
            ("groups", "groups_included", "groups_excluded"),
        ):
            if str_set(planned.get(inc)) or str_set(planned.get(exc)):
                people[key] = {
                    "include": str_set(planned.get(inc)),
                    "exclude": str_set(planned.get(exc)),
                }
        if people:
            conditions["people"] = people
        # okta/okta sends an empty platform condition unless platform_include blocks are set
        platforms = [_platform(p) for p in planned.get("platform_include") or []]
        conditions["platform"] = {"include": platforms} if platforms else {}
        if known(planned.get("risk_score")) and planned.get("risk_score"):
            conditions["riskScore"] = {"level": planned["risk_score"]}
        if known(planned.get("custom_expression")) and planned.get("custom_expression"):
            conditions["elCondition"] = {"condition": planned["custom_expression"]}
        if planned.get("device_is_registered"):
            conditions["device"] = {
                "registered": True,
                "managed": bool(planned.get("device_is_managed")),
                "assurance": {"include": str_set(planned.get("device_assurances_included"))},
            }
        if str_set(planned.get("user_types_included")) or str_set(
            planned.get("user_types_excluded")
        ):
            conditions["userType"] = {
                "include": str_set(planned.get("user_types_included")),
                "exclude": str_set(planned.get("user_types_excluded")),
            }
        if str_set(planned.get("office365_client_include")):
            conditions["office365Client"] = {
                "include": str_set(planned.get("office365_client_include"))
            }
        return conditions

    def body(self, planned: State, system: bool) -> dict[str, Any]:
        method: dict[str, Any] = {
            "factorMode": planned.get("factor_mode") or "2FA",
            "type": planned.get("type") or "ASSURANCE",
            "reauthenticateIn": planned.get("re_authentication_frequency") or "PT2H",
        }
        if known(planned.get("inactivity_period")) and planned.get("inactivity_period"):
            method["inactivityPeriod"] = planned["inactivity_period"]
        if str_set(planned.get("constraints")):
            method["constraints"] = json_list(planned.get("constraints"))
        if str_set(planned.get("chains")):
            method["chains"] = json_list(planned.get("chains"))
            if any("reauthenticateIn" in c for c in method["chains"]):
                method.pop("reauthenticateIn")
        sign_on: dict[str, Any] = {
            "access": planned.get("access") or "ALLOW",
            "verificationMethod": method,
        }
        kmsi = planned.get("keep_me_signed_in") or []
        if kmsi:
            # sdk/v2_keepMeSignedIn.go:5-6: omitempty, an unset frequency is left out
            sign_on["keepMeSignedIn"] = {"postAuth": kmsi[0].get("post_auth") or "NOT_ALLOWED"}
            if known(kmsi[0].get("post_auth_prompt_frequency")):
                frequency = kmsi[0]["post_auth_prompt_frequency"]
                sign_on["keepMeSignedIn"]["postAuthPromptFrequency"] = frequency
        body: dict[str, Any] = {
            "type": "ACCESS_POLICY",
            "name": planned["name"],
            "status": planned.get("status") or "ACTIVE",
            "actions": {"appSignOn": sign_on},
        }
        priority = int(planned["priority"]) if known(planned.get("priority")) else 0
        if priority or not system:  # okta/okta always sends it (0 = unset); a system rule's stays
            body["priority"] = priority
        if not system:
            body["conditions"] = self._conditions(planned)
        return body

    def to_state(self, rule: dict[str, Any], prior: State) -> State:
        conditions = rule.get("conditions") or {}
        network = conditions.get("network") or {}
        people = conditions.get("people") or {}
        users = people.get("users") or {}
        groups = people.get("groups") or {}
        sign_on = (rule.get("actions") or {}).get("appSignOn") or {}
        method = sign_on.get("verificationMethod") or {}
        state: State = {
            **prior,
            "id": rule["id"],
            "name": rule.get("name"),
            "status": rule.get("status"),
            "priority": rule.get("priority"),
            "system": bool(rule.get("system", False)),
            "access": sign_on.get("access"),
            "factor_mode": method.get("factorMode") or "2FA",
            "type": method.get("type"),
            "re_authentication_frequency": method.get("reauthenticateIn"),
            "inactivity_period": method.get("inactivityPeriod"),
            "network_connection": network.get("connection", "ANYWHERE"),
            "network_includes": or_none(list(network.get("include") or [])),
            "network_excludes": or_none(list(network.get("exclude") or [])),
            "users_included": or_none(list(users.get("include") or [])),
            "users_excluded": or_none(list(users.get("exclude") or [])),
            "groups_included": or_none(list(groups.get("include") or [])),
            "groups_excluded": or_none(list(groups.get("exclude") or [])),
            "risk_score": (conditions.get("riskScore") or {}).get("level"),
        }
        constraints = [json.dumps(c, sort_keys=True) for c in method.get("constraints") or []]
        state["constraints"] = (
            prior.get("constraints")
            if _same_json(prior.get("constraints"), constraints)
            else or_none(constraints)
        )
        kmsi = sign_on.get("keepMeSignedIn")
        if kmsi:
            state["keep_me_signed_in"] = [
                {
                    "post_auth": kmsi.get("postAuth"),
                    "post_auth_prompt_frequency": kmsi.get("postAuthPromptFrequency"),
                }
            ]
        platform = (conditions.get("platform") or {}).get("include") or []
        if platform and prior.get("platform_include"):
            state["platform_include"] = [
                {
                    "type": p.get("type"),
                    "os_type": (p.get("os") or {}).get("type"),
                    "os_expression": (p.get("os") or {}).get("expression"),
                }
                for p in platform
            ]
        return state

    def plan_change(self, prior: State | None, planned: State, config: State) -> State:
        planned = super().plan_change(prior, planned, config)
        if prior is not None and _same_json(prior.get("constraints"), planned.get("constraints")):
            planned["constraints"] = prior.get("constraints")
        return planned


def _platform(block: dict[str, Any]) -> dict[str, Any]:
    os: dict[str, Any] = {"type": block.get("os_type") or "ANY"}
    if os["type"] == "OTHER" and block.get("os_expression"):
        os["expression"] = block["os_expression"]
    return {"type": block.get("type") or "ANY", "os": os}


class AppAccessPolicyAssignment(OktaResource):
    TYPE = "okta_app_access_policy_assignment"

    def _assign(self, planned: State) -> State:
        self.api.put(f"/api/v1/apps/{planned['app_id']}/policies/{planned['policy_id']}")
        return {**planned, "id": planned["app_id"]}

    def create(self, ctx: Any, planned: State) -> State:
        return self._assign(planned)

    def read(self, ctx: Any, current: State) -> State | None:
        app_id = current.get("app_id") or current["id"]
        app = self.api.get(f"/api/v1/apps/{app_id}")
        return {**current, "id": app_id, "app_id": app_id, "policy_id": policy_id_from_app(app)}

    def update(self, ctx: Any, current: State, planned: State) -> State:
        if planned.get("app_id") != current.get("app_id"):
            raise ProviderError("Application ID is immutable")
        return self._assign(planned)

    def delete(self, ctx: Any, current: State) -> None:
        # There is no API to unassign a policy: the app keeps it (okta/okta only warns).
        return None


__all__ = ["AppAccessPolicyAssignment", "AppSignonPolicy", "AppSignonPolicyRule"]
