"""The `controls` section of the JSON drift report, and back."""

from __future__ import annotations

from typing import Any

from generator.controls.base import ControlResult, Evidence, Stig


def control_dict(control: ControlResult) -> dict[str, Any]:
    return {
        "id": control.check_id,
        "title": control.title,
        "severity": control.severity,
        "stig": [{"vuln_id": s.vuln_id, "stig_id": s.stig_id} for s in control.stig],
        "status": control.status,
        "accepted": control.accepted,
        "reason": control.reason,
        "fix": control.fix,
        "evidence": [
            {
                "subject": e.subject,
                "status": e.status,
                "detail": e.detail,
                "id": e.object_id,
                "accepted": e.accepted,
            }
            for e in control.evidence
        ],
    }


def parse_control(raw: dict[str, Any]) -> ControlResult:
    return ControlResult(
        check_id=raw["id"],
        title=raw["title"],
        severity=raw["severity"],
        stig=tuple(Stig(s["vuln_id"], s["stig_id"]) for s in raw["stig"]),
        status=raw["status"],
        evidence=tuple(
            Evidence(e["subject"], e["status"], e["detail"], e["id"], e["accepted"])
            for e in raw["evidence"]
        ),
        fix=raw["fix"],
        reason=raw["reason"],
    )
