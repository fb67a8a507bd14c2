"""Classify the differences between the desired state and a live org into findings.

missing   — declared, absent live;
changed   — present, attribute-level differences (expected → actual);
unmanaged — present in a scope we manage but not declared: extra rules in our session policy,
            rules above ours in a protected app's policy, a sign-on policy evaluated before ours
            that targets an admin group or everyone (no group condition), zones carrying our
            name prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from typing import Any

from generator.drift.break_glass import PendingMembers
from generator.drift.compare import compare
from generator.drift.expected import ExpectedObject, address, expected_objects
from generator.drift.findings import Finding, ObjectKind, Severity, diff_severity
from generator.drift.plan import PlanIndex
from generator.model import DesiredState
from generator.model_mfa import mfa_rule_name
from generator.okta.platform import EVERYONE_GROUP
from generator.okta.read_targets import targets_from_state
from generator.okta.snapshot import JsonObject, LiveOrg, included_groups
from generator.render import addresses as tf


def match_object(
    obj: ExpectedObject, candidates: Sequence[JsonObject], plan: PlanIndex | None
) -> JsonObject | None:
    wanted_id = plan.id_of(obj.address) if plan else None
    if wanted_id:
        found = next((c for c in candidates if c.get("id") == wanted_id), None)
        if found is not None:
            return found
    return next((c for c in candidates if c.get("name") == obj.name), None)


def _access(rule: JsonObject) -> str:
    actions = rule.get("actions") or {}
    signon = actions.get("signon") or actions.get("appSignOn") or {}
    return str(signon.get("access") or "ALLOW")


def _priority(obj: JsonObject) -> int:
    return int(obj.get("priority") or 0)


def _expected_access(obj: ExpectedObject) -> str:
    return _access(obj.body)


class Checker:
    def __init__(self, state: DesiredState, live: LiveOrg, plan: PlanIndex | None) -> None:
        self.state = state
        self.live = live
        self.plan = plan
        self.expected = expected_objects(state, live, plan)
        self.findings: list[Finding] = []
        self.members = PendingMembers(live)

    def run(self) -> list[Finding]:
        self._zones()
        self._session_policy()
        for app in self.state.app_policies:
            self._app(app.key)
        self._lookups()
        self.findings += self.members.findings()
        return self.findings

    # ---- helpers ----------------------------------------------------------------------------

    def _of_kind(self, kind: str, parent: str | None = None) -> list[ExpectedObject]:
        return [
            o for o in self.expected if o.kind == kind and (parent is None or o.parent == parent)
        ]

    def _missing(self, obj: ExpectedObject, severity: Severity, what: str) -> None:
        self.findings.append(
            Finding(
                "missing",
                severity,
                obj.kind,
                obj.name,
                f"{what} {obj.name!r} is declared but does not exist in Okta",
                # The id Terraform last knew: the System Log shows who deleted it.
                object_id=self.plan.id_of(obj.address) if self.plan else None,
                address=obj.address,
                key=obj.key,
            )
        )

    def _changed(self, obj: ExpectedObject, live_obj: JsonObject, what: str) -> None:
        obj = self.members.without_pending(obj, live_obj)
        diffs = compare(obj.kind, obj.body, live_obj, self.live)
        if not diffs:
            return
        paths = ", ".join(d.path for d in diffs)
        self.findings.append(
            Finding(
                "changed",
                diff_severity(diffs),
                obj.kind,
                obj.name,
                f"{what} {obj.name!r} differs from the declared state: {paths}",
                object_id=str(live_obj.get("id")),
                address=obj.address,
                key=obj.key,
                diffs=diffs,
            )
        )

    def _unmanaged(
        self, kind: ObjectKind, obj: JsonObject, severity: Severity, message: str
    ) -> None:
        object_id = str(obj.get("id"))
        self.findings.append(
            Finding(
                "unmanaged",
                severity,
                kind,
                str(obj.get("name")),
                message,
                object_id=object_id,
                address=self.plan.address_of(object_id) if self.plan else None,
            )
        )

    def _check_objects(
        self, objects: list[ExpectedObject], live_objects: Sequence[JsonObject], what: str
    ) -> dict[str, JsonObject]:
        """Missing/changed for `objects`; returns the matched live objects by model key."""
        matched: dict[str, JsonObject] = {}
        for obj in objects:
            live_obj = match_object(obj, live_objects, self.plan)
            if live_obj is None:
                deny = obj.kind.endswith("rule") and _expected_access(obj) == "DENY"
                self._missing(
                    obj, "high" if deny or obj.kind == "session_policy" else "medium", what
                )
                continue
            matched[obj.key] = live_obj
            self._changed(obj, live_obj, what)
        return matched

    # ---- object groups ----------------------------------------------------------------------

    def _zones(self) -> None:
        matched = self._check_objects(self._of_kind("zone"), self.live.zones, "network zone")
        ours = {str(z.get("id")) for z in matched.values()}
        prefix = f"{self.state.name_prefix}-"
        for zone in self.live.zones:
            if str(zone.get("name", "")).startswith(prefix) and str(zone.get("id")) not in ours:
                self._unmanaged(
                    "zone",
                    zone,
                    "low",
                    f"network zone {zone.get('name')!r} carries the managed name "
                    "prefix but is not declared",
                )

    def _session_policy(self) -> None:
        [policy_obj] = self._of_kind("session_policy")
        matched = self._check_objects(
            [policy_obj], self.live.sign_on_policies, "global session policy"
        )
        policy = matched.get(policy_obj.key)
        if policy is None:
            return
        rules_obj = self._of_kind("session_rule", policy_obj.key)
        live_rules = self.live.sign_on_rules.get(str(policy["id"]), ())
        ours = self._check_objects(rules_obj, live_rules, "session rule")
        deny_priority = _deny_priority(rules_obj, ours)
        known = {str(r.get("id")) for r in ours.values()}
        for rule in live_rules:
            if str(rule.get("id")) in known:
                continue
            active = rule.get("status", "ACTIVE") == "ACTIVE"
            above_deny = _priority(rule) < deny_priority
            severity: Severity = (
                "high"
                if active and _access(rule) == "ALLOW" and above_deny
                else "medium"
                if active
                else "low"
            )
            self._unmanaged(
                "session_rule",
                rule,
                severity,
                f"rule {rule.get('name')!r} (priority {_priority(rule)}, "
                f"{_access(rule)}) in our global session policy is not declared",
            )
        self._higher_policies(policy)

    def _higher_policies(self, ours: JsonObject) -> None:
        watched = {
            str(self.live.groups[name]["id"]): name
            for name in (*self.state.admin_groups, EVERYONE_GROUP)
            if name in self.live.groups
        }
        for policy in self.live.sign_on_policies:
            if policy.get("id") == ours.get("id") or policy.get("status", "ACTIVE") != "ACTIVE":
                continue
            if _priority(policy) >= _priority(ours):
                continue
            included = included_groups(policy)
            hit = [watched[g] for g in included if g in watched]
            if not included:
                hit = ["everyone (the policy has no group condition)"]
            if not hit:
                continue
            rules = self.live.sign_on_rules.get(str(policy.get("id")), ())
            allows = any(
                r.get("status", "ACTIVE") == "ACTIVE" and _access(r) == "ALLOW" for r in rules
            )
            self._unmanaged(
                "policy",
                policy,
                "high" if allows or not rules else "medium",
                f"sign-on policy {policy.get('name')!r} (priority {_priority(policy)}) "
                f"is evaluated before ours (priority {_priority(ours)}) for "
                f"{', '.join(hit)}",
            )

    def _app(self, key: str) -> None:
        app_state = next(a for a in self.state.app_policies if a.key == key)
        live_app = self.live.app(key)
        rules_obj = self._of_kind("app_rule", key)
        if live_app is None or live_app.app is None:
            self.findings.append(
                Finding(
                    "missing",
                    "high",
                    "app",
                    app_state.app_label,
                    f"app {app_state.app_label!r} was not found (active) in Okta: its "
                    "authentication policy cannot carry our rules",
                    address=address("data." + tf.APP_DATA, key),
                    key=key,
                )
            )
            return
        wanted = app_state.dedicated_policy
        if wanted is not None and (live_app.policy or {}).get("name") != wanted:
            self._not_dedicated(app_state.app_label, wanted, key, live_app.policy_id)
            return  # our rules sit on our policy, not on the one the app has
        ours = self._check_objects(rules_obj, live_app.rules, "authentication policy rule")
        if not ours:
            return
        # our two-factor rule (mfa.app_policies) sits directly above the Catch-all Rule, below
        # the policy's own rules: foreign rules "above ours" are those above our admin rules
        mfa = self.state.mfa.console_rule if self.state.mfa is not None else None
        mfa_key = mfa.rule.key if mfa is not None and mfa.rule is not None else None
        top = max((_priority(r) for k, r in ours.items() if k != mfa_key), default=0)
        known = {str(r.get("id")) for r in ours.values()}
        # a two-factor rule of ours where none is declared: the MFA check reports it (mfa.declared)
        undeclared_mfa = mfa_rule_name(self.state.name_prefix) if mfa is not None else None
        for rule in live_app.rules:
            if str(rule.get("id")) in known or rule.get("system") or _priority(rule) >= top:
                continue
            if rule.get("name") == undeclared_mfa:
                continue
            active = rule.get("status", "ACTIVE") == "ACTIVE"
            severity: Severity = (
                "high" if active and _access(rule) == "ALLOW" else "medium" if active else "low"
            )
            self._unmanaged(
                "app_rule",
                rule,
                severity,
                f"rule {rule.get('name')!r} (priority {_priority(rule)}, "
                f"{_access(rule)}) sits above ours in the {app_state.app_label!r} "
                "authentication policy and is not declared",
            )

    def _not_dedicated(self, label: str, wanted: str, key: str, policy_id: str | None) -> None:
        self.findings.append(
            Finding(
                "missing",
                "high",
                "app",
                label,
                f"app {label!r} is assigned authentication policy {policy_id}, not "
                f"egress-guard's dedicated policy {wanted!r}: our rules do not apply to it "
                "(apply the Terraform: okta_app_access_policy_assignment)",
                object_id=policy_id,
                address=address(tf.APP_POLICY_ASSIGNMENT, key),
                key=key,
            )
        )

    def _lookups(self) -> None:
        targets = targets_from_state(self.state)
        self._missing_lookups(
            "group", targets.groups, self.live.groups, tf.GROUP_DATA, tf.group_name
        )
        self._missing_lookups("user", targets.users, self.live.users, tf.USER_DATA, tf.user_name)

    def _missing_lookups(
        self,
        kind: ObjectKind,
        names: Sequence[str],
        found: Container[str],
        data_type: str,
        terraform_name: Callable[[str], str],
    ) -> None:
        """A `missing` finding for every one of `names` (looked up by `data "<data_type>"`)
        that is not among those `found` in Okta."""
        for name in names:
            if name not in found:
                self.findings.append(
                    Finding(
                        "missing",
                        "high",
                        kind,
                        name,
                        f"{kind} {name!r} named by the configuration does not exist in Okta",
                        address=address("data." + data_type, terraform_name(name)),
                    )
                )


def _deny_priority(rules: list[ExpectedObject], matched: dict[str, Any]) -> int:
    deny = [o for o in rules if _expected_access(o) == "DENY"]
    if not deny:
        return 10**6
    obj = deny[0]
    live = matched.get(obj.key)
    return _priority(live) if live is not None else int(obj.body.get("priority") or 0)


def find_drift(state: DesiredState, live: LiveOrg, plan: PlanIndex | None = None) -> list[Finding]:
    return Checker(state, live, plan).run()
