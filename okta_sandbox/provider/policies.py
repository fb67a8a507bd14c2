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
    """Common CRUD of policy rules; subclasses map attributes to and from the API body."""

    SYSTEM_NAME = ""  # rule that is immutable / state-only on destroy
    IMMUTABLE = False
    CHECK_PRIORITY = True  # okta_app_signon_policy_rule: Okta shifts rules silently instead

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

    def create(self, ctx: Any, planned: State) -> State:
        self._guard(planned.get("name"), "create")
        policy_id = self._require_policy(planned)
        rule = self.api.post(self._path(policy_id), self.body(planned, system=False))
        with kept_on_failure(planned, rule["id"]):
            state = self.to_state(rule, planned)
            if (planned.get("status") or "ACTIVE") != rule.get("status"):
                lifecycle(self.api, self._path(policy_id, rule["id"]), planned.get("status"))
                state["status"] = planned.get("status")
            if self.CHECK_PRIORITY:
                check_priority(planned, rule.get("priority"), state)
            return state

    def read(self, ctx: Any, current: State) -> State | None:
        policy_id = current.get("policy_id")
        if not policy_id or self.api.get_or_none(f"{POLICIES}/{policy_id}") is None:
            return None
        rule = self.api.get_or_none(self._path(policy_id, current["id"]))
        if rule is None:
            return None
        return self.to_state(rule, current)

    def update(self, ctx: Any, current: State, planned: State) -> State:
        self._guard(planned.get("name"), "update")
        policy_id = self._require_policy(planned)
        path = self._path(policy_id, current["id"])
        rule = self.api.put(path, self.body(planned, system=bool(current.get("system"))))
        state = self.to_state(rule, planned)
        if (planned.get("status") or "ACTIVE") != rule.get("status"):
            lifecycle(self.api, path, planned.get("status"))
            state["status"] = planned.get("status")
        if self.CHECK_PRIORITY:
            check_priority(planned, rule.get("priority"), state)
        return state

    def delete(self, ctx: Any, current: State) -> None:
        self._guard(current.get("name"), "delete")
        if current.get("system") or current.get("name") == self.SYSTEM_NAME:
            return
        try:
            self.api.delete(self._path(current["policy_id"], current["id"]))
        except Exception as error:
            if getattr(error, "status", None) != 404:
                raise

    def import_(self, ctx: Any, id: str) -> State | None:
        policy_id, rule_id = split_rule_id(id)
        return self.read(ctx, self.state({"id": rule_id, "policy_id": policy_id}))

    def plan_change(self, prior: State | None, planned: State, config: State) -> State:
        # priority left unset never diffs (DiffSuppressFunc on a null config value)
        if prior is not None and not known(config.get("priority")):
            planned["priority"] = prior.get("priority")
        return planned
