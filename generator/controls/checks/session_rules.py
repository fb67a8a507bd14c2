"""The Global Session Policy checks: each looks at every sign-on rule that lets admin-group
members sign in, from any address (the simulator over the live policies), and judges one
setting of it. In enforce mode that is egress-guard's allow rule; in monitor mode, or when
something above it lets admins in, the other rules too.

- session-policy-network (STIG V-279691): the rule has a network-zone condition;
- session-idle (STIG V-273186): idle time at most 15 minutes;
- session-lifetime (STIG V-273203): lifetime at most 18 hours (0, unlimited, fails);
- session-persistent-cookie (STIG V-273206): no persistent session cookie;
- session-mfa: MFA required.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from generator.controls.base import ControlCheck, ControlResult, Evidence, Status
from generator.controls.checks.common import LettingIn, dig, sign_in_rules
from generator.controls.context import ControlContext

MAX_IDLE = 15
MAX_LIFETIME = 18 * 60
API_DEFAULT_IDLE = 120  # Okta's default when the rule does not say (spec: maxSessionIdleMinutes)


class SessionRuleCheck(ControlCheck):
    """A check of one setting on every sign-on rule that lets admins in."""

    @abstractmethod
    def judge(self, rule: Any) -> tuple[Status, str]:
        """(status, detail) of the raw rule JSON."""

    def evaluate(self, context: ControlContext) -> ControlResult:
        evidence = [self._one(context, found) for found in sign_in_rules(context)]
        if not evidence:
            return self.unknown("no sign-on rule lets admin-group members sign in")
        return self.result(evidence)

    def _one(self, context: ControlContext, found: LettingIn) -> Evidence:
        rule = context.sign_on_rules_by_id.get(found.rule_id or "")
        if rule is None:
            return Evidence(found.subject, "unknown", "rule not read", found.rule_id)
        status, detail = self.judge(rule)
        return Evidence(found.subject, status, f"{detail}; {found.who()}", found.rule_id)


def session_value(rule: Any, name: str) -> Any:
    return dig(rule, "actions", "signon", "session", name)
