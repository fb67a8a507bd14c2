"""admin-console-session (STIG V-273187): the Okta Admin Console's own session idle time and
lifetime are at most the configured maxima (first-party app settings)."""

from __future__ import annotations

from typing import Any

from generator.controls.base import ControlCheck, ControlResult, Evidence, Stig
from generator.controls.context import ControlContext
from generator.controls.reads import Unavailable

SETTINGS = "/api/v1/first-party-app-settings/admin-console"
IDLE, LIFETIME = "sessionIdleTimeoutMinutes", "sessionMaxLifetimeMinutes"


def _judge(name: str, live: Any, limit: int, configured: bool) -> Evidence:
    subject = f"Admin Console {name}"
    if not isinstance(live, int) or isinstance(live, bool):
        return Evidence(subject, "unknown", f"not in the answer of GET {SETTINGS}")
    if live > limit:
        return Evidence(subject, "fail", f"{live} min, more than the maximum {limit} min")
    text = f"{live} min (maximum {limit} min)"
    if configured and live < limit:
        text += "; stricter than the configured value"
    return Evidence(subject, "pass", text)


class AdminConsoleSession(ControlCheck):
    check_id = "admin-console-session"
    title = "The Okta Admin Console's session idle time and lifetime are within the maxima"
    severity = "medium"
    stig = (Stig("V-273187", "OKTA-APP-000025"),)
    fix = (
        "Set controls.admin_console_session and run `egress-guard admin-console --config FILE "
        "--apply` (the provider has no resource for it), or Applications > Okta Admin Console > "
        "Sign On > Okta Admin Console session."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        settings = context.data.admin_console
        if isinstance(settings, Unavailable):
            return self.unknown(f"Admin Console settings not readable: {settings.reason}")
        controls = context.state.controls
        configured = controls.console_session_configured
        return self.result(
            [
                _judge("idle time", settings.get(IDLE), controls.console_idle_minutes, configured),
                _judge(
                    "session lifetime",
                    settings.get(LIFETIME),
                    controls.console_lifetime_minutes,
                    configured,
                ),
            ]
        )
