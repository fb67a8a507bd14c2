"""session-lifetime (STIG V-273203): admin sessions last at most 18 hours."""

from __future__ import annotations

from typing import Any

from generator.controls.base import Status, Stig
from generator.controls.checks.session_rules import MAX_LIFETIME, SessionRuleCheck, session_value


class SessionLifetime(SessionRuleCheck):
    check_id = "session-lifetime"
    title = "Admin sessions end after at most 18 hours"
    severity = "medium"
    stig = (Stig("V-273203", "OKTA-APP-001665"),)
    fix = f"okta.global_session_policy.session_lifetime_minutes at most {MAX_LIFETIME}."

    def judge(self, rule: Any) -> tuple[Status, str]:
        lifetime = int(session_value(rule, "maxSessionLifetimeMinutes") or 0)
        if lifetime == 0:
            return "fail", "no session lifetime limit (0)"
        ok = lifetime <= MAX_LIFETIME
        return ("pass" if ok else "fail"), f"lifetime {lifetime} min (maximum {MAX_LIFETIME})"
