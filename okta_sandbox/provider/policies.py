"""Shared policy/rule plumbing: lifecycle calls, the priority check, rule import IDs."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from okta_sandbox.provider.base import (
    OktaResource,
    ProviderError,
    State,
    kept_on_failure,
    known,
)

POLICIES = "/api/v1/policies"


def lifecycle(api: Any, path: str, status: str | None) -> None:
    action = "activate" if (status or "ACTIVE") == "ACTIVE" else "deactivate"
    api.post(f"{path}/lifecycle/{action}")


def check_priority(planned: State, returned: Any, state: State) -> None:
    """okta/okta: a configured priority the API did not honour fails the apply."""
    wanted = planned.get("priority")
    if known(wanted) and wanted and returned is not None and int(wanted) != int(returned):
        raise ProviderError(
            f"provided priority was not valid, got: {int(wanted)}, "
            f"API responded with: {int(returned)}. See schema for attribute details",
            "the object exists in Okta with the priority the API chose",
            state=state,
        )


def split_rule_id(import_id: str) -> tuple[str, str]:
    parts = import_id.split("/")
    if len(parts) != 2 or not all(parts):
        raise ProviderError(
            f"invalid resource import specifier {import_id!r}: use <policy_id>/<rule_id>"
        )
    return parts[0], parts[1]


class RuleResource(OktaResource):
    """Common CRUD of policy rules; subclasses map attributes to and from the API body and say
    which of okta/okta's two rule behaviours they follow (see the flags)."""

    SYSTEM_NAME = ""  # rule that is immutable / state-only on destroy
    IMMUTABLE = False
    CHECK_PRIORITY = True  # okta_app_signon_policy_rule: Okta shifts rules silently instead
    READ_POLICY = True  # the read-back GETs the policy before the rule
    LIFECYCLE_ON_UPDATE_ALWAYS = True  # else only when the status changes
    OIE_ONLY = False  # asks /.well-known/okta-organization first (once per process)

    @abstractmethod
    def body(self, planned: State, system: bool) -> dict[str, Any]:
        """The API body for the planned attributes (`system`: the immutable system rule)."""

    @abstractmethod
    def to_state(self, rule: dict[str, Any], prior: State) -> State:
        """Terraform state from the API's rule, on top of `prior` (attributes the API lacks)."""

    def _path(self, policy_id: str, rule_id: str = "") -> str:
        base = f"{POLICIES}/{policy_id}/rules"
        return f"{base}/{rule_id}" if rule_id else base

    def _require_policy(self, planned: State) -> str:
        policy_id = planned.get("policy_id")
        if not known(policy_id) or not policy_id:
            raise ProviderError("'policy_id' field should be set")
        return str(policy_id)

    def _guard(self, name: Any, action: str) -> None:
        if self.IMMUTABLE and name == self.SYSTEM_NAME:
            raise ProviderError(f"{self.SYSTEM_NAME} is immutable", f"cannot {action} it")

    def _org_check(self) -> None:
        if self.OIE_ONLY:
            self.provider.require_identity_engine("resources", self.TYPE)

    def _read_back(self, policy_id: str, rule_id: str) -> dict[str, Any] | None:
        if self.READ_POLICY and self.api.get_or_none(f"{POLICIES}/{policy_id}") is None:
            return None
        found: dict[str, Any] | None = self.api.get_or_none(self._path(policy_id, rule_id))
        return found

    def create(self, ctx: Any, planned: State) -> State:
        """okta/services/idaas/policy_rule.go:101-140 (sign-on rules) and
        resource_okta_app_signon_policy_rule.go:280-303 (v6.12.0): POST; a planned INACTIVE rule
        is then deactivated (an ACTIVE one is never activated); sign-on rules check the priority;
        the state comes from a read-back. Recorded: TestAccResourceOktaPolicyRuleSignon_GH2494
        #5 -> #6, #7 (POST, GET policy, GET rule); TestAccResourceOktaAppSignOnPolicyRule_crud
        #9 -> #10 (POST, GET rule)."""
        self._guard(planned.get("name"), "create")
        self._org_check()
        policy_id = self._require_policy(planned)
        rule = self.api.post(self._path(policy_id), self.body(planned, system=False))
        with kept_on_failure(planned, rule["id"]):
            path = self._path(policy_id, rule["id"])
            if planned.get("status") == "INACTIVE":
                self.api.post(f"{path}/lifecycle/deactivate")
            if self.CHECK_PRIORITY:
                check_priority(planned, rule.get("priority"), self.to_state(rule, planned))
            return self.to_state(self._read_back(policy_id, rule["id"]) or rule, planned)

    def read(self, ctx: Any, current: State) -> State | None:
        """policy_rule.go:168-191: GET the policy, then the rule; app rules (resource_okta_app_
        signon_policy_rule.go:305-395) GET only the rule. A 404 removes it from state."""
        self._org_check()
        policy_id = current.get("policy_id")
        if not policy_id:
            return None
        rule = self._read_back(str(policy_id), current["id"])
        return None if rule is None else self.to_state(rule, current)

    def update(self, ctx: Any, current: State, planned: State) -> State:
        """policy_rule.go:229-247: PUT, priority check, the lifecycle call always, read-back;
        resource_okta_app_signon_policy_rule.go:397-426: PUT, the lifecycle call only when the
        status changes, read-back."""
        self._guard(planned.get("name"), "update")
        self._org_check()
        policy_id = self._require_policy(planned)
        path = self._path(policy_id, current["id"])
        rule = self.api.put(path, self.body(planned, system=bool(current.get("system"))))
        if self.CHECK_PRIORITY:
            check_priority(planned, rule.get("priority"), self.to_state(rule, planned))
        status = planned.get("status") or "ACTIVE"
        if self.LIFECYCLE_ON_UPDATE_ALWAYS or status != current.get("status"):
            lifecycle(self.api, path, status)
        return self.to_state(self._read_back(policy_id, current["id"]) or rule, planned)

    def delete(self, ctx: Any, current: State) -> None:
        """policy_rule.go:271-301: GET the policy and the rule first (gone: done), a system
        rule only leaves the state, else DELETE; resource_okta_app_signon_policy_rule.go:
        428-445: the rule named "Catch-all Rule" only leaves the state, else DELETE. A 404 on
        the DELETE itself is an error in both."""
        self._guard(current.get("name"), "delete")
        self._org_check()
        policy_id = str(current["policy_id"])
        if self.READ_POLICY:
            found = self._read_back(policy_id, current["id"])
            if found is None or found.get("system"):
                return
        elif current.get("name") == self.SYSTEM_NAME:
            return
        self.api.delete(self._path(policy_id, current["id"]))

    def import_(self, ctx: Any, id: str) -> State | None:
        policy_id, rule_id = split_rule_id(id)
        return self.read(ctx, self.state({"id": rule_id, "policy_id": policy_id}))

    def plan_change(self, prior: State | None, planned: State, config: State) -> State:
        # priority left unset never diffs (DiffSuppressFunc on a null config value)
        if prior is not None and not known(config.get("priority")):
            planned["priority"] = prior.get("priority")
        return planned
