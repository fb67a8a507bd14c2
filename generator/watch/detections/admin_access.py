"""ADM-001: the Okta Admin Console reached from outside the trusted ranges.

The Admin Console is reached through its sign-on policy evaluation (`policy.evaluate_sign_on`
naming the "Okta Admin Console" app), single sign-on to it (`user.authentication.sso`) and
Okta's own `user.session.access_admin_app`. From an address outside the config's trusted egress
set that is exactly what the product exists to prevent: a stolen admin session (the 2023 breach)
or an admin working around the egress controls. Any outcome counts: a DENY or CHALLENGE is an
attempt, an ALLOW or SUCCESS is access (critical). Okta's examples also put the Admin Console
app on `user.session.start` targets: that is a sign-in, not Admin Console access, and is not
matched. An address Okta could not record as an IP (e.g. "redacted") proves nothing and is not
matched either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, user_responses

ACCESS_EVENTS = frozenset(
    {"policy.evaluate_sign_on", "user.authentication.sso", "user.session.access_admin_app"}
)
GRANTED = frozenset({"ALLOW", "SUCCESS"})
VERDICTS_KEPT = 65_536  # addresses whose trusted/untrusted verdict is remembered


class AdminConsoleFromUntrustedNetwork(Detection):
    info = DetectionInfo(
        id="ADM-001",
        category="admin_access_untrusted_ip",
        title="Admin Console reached from outside the trusted ranges",
        severity="high",
        proves="An Okta admin session, or an attempt to open the Admin Console, came from an "
        "address outside the trusted egress ranges: a replayed session token or an admin "
        "bypassing the egress controls.",
        false_positives=(
            "An admin on a new corporate or VPN egress address not yet in the config "
            "(add it to the egress sources or watch.trusted_extra).",
            "Okta-internal requests on behalf of an admin (client.id of the Admin Console, "
            "user agent Okta-Integrations).",
            "A break-glass sign-in during an emergency (expected: review, do not suppress).",
        ),
        event_types=ACCESS_EVENTS,
        references=(
            "Okta event types: policy.evaluate_sign_on, user.session.access_admin_app",
            "Sigma okta_new_behaviours_admin_console; Panther "
            "Okta.New.Behavior.Accessing.Admin.Console",
        ),
    )

    def __init__(self, context: Any, parameters: Any = None) -> None:
        super().__init__(context, parameters)
        self._verdicts: dict[str, bool | None] = {}

    def _outside(self, address: str) -> bool:
        verdict = self._verdicts.get(address, ...)
        if verdict is ...:
            if len(self._verdicts) >= VERDICTS_KEPT:
                self._verdicts.clear()
            verdict = self._verdicts[address] = self.context.trusted.contains(address)
        return verdict is False

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        event_type = event.get("eventType")
        if event_type != "user.session.access_admin_app" and not ev.targets_admin_console(event):
            return ()
        address = ev.client_ip(event)
        if not self._outside(address):
            return ()
        outcome = ev.result(event) or "UNKNOWN"
        granted = outcome in GRANTED
        actor = ev.actor(event)
        who = ev.actor_name(event)
        verb = "reached" if granted else "tried to reach"
        return (
            self.alert(
                event,
                f"Admin Console {'access' if granted else 'attempt'} from untrusted {address}",
                f"{who} {verb} the Okta Admin Console from {address}, outside the trusted "
                f"ranges ({event_type}, outcome {outcome}).",
                severity="critical" if granted else "high",
                evidence=(
                    ("event_type", str(event_type)),
                    ("outcome", outcome),
                    ("client_ip", address),
                    ("as_org", ev.text(event, "securityContext", "asOrg")),
                    ("country", ev.text(event, "client", "geographicalContext", "country")),
                ),
                responses=user_responses(actor),
            ),
        )
