"""admin-console-phishing-resistant (STIG V-273191): every Admin Console rule that lets admins in
requires a phishing-resistant possession factor (`possession.phishingResistant: REQUIRED` in
every alternative of its constraints)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.controls.base import ControlCheck, ControlResult, Stig
from generator.controls.checks.common import dig, judge_console_rules
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
        return judge_console_rules(self, context, _judged)


def _judged(rule: Any) -> tuple[bool, str]:
    ok = phishing_resistant(rule)
    return ok, "phishing-resistant required" if ok else "no phishing-resistant constraint"
