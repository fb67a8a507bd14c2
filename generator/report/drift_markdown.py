"""Drift report as Markdown, ready to be the body of a GitHub issue.

Every value that comes from the live org or the config (names, messages, attribute values,
System Log actors, the org URL) goes through generator.report.markdown_safe, so a hostile name
renders as text and never as a mention, link, image, HTML or table cell.
"""

from __future__ import annotations

from generator.drift.findings import DriftReport, Finding
from generator.report import controls_markdown, mfa_markdown
from generator.report.drift_format import DriftFormat, RenderContext
from generator.report.markdown_safe import md_code, md_text

_ICON = {"critical": "🚨", "high": "🔴", "medium": "🟠", "low": "⚪"}


def _finding(finding: Finding) -> list[str]:
    target = (
        md_code(finding.address) if finding.address else f"id {md_code(finding.object_id or '—')}"
    )
    lines = [
        f"#### {_ICON[finding.severity]} {finding.finding_class}: {finding.kind} "
        f"“{md_text(finding.name)}”",
        "",
        f"{md_text(finding.message)} — {target}",
        "",
    ]
    if finding.diffs:
        lines += ["| attribute | declared | live |", "|---|---|---|"]
        for diff in finding.diffs:
            declared, live = _sides(diff.expected, diff.actual, diff.added, diff.removed)
            flag = " ⚠️ weakens" if diff.weakens else ""
            lines.append(f"| {md_code(diff.path, table=True)}{flag} | {declared} | {live} |")
        lines.append("")
    if finding.events:
        lines += [
            "<details><summary>Recent System Log events</summary>",
            "",
            "| time | event | actor | client IP |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {md_text(e.published)} | {md_code(e.event_type, table=True)} "
            f"| {md_text(e.actor)} | {md_text(e.client_ip or '')} |"
            for e in finding.events
        ]
        lines += ["", "</details>", ""]
    return lines


def _items(values: tuple[str, ...]) -> str:
    return ", ".join(md_code(value, table=True) for value in values) or "—"


def _sides(
    expected: object, actual: object, added: tuple[str, ...], removed: tuple[str, ...]
) -> tuple[str, str]:
    if added or removed:
        return "removed: " + _items(removed), "added: " + _items(added)
    return md_code(str(expected), table=True), md_code(str(actual), table=True)


def render(report: DriftReport) -> str:
    lines = ["## egress-guard drift report", ""]
    org, config = md_code(report.org_url), md_code(report.config_path)
    if report.in_sync:
        lines += [f"✅ {org} is in sync with {config}.", ""]
        lines += controls_markdown.render(report)
        lines += mfa_markdown.render(report)
        return "\n".join(lines).rstrip() + "\n"
    counts = report.counts()
    lines += [
        f"Okta org {org} differs from {config} (checked {md_text(report.generated_at)}).",
        "",
        "| severity | findings |",
        "|---|---|",
        *[f"| {_ICON[s]} {s} | {n} |" for s, n in counts.items()],
        "",
    ]
    for severity, findings in report.by_severity():
        lines += [f"### {severity.capitalize()} ({len(findings)})", ""]
        for finding in findings:
            lines += _finding(finding)
    lines += controls_markdown.render(report)
    lines += mfa_markdown.render(report)
    if report.ignored:
        lines += [f"_{report.ignored} difference(s) ignored by the ignore file._", ""]
    lines += [f"> {md_text(note)}" for note in report.notes]
    return "\n".join(lines).rstrip() + "\n"


class MarkdownFormat(DriftFormat):
    name = "markdown"

    def render(self, report: DriftReport, context: RenderContext) -> str:
        return render(report)
