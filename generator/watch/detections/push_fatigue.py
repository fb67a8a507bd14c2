"""BF-002: Okta Verify push denials and MFA fatigue (push bombing) by threshold.

A denied push (Classic `user.mfa.okta_verify.deny_push`; Identity Engine
`user.authentication.auth_via_mfa` FAILURE with `pushOnlyResponseType: OV_RESPONSE_DENY`, a
wrong number challenge, or factor OKTA_VERIFY_PUSH with INVALID_CREDENTIALS) is recorded
(severity info). Alerts: `denials` denials for one user within `window_minutes` (high: someone
holding the password is bombing the user with pushes), an approved push after at least
`approval_after` denials in the window (critical: the user gave in), and more than
`pushes_sent` pushes sent to one user in the window (`system.push.send_factor_verify_push`;
medium). A lone push sent is normal MFA and records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.watch import event as ev
from generator.watch.detection import (
    Alert,
    CorrelationDetection,
    DetectionInfo,
    user_responses,
)
from generator.watch.detections.brute_force import is_push_denial
from generator.watch.windows import SlidingCounts

PUSH_SENT = "system.push.send_factor_verify_push"
DENY_PUSH = "user.mfa.okta_verify.deny_push"
VERIFY = "user.authentication.auth_via_mfa"


@dataclass(frozen=True)
class Parameters:
    denials: int = 5
    approval_after: int = 3
    pushes_sent: int = 20
    window_minutes: int = 10
    max_keys: int = 100_000


class PushFatigue(CorrelationDetection):
    Parameters = Parameters
    info = DetectionInfo(
        id="BF-002",
        category="brute_force_or_push_fatigue",
        title="Push denials and MFA fatigue",
        severity="info",
        proves="A user rejected Okta Verify pushes; past the thresholds, someone with the "
        "password is bombing them with pushes, and an approval after the denials means they "
        "got in.",
        false_positives=(
            "A user tapping the wrong button, or several enrolled devices (one push each).",
            "A misbehaving client retrying a sign-in.",
        ),
        event_types=frozenset({PUSH_SENT, DENY_PUSH, VERIFY}),
        references=(
            "Elastic okta_mfa_bombing_via_push_notifications (5 denials in 10 min)",
            "Okta customer-detections: hunt_rejected_MFA_pushes",
        ),
    )

    def __init__(self, context: Any, parameters: Any = None) -> None:
        super().__init__(context, parameters)
        window = self.params.window_minutes * 60_000
        self.denied = SlidingCounts(window, self.params.max_keys)
        self.sent = SlidingCounts(window, self.params.max_keys)

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        event_type = event.get("eventType")
        actor = ev.actor(event)
        login = str(actor.get("alternateId") or actor.get("id") or "?")
        key = login.lower()
        moment = ev.published_ms(event) or 0
        if event_type == PUSH_SENT:
            count = self.sent.add(key, moment)
            if count > self.params.pushes_sent and self.sent.first_alert(key, moment):
                return (
                    self.alert(
                        event,
                        f"Push flood: {login}",
                        f"{count} Okta Verify pushes sent to {login} within "
                        f"{self.params.window_minutes} minutes.",
                        severity="medium",
                        keys=(key, str(moment), "push-flood"),
                        correlated=True,
                        evidence=(("pushes", str(count)),),
                        responses=user_responses(actor),
                    ),
                )
            return ()
        denied = event_type == DENY_PUSH or (event_type == VERIFY and is_push_denial(event))
        if not denied:
            approved = event_type == VERIFY and ev.result(event) == "SUCCESS"
            factor = str(ev.debug_data(event).get("factor") or "")
            if approved and factor in ("OKTA_VERIFY_PUSH", ""):
                count = self.denied.count(key, moment)
                if count >= self.params.approval_after:
                    self.denied.clear(key)
                    return (
                        self.alert(
                            event,
                            f"Push approved after {count} denials: {login}",
                            f"{login} approved an Okta Verify push from "
                            f"{ev.client_ip(event) or '?'} after denying {count} within "
                            f"{self.params.window_minutes} minutes: MFA fatigue succeeded.",
                            severity="critical",
                            keys=(str(event.get("uuid") or ""), "approved-after-denials"),
                            correlated=True,
                            evidence=(("denials", str(count)),),
                            responses=user_responses(actor),
                        ),
                    )
            return ()
        alerts = [
            self.alert(
                event,
                f"Push denied: {login}",
                f"{login} denied an Okta Verify push requested from {ev.client_ip(event) or '?'}.",
                evidence=(("client_ip", ev.client_ip(event)),),
            )
        ]
        count = self.denied.add(key, moment)
        if count >= self.params.denials and self.denied.first_alert(key, moment):
            alerts.append(
                self.alert(
                    event,
                    f"MFA fatigue: {count} pushes denied by {login}",
                    f"{login} denied {count} Okta Verify pushes within "
                    f"{self.params.window_minutes} minutes: someone with the password is "
                    "bombing them with pushes.",
                    severity="high",
                    keys=(key, str(moment), "denials"),
                    correlated=True,
                    evidence=(("denials", str(count)),),
                    responses=user_responses(actor),
                )
            )
        return alerts

    def expire(self, now_ms: int) -> None:
        self.denied.expire(now_ms)
        self.sent.expire(now_ms)

    def export_state(self) -> Any:
        return {"denied": self.denied.export(), "sent": self.sent.export()}

    def import_state(self, data: Any) -> None:
        if isinstance(data, dict):
            self.denied.restore(data.get("denied"))
            self.sent.restore(data.get("sent"))
