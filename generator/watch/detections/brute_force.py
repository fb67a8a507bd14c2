"""BF-001: failed sign-ins, and brute force or password spraying by threshold.

Every failed sign-in is recorded (severity info): `user.session.start` with outcome FAILURE
(whatever the reason, also none), `user.authentication.*` FAILURE for a bad credential
(INVALID_CREDENTIALS, LOCKED_OUT, VERIFICATION_ERROR; not push denials, see BF-002, and not
FastPass declining a phishing site) and account lockouts (`user.account.lock`,
`user.account.lock.limit`). Failure is read from `outcome.result` only: a SUCCESS that carries
a reason such as VERIFICATION_ERROR is a success. An alert is raised when one user reaches
`failures_per_user` failures within `user_window_minutes` (medium), when one address reaches
`failures_per_ip` within `ip_window_minutes` (high: spraying or stuffing), and when a user who
just crossed the threshold then signs in successfully (high: the guess worked). The user of a
failed sign-in for an unknown account is what was typed (possibly a password, Sigma warns), so
it is shown masked.
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
from generator.watch.windows import SlidingCounts

BAD_CREDENTIAL = frozenset({"INVALID_CREDENTIALS", "LOCKED_OUT", "VERIFICATION_ERROR"})
LOCKOUTS = frozenset({"user.account.lock", "user.account.lock.limit"})
AUTHENTICATION = frozenset(
    {
        "user.authentication.auth_via_mfa",
        "user.authentication.verify",
        "user.authentication.sso",
        "user.authentication.auth",
        "user.authentication.auth_via_richclient",
    }
)


@dataclass(frozen=True)
class Parameters:
    failures_per_user: int = 5
    user_window_minutes: int = 15
    failures_per_ip: int = 20
    ip_window_minutes: int = 60
    max_keys: int = 100_000


def is_push_denial(event: ev.LogEvent) -> bool:
    data = ev.debug_data(event)
    if data.get("pushOnlyResponseType") == "OV_RESPONSE_DENY":
        return True
    if data.get("pushWithNumberChallengeResponseType") == "OV_WITH_CHALLENGE_RESPONSE_INVALID":
        return True
    factor = str(data.get("factor") or "")
    return factor == "OKTA_VERIFY_PUSH" and ev.result(event) == "FAILURE"


def masked(login: str) -> str:
    """What someone typed as a user name, shown without giving it away."""
    name, at, domain = login.partition("@")
    return (name[:2] + "…" + (at + domain if at else "")) if login else "?"


class FailedSignIns(CorrelationDetection):
    Parameters = Parameters
    info = DetectionInfo(
        id="BF-001",
        category="brute_force_or_push_fatigue",
        title="Failed sign-ins (brute force and password spraying by threshold)",
        severity="info",
        proves="Sign-in attempts with wrong credentials; past the thresholds, someone is "
        "guessing passwords for a user or spraying them from one address.",
        false_positives=(
            "Typos, expired passwords, a device retrying an old password.",
            "Many users behind one NAT or VPN address (the per-address threshold).",
        ),
        event_types=frozenset({"user.session.start"}) | AUTHENTICATION | LOCKOUTS,
        references=(
            "Panther Standard.BruteForceByUser/ByIP (20 in 60 min), Okta.BruteForceLogins "
            "(5 in 15 min)",
            "Elastic okta_brute_force_*, password_spray_*",
        ),
    )

    def __init__(self, context: Any, parameters: Any = None) -> None:
        super().__init__(context, parameters)
        self.by_user = SlidingCounts(self.params.user_window_minutes * 60_000, self.params.max_keys)
        self.by_ip = SlidingCounts(self.params.ip_window_minutes * 60_000, self.params.max_keys)

    def _failed(self, event: ev.LogEvent) -> bool:
        event_type = event.get("eventType")
        if event_type in LOCKOUTS:
            return True
        if ev.result(event) != "FAILURE":
            return False
        if event_type == "user.session.start":
            return True
        return ev.reason(event).upper() in BAD_CREDENTIAL and not is_push_denial(event)

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        actor = ev.actor(event)
        login = str(actor.get("alternateId") or actor.get("id") or "")
        unknown = str(actor.get("id") or "") == "unknown"
        shown = masked(login) if unknown else login or "?"
        moment = ev.published_ms(event) or 0
        user_key = login.lower()
        if not self._failed(event):
            if (
                event.get("eventType") == "user.session.start"
                and ev.result(event) == "SUCCESS"
                and user_key
                and self.by_user.count(user_key, moment) >= self.params.failures_per_user
            ):
                self.by_user.clear(user_key)
                return (
                    self.alert(
                        event,
                        f"Sign-in succeeded after repeated failures: {shown}",
                        f"{shown} signed in from {ev.client_ip(event) or '?'} after at least "
                        f"{self.params.failures_per_user} failed attempts: the guess may have "
                        "worked.",
                        severity="high",
                        keys=(event.get("uuid") or "", "success-after-failures"),
                        correlated=True,
                        evidence=(("user", shown), ("client_ip", ev.client_ip(event))),
                        responses=user_responses(actor),
                    ),
                )
            return ()
        address = ev.client_ip(event)
        alerts = [
            self.alert(
                event,
                f"Failed sign-in: {shown}",
                f"Failed sign-in for {shown} from {address or '?'} ({event.get('eventType')}, "
                f"{ev.reason(event) or 'no reason given'}).",
                evidence=(("reason", ev.reason(event)), ("client_ip", address)),
            )
        ]
        if user_key:
            count = self.by_user.add(user_key, moment)
            if count >= self.params.failures_per_user and self.by_user.first_alert(
                user_key, moment
            ):
                alerts.append(
                    self.alert(
                        event,
                        f"Brute force against {shown}",
                        f"{count} failed sign-ins for {shown} within "
                        f"{self.params.user_window_minutes} minutes (last from {address or '?'}).",
                        severity="medium",
                        keys=(user_key, str(moment), "user-threshold"),
                        correlated=True,
                        evidence=(("user", shown), ("failures", str(count))),
                        responses=() if unknown else user_responses(actor),
                    )
                )
        if address:
            count = self.by_ip.add(address, moment)
            if count >= self.params.failures_per_ip and self.by_ip.first_alert(address, moment):
                alerts.append(
                    self.alert(
                        event,
                        f"Password spraying from {address}",
                        f"{count} failed sign-ins from {address} within "
                        f"{self.params.ip_window_minutes} minutes.",
                        severity="high",
                        keys=(address, str(moment), "ip-threshold"),
                        correlated=True,
                        evidence=(("client_ip", address), ("failures", str(count))),
                    )
                )
        return alerts

    def expire(self, now_ms: int) -> None:
        self.by_user.expire(now_ms)
        self.by_ip.expire(now_ms)

    def export_state(self) -> Any:
        return {"user": self.by_user.export(), "ip": self.by_ip.export()}

    def import_state(self, data: Any) -> None:
        if isinstance(data, dict):
            self.by_user.restore(data.get("user"))
            self.by_ip.restore(data.get("ip"))
