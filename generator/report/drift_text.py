"""Drift report as concise text for a terminal or CI log, grouped by severity."""

from __future__ import annotations

from generator.drift.findings import AttributeDiff, DriftReport, Finding, Value
from generator.report import controls_text, mfa_text
from generator.report.drift_format import DriftFormat, RenderContext
from generator.report.markdown_safe import one_line

MAX_LISTED = 8


def _list(items: tuple[str, ...]) -> str:
    shown = ", ".join(one_line(item) for item in items[:MAX_LISTED])
    return shown + (f", … (+{len(items) - MAX_LISTED})" if len(items) > MAX_LISTED else "")


def _value(value: Value) -> str:
    if isinstance(value, tuple):
        return "[" + _list(value) + "]"
    return "null" if value is None else one_line(value)


def format_diff(diff: AttributeDiff) -> str:
    mark = " (weakens)" if diff.weakens else ""
    if diff.added or diff.removed:
        parts = []
        if diff.removed:
            parts.append(f"-{_list(diff.removed)}")
        if diff.added:
            parts.append(f"+{_list(diff.added)}")
        return f"{one_line(diff.path)}: {' '.join(parts)}{mark}"
    return f"{one_line(diff.path)}: {_value(diff.expected)} → {_value(diff.actual)}{mark}"


def _finding(finding: Finding) -> list[str]:
    """Live-org text is one line each, without control characters (no terminal escapes, no
    line that a CI runner could take for a workflow command)."""
    where = one_line(finding.address or finding.object_id or "")
    lines = [
        f"  [{finding.finding_class}] {finding.kind} {one_line(repr(finding.name))}"
        + (f" ({where})" if where else "")
    ]
    lines.append(f"      {one_line(finding.message)}")
    lines += [f"      {format_diff(d)}" for d in finding.diffs]
    for event in finding.events[:3]:
        ip = f" from {one_line(event.client_ip)}" if event.client_ip else ""
        lines.append(
            f"      log: {one_line(event.published)} {one_line(event.event_type)} "
            f"by {one_line(event.actor)}{ip}"
        )
    return lines


def render(report: DriftReport) -> str:
    counts = report.counts()
    if report.in_sync:
        head = (
            f"egress-guard drift: {one_line(report.org_url)} is in sync with "
            f"{one_line(report.config_path)}"
        )
    elif not report.findings:
        failing = sum(1 for c in report.controls if c.is_drift)
        head = f"egress-guard drift: {failing} control(s) failing in {one_line(report.org_url)}"
    else:
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        head = (
            f"egress-guard drift: {len(report.findings)} finding(s) in "
            f"{one_line(report.org_url)} ({summary})"
        )
    lines = [head]
    for severity, findings in report.by_severity():
        lines.append("")
        lines.append(f"{severity.upper()} ({len(findings)})")
        for finding in findings:
            lines += _finding(finding)
    lines += controls_text.render(report)
    lines += mfa_text.render(report)
    if report.ignored:
        lines.append(f"\n{report.ignored} difference(s) ignored (--ignore)")
    lines += [f"note: {one_line(note)}" for note in report.notes]
    return "\n".join(lines) + "\n"


class TextFormat(DriftFormat):
    name = "text"

    def render(self, report: DriftReport, context: RenderContext) -> str:
        return render(report)
