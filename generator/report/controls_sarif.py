"""Controls in the SARIF drift report: one rule per control check
(`egress-guard/control/<check id>`, with its STIG ids and fix as help), one result per failed
control (level by severity; accepted failures carry an external suppression with the reason)
and per unknown one (level note, kind `review`: someone has to look). Passing controls have no
result, so code scanning closes their alerts."""

from __future__ import annotations

import hashlib
from typing import Any

from generator.controls.base import ControlResult
from generator.drift.findings import DriftReport
from generator.report.markdown_safe import sarif_text

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.0", "low": "2.0"}


def rule_id(control: ControlResult) -> str:
    return f"egress-guard/control/{control.check_id}"


def rules(report: DriftReport) -> list[dict[str, Any]]:
    out = []
    for control in report.controls:
        if control.status == "pass":
            continue
        stig = [f"{s.vuln_id} ({s.stig_id})" for s in control.stig]
        out.append(
            {
                "id": rule_id(control),
                "name": control.check_id,
                "shortDescription": {"text": control.title},
                "fullDescription": {
                    "text": control.title + (f" (DISA Okta STIG {', '.join(stig)})" if stig else "")
                },
                "help": {"text": control.fix},
                "defaultConfiguration": {"level": LEVEL[control.severity]},
                "properties": {
                    "tags": ["security", "okta", "control", *(s.vuln_id for s in control.stig)],
                    "security-severity": SECURITY_SEVERITY[control.severity],
                },
            }
        )
    return out


def _text(control: ControlResult) -> str:
    lines = [control.title]
    if control.reason:
        lines.append(sarif_text(control.reason))
    for e in control.evidence:
        if e.status == "pass":
            continue
        note = f" (accepted: {sarif_text(e.accepted)})" if e.accepted else ""
        lines.append(f"{e.status}: {sarif_text(e.subject)}: {sarif_text(e.detail)}{note}")
    if control.status == "fail":
        lines.append(f"fix: {control.fix}")
    return "\n".join(lines)


def results(report: DriftReport, config_uri: str) -> list[dict[str, Any]]:
    out = []
    for control in report.controls:
        if control.status == "pass":
            continue
        failed = control.status == "fail"
        identity = f"{rule_id(control)}|{report.org_url}"
        result: dict[str, Any] = {
            "ruleId": rule_id(control),
            "kind": "fail" if failed else "review",
            "level": LEVEL[control.severity] if failed else "note",
            "message": {"text": _text(control)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": config_uri},
                        "region": {"startLine": 1},
                    }
                }
            ],
            "partialFingerprints": {
                "egressGuardObject/v1": hashlib.sha256(identity.encode()).hexdigest()
            },
            "properties": {
                "severity": control.severity,
                "class": "control",
                "status": control.status,
                "stig": [s.vuln_id for s in control.stig],
            },
        }
        if control.accepted:
            reasons = sorted({e.accepted for e in control.evidence if e.accepted})
            result["suppressions"] = [{"kind": "external", "justification": "; ".join(reasons)}]
        out.append(result)
    return out
