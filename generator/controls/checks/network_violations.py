"""network-violations: no API token or OAuth client was used from outside its allowed zones
(System Log `system.api_token.request_outside_allowed_range` and
`system.oauth2.token.request_outside_allowed_range`, since Okta 2025.06.2)."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Evidence
from generator.controls.context import ControlContext
from generator.controls.reads import OAUTH_RANGE_EVENT, TOKEN_RANGE_EVENT, Unavailable
from generator.okta.snapshot import JsonObject

SHOWN = 10


def _evidence(event: JsonObject) -> Evidence:
    targets = event.get("target") or [{}]
    target = targets[0] if targets else {}
    what = "API token" if event.get("eventType") == TOKEN_RANGE_EVENT else "OAuth client"
    name = target.get("displayName") or target.get("alternateId") or target.get("id") or "?"
    ip = (event.get("client") or {}).get("ipAddress") or "an unknown address"
    return Evidence(
        f"{what} {str(name)!r}",
        "fail",
        f"{event.get('published')}: used from {ip}, outside its allowed zones "
        f"({event.get('eventType')})",
        target.get("id"),
    )


class NetworkViolations(ControlCheck):
    check_id = "network-violations"
    title = "No API token or OAuth client was used from outside its allowed zones"
    severity = "high"
    fix = (
        "Treat each event as a possibly stolen credential: find who called from that address, "
        "revoke or rotate the token (or the client's keys), and check the System Log for what "
        "else it did."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        events = context.data.events
        if isinstance(events, Unavailable):
            return self.unknown(f"System Log not read: {events.reason}")
        kinds = (TOKEN_RANGE_EVENT, OAUTH_RANGE_EVENT)
        hits = [e for e in events if e.get("eventType") in kinds]
        days = context.data.log_days
        if not hits:
            return self.result(
                [Evidence("System Log", "pass", f"no such event in the last {days} day(s)")]
            )
        evidence = [_evidence(event) for event in hits[:SHOWN]]
        if len(hits) > SHOWN:
            evidence.append(
                Evidence("System Log", "fail", f"{len(hits) - SHOWN} more in {days} day(s)")
            )
        return self.result(evidence)
