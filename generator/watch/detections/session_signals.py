"""SES-002: Okta itself says a session was hijacked or roamed.

Okta's own signals of a stolen session: `security.session.detect_client_roaming` (admin
session binding: the session's network changed, Okta revoked or challenged it), a risk verdict
naming session hijacking (`securityContext.risk.detectionName` "Suspected Session Hijacking",
as in the spec's ListLogsWithAdditionalSecurityContext example), and Identity Threat
Protection's `user.risk.detect` with "Associated sessionId is suspected to be hijacked".
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, user_responses

ROAMING = "security.session.detect_client_roaming"


class OktaSessionSignals(Detection):
    info = DetectionInfo(
        id="SES-002",
        category="session_replay",
        title="Okta detected session roaming or hijacking",
        severity="high",
        proves="Okta's own session binding or risk engine concluded that a session moved to "
        "another network or was hijacked.",
        false_positives=(
            "VPN or proxy agents changing the session's network mid-session (session binding "
            "on AS number).",
            "Risk verdicts on users travelling with an unusual device.",
        ),
        event_types=None,
        references=(
            "Okta event types: security.session.detect_client_roaming, user.risk.detect",
            "Okta customer-detections: user_denied_access_due_to_session_binding, "
            "itp_suspected_session_hijacking",
        ),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        roaming = event.get("eventType") == ROAMING
        if not roaming and not (ev.has_risk(event) and "hijack" in ev.detection_names(event)):
            return ()
        actor = ev.actor(event)
        who = ev.actor_name(event)
        why = "roaming session detected" if roaming else "risk verdict: session hijacking"
        return (
            self.alert(
                event,
                f"Okta flagged the session of {who}",
                f"Okta reports {why} for {who} from {ev.client_ip(event) or 'an unknown address'}.",
                evidence=(
                    ("event_type", str(event.get("eventType"))),
                    ("signal", why),
                    ("risk", ev.detection_names(event)),
                ),
                responses=user_responses(actor),
            ),
        )
