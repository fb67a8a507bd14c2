"""SUS-001: ThreatInsight, risk and user reports of suspicious activity.

Okta's own verdicts: `security.threat.detected` (ThreatInsight saw a request from an IP it
considers malicious; the actor is the IP; outcome ALLOW in log mode, DENY when blocked),
`security.attack.start` (the org is under attack), a user reporting activity they did not
do (`user.account.report_suspicious_activity_by_enduser`), a breached credential used
(`security.breached_credential.detected`), any event Okta scored HIGH risk
(`securityContext.risk.level`, `debugData.risk`, `logOnlySecurityData`), and any request
ThreatInsight marked `debugData.threatSuspected: "true"`. LOW and MEDIUM risk are not matched.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, Severity, user_responses

VERDICT_EVENTS = {
    "security.threat.detected": "ThreatInsight flagged the request",
    "security.attack.start": "ThreatInsight detected an attack on the org",
    "user.account.report_suspicious_activity_by_enduser": "the user reported suspicious activity",
    "security.breached_credential.detected": "a breached credential was used",
}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class SuspiciousActivity(Detection):
    info = DetectionInfo(
        id="SUS-001",
        category="suspicious_activity",
        title="ThreatInsight, high risk or a user's report",
        severity="high",
        proves="Okta's threat intelligence or risk engine, or the user themselves, flagged "
        "the activity as malicious.",
        false_positives=(
            "Corporate VPN or proxy addresses shared with abusive traffic.",
            "Automation hammering the sign-in endpoint (ThreatInsight counts failures).",
            "A user reporting their own forgotten activity.",
        ),
        event_types=None,
        references=(
            "Sigma okta_security_threat_detected, okta_suspicious_activity_enduser_report",
            "Okta help: ThreatInsight System Log events",
        ),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        event_type = str(event.get("eventType"))
        data = ev.debug_data(event)
        reasons = []
        severity: Severity = "high"
        if event_type in VERDICT_EVENTS:
            reasons.append(VERDICT_EVENTS[event_type])
            if event_type == "security.threat.detected" and ev.result(event) == "DENY":
                severity = "medium"  # already blocked
        if ev.has_risk(event) and "HIGH" in ev.risk_levels(event):
            reasons.append("Okta scored the risk HIGH")
        if ev.is_true(data.get("threatSuspected")):
            reasons.append("ThreatInsight suspects the request")
            if len(reasons) == 1:
                severity = "low"  # a suspicion on one request: context for other alerts
        if not reasons:
            return ()
        actor = ev.actor(event)
        who = ev.actor_name(event)
        if str(actor.get("type") or "") == "IP address":
            who = ev.client_ip(event) or str(actor.get("id") or "unknown")
        detail = ev.reason(event)
        return (
            self.alert(
                event,
                f"Suspicious activity: {reasons[0]}",
                f"{_sentence('; '.join(reasons))} ({event_type}, {who}"
                f"{f', {detail}' if detail else ''}).",
                severity=severity,
                evidence=(
                    ("event_type", event_type),
                    ("reasons", "; ".join(reasons)),
                    ("outcome", ev.result(event)),
                    ("detail", detail),
                    ("threat_detections", str(data.get("threatDetections") or "")),
                ),
                responses=user_responses(actor),
            ),
        )
