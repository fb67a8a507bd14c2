"""session-mfa: admin sign-in requires MFA."""

from __future__ import annotations

from typing import Any

from generator.controls.base import Status
from generator.controls.checks.common import dig
from generator.controls.checks.session_rules import SessionRuleCheck


class SessionMfa(SessionRuleCheck):
    check_id = "session-mfa"
    title = "Admin sign-in requires MFA"
    severity = "high"
    fix = "Require a second factor on every sign-on rule that lets admins in."

    def judge(self, rule: Any) -> tuple[Status, str]:
        if dig(rule, "actions", "signon", "requireFactor"):
            prompt = dig(rule, "actions", "signon", "factorPromptMode") or "default prompt"
            return "pass", f"MFA required ({prompt})"
        return "fail", "no MFA required"
