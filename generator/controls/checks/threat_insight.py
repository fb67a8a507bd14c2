"""threatinsight: ThreatInsight blocks (or at least audits, as configured) suspicious IPs, and
only egress-guard's trusted zones are excluded from it."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Evidence
from generator.controls.context import ControlContext
from generator.controls.reads import Unavailable

RANK = {"none": 0, "audit": 1, "block": 2}
SUBJECT = "ThreatInsight"


class ThreatInsight(ControlCheck):
    check_id = "threatinsight"
    title = "ThreatInsight blocks suspicious IPs; only trusted zones are excluded"
    severity = "medium"
    fix = (
        "Security > General > Okta ThreatInsight settings: 'Log and enforce security based on "
        "threat level', excluding only the trusted egress zones (POST "
        "/api/v1/threats/configuration {action: block, excludeZones: [trusted zone ids]})."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        config = context.data.threat_insight
        if isinstance(config, Unavailable):
            return self.unknown(f"ThreatInsight not readable: {config.reason}")
        wanted = context.state.controls.threat_action
        action = str(config.get("action") or "none")
        ok = RANK.get(action, 0) >= RANK[wanted]
        evidence = [
            Evidence(
                f"{SUBJECT} action",
                "pass" if ok else "fail",
                f"{action!r}" + ("" if ok else f", weaker than {wanted!r}"),
            )
        ]
        trusted = context.trusted_zone_ids
        for zone_id in sorted(str(z) for z in config.get("excludeZones") or ()):
            name = context.zone_name(zone_id)
            if zone_id in trusted:
                evidence.append(
                    Evidence(f"excluded zone {name!r}", "pass", "a trusted egress zone", zone_id)
                )
            else:
                evidence.append(
                    Evidence(
                        f"excluded zone {name!r}",
                        "fail",
                        "not one of egress-guard's trusted zones: its addresses bypass "
                        "ThreatInsight",
                        zone_id,
                    )
                )
        return self.result(evidence)
