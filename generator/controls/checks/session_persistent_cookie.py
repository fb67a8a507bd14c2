"""session-persistent-cookie (STIG V-273206): no persistent session cookie for admins."""

from __future__ import annotations

from typing import Any

from generator.controls.base import Status, Stig
from generator.controls.checks.session_rules import SessionRuleCheck, session_value


class SessionPersistentCookie(SessionRuleCheck):
    check_id = "session-persistent-cookie"
    title = "Admin sessions use no persistent session cookie"
    severity = "medium"
    stig = (Stig("V-273206", "OKTA-APP-001710"),)
    fix = "Turn 'persistent session cookie' off on every sign-on rule that lets admins in."

    def judge(self, rule: Any) -> tuple[Status, str]:
        persistent = bool(session_value(rule, "usePersistentCookie"))
        return ("fail", "persistent cookie on") if persistent else ("pass", "persistent cookie off")
