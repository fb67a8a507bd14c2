"""session-policy-network (STIG V-279691): every sign-on rule that lets admins in names
network zones."""

from __future__ import annotations

from typing import Any

from generator.controls.base import Status, Stig
from generator.controls.checks.common import dig
from generator.controls.checks.session_rules import SessionRuleCheck


class SessionPolicyNetwork(SessionRuleCheck):
    check_id = "session-policy-network"
    title = "Admins sign in only through Global Session Policy rules that name network zones"
    severity = "medium"
    stig = (Stig("V-279691", "OKTA-APP-003242"),)
    fix = (
        "mode: enforce (egress-guard's deny rule active), and a network zone condition on every "
        "sign-on rule that lets admins in."
    )

    def judge(self, rule: Any) -> tuple[Status, str]:
        network = dig(rule, "conditions", "network") or {}
        if network.get("connection") == "ZONE":
            return "pass", "network condition: zones"
        return "fail", "no network condition: applies from any IP"
