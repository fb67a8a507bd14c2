"""session-binding: evidence only. Okta binds admin sessions to the ASN they started from (GA,
on by default for the Admin Console since 2023-10-23) and, as an Early Access feature, to the
IP; neither setting is exposed by any API. The System Log's
`security.session.detect_client_roaming` events ("Roaming session detected for user") show
roaming was detected; their absence proves nothing. The status is therefore always `unknown`,
with the events as evidence. Addresses in DefaultExemptIpZone bypass the binding (see
exempt-zone)."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Evidence
from generator.controls.context import ControlContext
from generator.controls.reads import ROAMING_EVENT, Unavailable

SHOWN = 5
NO_API = (
    "Okta has no API for admin session binding (ASN binding is on by default; IP binding is EA)"
)


class SessionBinding(ControlCheck):
    check_id = "session-binding"
    title = "Admin sessions are bound to their network (evidence from the System Log only)"
    severity = "low"
    fix = (
        "Check in the Admin Console (Settings > Features) that IP-based admin session binding "
        "is on; keep DefaultExemptIpZone empty of shared ranges."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        events = context.data.events
        if isinstance(events, Unavailable):
            return self.unknown(f"{NO_API}; System Log not read: {events.reason}")
        roaming = [e for e in events if e.get("eventType") == ROAMING_EVENT]
        days = context.data.log_days
        if not roaming:
            evidence = [
                Evidence("System Log", "unknown", f"no {ROAMING_EVENT} event in {days} day(s)")
            ]
        else:
            evidence = [
                Evidence(
                    f"user {(e.get('actor') or {}).get('alternateId', '?')!r}",
                    "unknown",
                    f"{e.get('published')}: roaming session detected from "
                    f"{(e.get('client') or {}).get('ipAddress') or 'an unknown address'}",
                    (e.get("actor") or {}).get("id"),
                )
                for e in roaming[:SHOWN]
            ]
            if len(roaming) > SHOWN:
                evidence.append(Evidence("System Log", "unknown", f"{len(roaming) - SHOWN} more"))
        return self.unknown(f"{NO_API}; evidence from the System Log", evidence)
