"""The controls section of the text drift report: failures and unknowns with their evidence
and fix, passes one line each."""

from __future__ import annotations

from generator.controls.base import ControlResult
from generator.drift.findings import DriftReport
from generator.report.markdown_safe import one_line

MARK = {"pass": "PASS", "fail": "FAIL", "unknown": "UNKNOWN"}


def stig_text(control: ControlResult) -> str:
    return f" [{', '.join(s.vuln_id for s in control.stig)}]" if control.stig else ""


def summary(report: DriftReport) -> str:
    counts = report.control_counts()
    accepted = f" ({counts['accepted']} accepted)" if counts["accepted"] else ""
    return f"{counts['pass']} pass, {counts['fail']} fail{accepted}, {counts['unknown']} unknown"


def _control(control: ControlResult) -> list[str]:
    mark = MARK[control.status] + (" (accepted)" if control.accepted else "")
    head = f"  {mark:<16}{control.check_id}{stig_text(control)} {control.severity}: "
    lines = [head + control.title]
    if control.status == "pass":
        return lines
    if control.reason:
        lines.append(f"      reason: {one_line(control.reason)}")
    for evidence in control.evidence:
        if evidence.status == "pass":
            continue
        note = f" (accepted: {one_line(evidence.accepted)})" if evidence.accepted else ""
        what = f"{one_line(evidence.subject)}: {one_line(evidence.detail)}"
        lines.append(f"      {evidence.status}: {what}{note}")
    if control.status == "fail":
        lines.append(f"      fix: {control.fix}")
    return lines


def render(report: DriftReport) -> list[str]:
    if not report.controls:
        return []
    lines = ["", f"CONTROLS ({summary(report)})"]
    order = {"fail": 0, "unknown": 1, "pass": 2}
    for control in sorted(report.controls, key=lambda c: (order[c.status], c.accepted)):
        lines += _control(control)
    return lines
