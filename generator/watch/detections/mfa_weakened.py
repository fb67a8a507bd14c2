"""MFA-001, MFA-002, MFA-003: multi-factor authentication weakened.

MFA-001: a user's factor unenrolled, suspended or all factors reset
(`user.mfa.factor.deactivate`, `user.mfa.factor.suspend`, `user.mfa.factor.reset_all`) or an
attempt to bypass a factor (`user.mfa.attempt_bypass`). Taking over an account after
phishing a password starts by removing the victim's factor and enrolling the attacker's.
MFA-002: an authenticator or factor disabled for the whole org (`system.mfa.factor.deactivate`,
`security.authenticator.lifecycle.deactivate`).
MFA-003: a policy rule update that lowers the factor requirement (its `changeDetails` go from
`2FA` to `1FA`, or `requireFactor` from true to false).

Outcomes are not required: Okta writes some of these events with `outcome: null`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, user_responses

USER_FACTOR_EVENTS = frozenset(
    {
        "user.mfa.factor.deactivate",
        "user.mfa.factor.suspend",
        "user.mfa.factor.reset_all",
        "user.mfa.attempt_bypass",
    }
)
ORG_FACTOR_EVENTS = frozenset(
    {"system.mfa.factor.deactivate", "security.authenticator.lifecycle.deactivate"}
)
RULE_EVENTS = frozenset({"policy.rule.update"})


class UserFactorRemoved(Detection):
    info = DetectionInfo(
        id="MFA-001",
        category="mfa_weakened",
        title="A user's MFA factor removed or reset",
        severity="medium",
        proves="A user lost an enrolled factor (unenrolled, suspended or all reset), leaving "
        "the account open to enrolling a new factor: the usual step after a phished password.",
        false_positives=(
            "A user replacing a phone (self-service reset, reason 'User reset ...').",
            "Help-desk resets for a locked-out user (expected: match with the ticket).",
        ),
        event_types=USER_FACTOR_EVENTS,
        references=("Sigma okta_mfa_reset_or_deactivated", "Panther Okta.User.MFA.Reset.*"),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        event_type = str(event.get("eventType"))
        users = ev.targets_of_type(event, "User") or [ev.actor(event)]
        user = users[0]
        name = str(user.get("alternateId") or user.get("displayName") or "unknown")
        why = ev.reason(event)
        if event_type == "user.mfa.attempt_bypass":
            severity, what = "high", "attempted to bypass a factor"
        elif event_type == "user.mfa.factor.reset_all":
            severity, what = "high", "had every factor reset"
        else:
            own = why.lower().startswith("user reset")
            severity = "low" if own else "medium"
            what = "suspended a factor" if event_type.endswith("suspend") else "lost a factor"
        who = ev.actor_name(event)
        return (
            self.alert(
                event,
                f"MFA weakened for {name}",
                f"{name} {what} ({event_type} by {who}{f': {why}' if why else ''}).",
                severity=severity,  # type: ignore[arg-type]
                evidence=(("event_type", event_type), ("reason", why), ("by", who)),
                responses=user_responses(user),
            ),
        )


class OrgFactorDisabled(Detection):
    info = DetectionInfo(
        id="MFA-002",
        category="mfa_weakened",
        title="An MFA factor or authenticator disabled for the org",
        severity="high",
        proves="An admin turned off a factor or authenticator for every user of the org.",
        false_positives=("Planned retirement of a weak factor (SMS, voice) after migration.",),
        event_types=ORG_FACTOR_EVENTS,
        references=("Panther Okta.Global.MFA.Disabled",),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        names = [str(t.get("displayName") or t.get("alternateId")) for t in ev.targets(event)]
        data = ev.debug_data(event)
        factor = str(data.get("factorType") or data.get("factor") or ", ".join(names) or "?")
        return (
            self.alert(
                event,
                f"MFA factor disabled org-wide: {factor}",
                f"{ev.actor_name(event)} disabled {factor} for the whole org "
                f"({event.get('eventType')}).",
                evidence=(("event_type", str(event.get("eventType"))), ("factor", factor)),
                responses=user_responses(ev.actor(event)),
            ),
        )


def _values(node: Any, key: str) -> list[Any]:
    """Every value of `key` anywhere inside `node`."""
    found: list[Any] = []
    if isinstance(node, Mapping):
        for name, value in node.items():
            if name == key:
                found.append(value)
            found += _values(value, key)
    elif isinstance(node, list):
        for value in node:
            found += _values(value, key)
    return found


class PolicyFactorDowngrade(Detection):
    info = DetectionInfo(
        id="MFA-003",
        category="mfa_weakened",
        title="A policy rule lowered its factor requirement",
        severity="high",
        proves="A sign-on or authentication policy rule now asks for fewer factors than before "
        "(2FA to 1FA, or MFA no longer required).",
        false_positives=("A deliberate change for a low-risk app, reviewed in a pull request.",),
        event_types=RULE_EVENTS,
        references=("Okta customer-detections: authentication_policy_mfa_downgrade",),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        for target in ev.targets(event):
            change = target.get("changeDetails")
            if not isinstance(change, Mapping):
                continue
            before, after = change.get("from"), change.get("to")
            modes = (_values(before, "factorMode"), _values(after, "factorMode"))
            factors = (_values(before, "requireFactor"), _values(after, "requireFactor"))
            downgraded = ("2FA" in modes[0] and "1FA" in modes[1]) or (
                True in factors[0] and False in factors[1]
            )
            if downgraded:
                rule = str(target.get("displayName") or target.get("id"))
                return (
                    self.alert(
                        event,
                        f"Factor requirement lowered on rule {rule}",
                        f"{ev.actor_name(event)} changed rule {rule} to ask for fewer factors "
                        f"(factorMode {modes[0]} -> {modes[1]}, requireFactor {factors[0]} -> "
                        f"{factors[1]}).",
                        evidence=(("rule", rule), ("by", ev.actor_name(event))),
                    ),
                )
        return ()
