"""The controls section of the Markdown drift report (a GitHub issue body): a table of every
control, then the evidence and fix of each failure and unknown."""

from __future__ import annotations

from generator.controls.base import ControlResult
from generator.drift.findings import DriftReport
from generator.report.controls_text import summary
from generator.report.markdown_safe import md_code, md_text

ICON = {"pass": "✅", "fail": "❌", "unknown": "❔"}


def _stig(control: ControlResult) -> str:
    return ", ".join(f"{s.vuln_id} ({s.stig_id})" for s in control.stig) or "—"


def _status(control: ControlResult) -> str:
    return f"{ICON[control.status]} {control.status}" + (" (accepted)" if control.accepted else "")


def _details(control: ControlResult) -> list[str]:
    lines = [
        f"#### {ICON[control.status]} {md_code(control.check_id)}: {md_text(control.title)}",
        "",
    ]
    if control.reason:
        lines += [md_text(control.reason), ""]
    shown = [e for e in control.evidence if e.status != "pass"]
    if shown:
        lines += ["| status | subject | evidence |", "|---|---|---|"]
        for e in shown:
            note = f" (accepted: {md_text(e.accepted)})" if e.accepted else ""
            lines.append(f"| {e.status} | {md_text(e.subject)} | {md_text(e.detail)}{note} |")
        lines.append("")
    if control.status == "fail":
        lines += [f"**Fix:** {md_text(control.fix)}", ""]
    return lines


def render(report: DriftReport) -> list[str]:
    if not report.controls:
        return []
    lines = [
        f"### Controls ({summary(report)})",
        "",
        "| status | check | STIG | severity | control |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {_status(c)} | {md_code(c.check_id, table=True)} | {_stig(c)} | {c.severity} "
        f"| {md_text(c.title)} |"
        for c in report.controls
    ]
    lines.append("")
    for control in report.controls:
        if control.status != "pass":
            lines += _details(control)
    return lines
