"""admin-console-phishing-resistant (STIG V-273191): every Admin Console rule that lets admins in
requires a phishing-resistant possession factor (`possession.phishingResistant: REQUIRED` in
every alternative of its constraints)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.controls.base import ControlCheck, ControlResult, Evidence, Stig
from generator.controls.checks.admin_console_mfa import NOBODY
from generator.controls.checks.common import console_rules, dig
from generator.controls.context import ControlContext


def phishing_resistant(rule: Any) -> bool:
    constraints = dig(rule, "actions", "appSignOn", "verificationMethod", "constraints") or []
    return bool(constraints) and all(
        isinstance(c, Mapping) and dig(c, "possession", "phishingResistant") == "REQUIRED"
        for c in constraints
    )


class AdminConsolePhishingResistant(ControlCheck):
    check_id = "admin-console-phishing-resistant"
    title = "The Admin Console requires a phishing-resistant factor wherever it lets admins in"
    severity = "medium"
    stig = (Stig("V-273191", "OKTA-APP-000190"),)
    fix = (
        "okta.admin_console.phishing_resistant: true (egress-guard's rule), and 'Phishing "
        "resistant' possession constraints on every other Admin Console rule admins can reach."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        console = context.live.app("admin_console")
        if console is None or console.app is None:
            return self.unknown("the Okta Admin Console app was not found")
        evidence = []
        for found in console_rules(context):
            ok = phishing_resistant(context.app_rule(console, found.rule_id))
            detail = "phishing-resistant required" if ok else "no phishing-resistant constraint"
            evidence.append(
                Evidence(
                    found.subject,
                    "pass" if ok else "fail",
                    f"{detail}; {found.who()}",
                    found.rule_id,
                )
            )
        if not evidence:
            return self.unknown(NOBODY)
        return self.result(evidence)
