"""session-idle (STIG V-273186): admin sessions idle out after at most 15 minutes."""

from __future__ import annotations

from typing import Any

from generator.controls.base import Status, Stig
from generator.controls.checks.session_rules import (
    API_DEFAULT_IDLE,
    MAX_IDLE,
    SessionRuleCheck,
    session_value,
)


class SessionIdle(SessionRuleCheck):
    check_id = "session-idle"
    title = f"Admin sessions time out after at most {MAX_IDLE} idle minutes"
    severity = "medium"
    stig = (Stig("V-273186", "OKTA-APP-000020"),)
    fix = f"okta.global_session_policy.session_idle_minutes at most {MAX_IDLE}."

    def judge(self, rule: Any) -> tuple[Status, str]:
        idle = session_value(rule, "maxSessionIdleMinutes")
        idle = API_DEFAULT_IDLE if idle is None else int(idle)
        ok = 0 < idle <= MAX_IDLE
        return ("pass" if ok else "fail"), f"idle time {idle} min (maximum {MAX_IDLE})"
