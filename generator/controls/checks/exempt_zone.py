"""exempt-zone: DefaultExemptIpZone holds no address beyond controls.exempt_zone.allowed.

Its gateways "always have access to Okta resources", bypassing ThreatInsight, the blocklist
zones and admin session binding (IP and ASN) (Okta: about the IP exempt zone; support article
"DefaultExemptIpZone feature vs ThreatInsight Exclude IP Zones"). A shared SSE range there
(Netskope NewEdge) exempts every customer of that SSE.
"""

from __future__ import annotations

import netaddr

from generator.controls.base import ControlCheck, ControlResult, Evidence
from generator.controls.context import ControlContext
from generator.okta.platform import EXEMPT_ZONE, ZoneEntryError, zone_entry_range


def _exempt_zones(context: ControlContext) -> list[dict[str, object]]:
    return [
        dict(z)
        for z in context.live.zones
        if z.get("name") == EXEMPT_ZONE or z.get("useAsExemptList") is True
    ]


class ExemptZone(ControlCheck):
    check_id = "exempt-zone"
    title = "DefaultExemptIpZone holds only the allowed addresses (it bypasses session binding)"
    severity = "high"
    fix = (
        "Security > Networks > DefaultExemptIpZone: remove every address that is not a dedicated "
        "egress IP you control (never shared SSE ranges such as Netskope NewEdge); list the "
        "intended ones in controls.exempt_zone.allowed."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        zones = _exempt_zones(context)
        if not zones:
            return self.result([Evidence(EXEMPT_ZONE, "pass", "no exempt zone in this org")])
        allowed = netaddr.IPSet(context.state.controls.exempt_allowed)
        shared = netaddr.IPSet(
            cidr
            for zone in context.state.zones
            if zone.group == "netskope-shared"
            for cidr in zone.gateways
        )
        evidence: list[Evidence] = []
        for zone in zones:
            subject, zone_id = f"zone {str(zone.get('name'))!r}", str(zone.get("id"))
            entries = zone.get("gateways") or []
            if zone.get("status") != "ACTIVE" or not entries:
                evidence.append(Evidence(subject, "pass", "empty or inactive", zone_id))
                continue
            for entry in entries if isinstance(entries, list) else ():
                evidence.append(self._entry(subject, zone_id, entry, allowed, shared))
        return self.result(evidence)

    @staticmethod
    def _entry(
        subject: str, zone_id: str, entry: object, allowed: netaddr.IPSet, shared: netaddr.IPSet
    ) -> Evidence:
        value = entry.get("value") if isinstance(entry, dict) else entry
        try:
            span = netaddr.IPSet(zone_entry_range(entry))
        except ZoneEntryError:
            return Evidence(subject, "fail", f"{value}: unreadable entry", zone_id)
        if span & shared:
            return Evidence(
                subject,
                "fail",
                f"{value}: a shared Netskope NewEdge range: everyone on NewEdge bypasses "
                "session binding, ThreatInsight and the blocklists",
                zone_id,
            )
        if span.issubset(allowed):
            return Evidence(subject, "pass", f"{value}: allowed (controls.exempt_zone)", zone_id)
        return Evidence(
            subject,
            "fail",
            f"{value}: not in controls.exempt_zone.allowed; bypasses session binding, "
            "ThreatInsight and the blocklists",
            zone_id,
        )
