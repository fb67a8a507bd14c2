"""admin-console-mfa (STIG V-273193, CAT I): every Admin Console rule that lets admin-group
members in requires two factors (factor mode 2FA)."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Stig
from generator.controls.checks.common import judge_console_rules
from generator.controls.context import ControlContext
from generator.okta.snapshot import JsonObject


class AdminConsoleMfa(ControlCheck):
    check_id = "admin-console-mfa"
    title = "The Admin Console requires two factors wherever it lets admins in"
    severity = "high"
    stig = (Stig("V-273193", "OKTA-APP-000560"),)
    fix = (
        "okta.admin_console.factor_mode: 2FA (egress-guard's rule), and 'Any 2 factor types' on "
        "every other Admin Console rule that admins can reach."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        return judge_console_rules(self, context, _two_factors)


def _two_factors(rule: JsonObject | None) -> tuple[bool, str]:
    mode = None
    if rule is not None:
        method = (rule.get("actions") or {}).get("appSignOn", {}).get("verificationMethod")
        mode = (method or {}).get("factorMode", "2FA")
    return mode == "2FA", f"factor mode {mode or 'unknown'}"
