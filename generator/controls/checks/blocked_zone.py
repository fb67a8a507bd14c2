"""blocked-zone: no active IP blocklist zone (BlockedIpZone or another) holds a trusted egress
address or an operator range (which would refuse them before any policy), unless
DefaultExemptIpZone exempts it."""

from __future__ import annotations

import netaddr

from generator.controls.base import ControlCheck, ControlResult, Evidence
from generator.controls.checks.common import names
from generator.controls.context import ControlContext
from generator.okta.platform import EXEMPT_ZONE, zone_entries


class BlockedZone(ControlCheck):
    check_id = "blocked-zone"
    title = "No blocklist zone blocks the trusted egress or an operator range"
    severity = "high"
    fix = (
        "Security > Networks > the blocklist zone: remove the trusted egress / operator "
        "addresses (a blocklist refuses them before any policy, break-glass accounts included)."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        ours = netaddr.IPSet(context.state.trusted_gateways) | netaddr.IPSet(
            context.state.operator_ips
        )
        exempt = netaddr.IPSet()
        for zone in context.live.zones:
            if zone.get("name") == EXEMPT_ZONE and zone.get("status") == "ACTIVE":
                exempt |= zone_entries(zone.get("gateways"))[0]
        evidence = []
        for zone in context.live.zones:
            if zone.get("type") != "IP" or zone.get("usage") != "BLOCKLIST":
                continue
            subject, zone_id = f"zone {str(zone.get('name'))!r}", str(zone.get("id"))
            addresses, _ = zone_entries(zone.get("gateways"))
            if zone.get("status") != "ACTIVE":
                evidence.append(Evidence(subject, "pass", "inactive", zone_id))
                continue
            hit = (addresses & ours) - exempt
            if hit:
                shown = names(str(c) for c in hit.iter_cidrs())
                evidence.append(
                    Evidence(
                        subject, "fail", f"blocks trusted/operator addresses: {shown}", zone_id
                    )
                )
            else:
                count = len(zone.get("gateways") or ())
                evidence.append(
                    Evidence(subject, "pass", f"{count} entries, none trusted", zone_id)
                )
        return self.result(evidence)
