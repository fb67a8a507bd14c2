"""The controls section of the Markdown drift report (a GitHub issue body): a table of every
control, then the evidence and fix of each failure and unknown."""

from __future__ import annotations

from generator.controls.base import ControlResult
from generator.drift.findings import DriftReport
from generator.report.controls_text import summary

ICON = {"pass": "✅", "fail": "❌", "unknown": "❔"}


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _stig(control: ControlResult) -> str:
    return ", ".join(f"{s.vuln_id} ({s.stig_id})" for s in control.stig) or "—"


def _status(control: ControlResult) -> str:
    return f"{ICON[control.status]} {control.status}" + (" (accepted)" if control.accepted else "")


def _details(control: ControlResult) -> list[str]:
    lines = [f"#### {ICON[control.status]} `{control.check_id}`: {_escape(control.title)}", ""]
    if control.reason:
        lines += [f"{_escape(control.reason)}", ""]
    shown = [e for e in control.evidence if e.status != "pass"]
    if shown:
        lines += ["| status | subject | evidence |", "|---|---|---|"]
        for e in shown:
            note = f" (accepted: {_escape(e.accepted)})" if e.accepted else ""
            lines.append(f"| {e.status} | {_escape(e.subject)} | {_escape(e.detail)}{note} |")
        lines.append("")
    if control.status == "fail":
        lines += [f"**Fix:** {_escape(control.fix)}", ""]
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
        f"| {_status(c)} | `{c.check_id}` | {_stig(c)} | {c.severity} | {_escape(c.title)} |"
        for c in report.controls
    ]
    lines.append("")
    for control in report.controls:
        if control.status != "pass":
            lines += _details(control)
    return lines
