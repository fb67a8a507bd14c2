"""admin-console-mfa (STIG V-273193, CAT I): every Admin Console rule that lets admin-group
members in requires two factors (factor mode 2FA)."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Evidence, Stig
from generator.controls.checks.common import console_rules
from generator.controls.context import ControlContext

NOBODY = "no rule lets admin-group members reach the Admin Console"


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
        console = context.live.app("admin_console")
        if console is None or console.app is None:
            return self.unknown("the Okta Admin Console app was not found")
        evidence = []
        for found in console_rules(context):
            rule = context.app_rule(console, found.rule_id)
            mode = None
            if rule is not None:
                method = (rule.get("actions") or {}).get("appSignOn", {}).get("verificationMethod")
                mode = (method or {}).get("factorMode", "2FA")
            ok = mode == "2FA"
            evidence.append(
                Evidence(
                    found.subject,
                    "pass" if ok else "fail",
                    f"factor mode {mode or 'unknown'}; {found.who()}",
                    found.rule_id,
                )
            )
        if not evidence:
            return self.unknown(NOBODY)
        return self.result(evidence)
