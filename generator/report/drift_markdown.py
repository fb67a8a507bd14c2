"""Drift report as Markdown, ready to be the body of a GitHub issue."""

from __future__ import annotations

from generator.drift.findings import DriftReport, Finding
from generator.report.drift_format import DriftFormat, RenderContext

_ICON = {"critical": "🚨", "high": "🔴", "medium": "🟠", "low": "⚪"}


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _finding(finding: Finding) -> list[str]:
    target = f"`{finding.address}`" if finding.address else f"id `{finding.object_id or '—'}`"
    lines = [
        f"#### {_ICON[finding.severity]} {finding.finding_class}: {finding.kind} "
        f"“{_escape(finding.name)}”",
        "",
        f"{_escape(finding.message)} — {target}",
        "",
    ]
    if finding.diffs:
        lines += ["| attribute | declared | live |", "|---|---|---|"]
        for diff in finding.diffs:
            declared, live = _sides(diff.expected, diff.actual, diff.added, diff.removed)
            flag = " ⚠️ weakens" if diff.weakens else ""
            lines.append(f"| `{diff.path}`{flag} | {declared} | {live} |")
        lines.append("")
    if finding.events:
        lines += [
            "<details><summary>Recent System Log events</summary>",
            "",
            "| time | event | actor | client IP |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {e.published} | `{e.event_type}` | {_escape(e.actor)} | {e.client_ip or ''} |"
            for e in finding.events
        ]
        lines += ["", "</details>", ""]
    return lines


def _sides(
    expected: object, actual: object, added: tuple[str, ...], removed: tuple[str, ...]
) -> tuple[str, str]:
    if added or removed:
        return (
            "removed: " + (", ".join(f"`{r}`" for r in removed) or "—"),
            "added: " + (", ".join(f"`{a}`" for a in added) or "—"),
        )
    return f"`{_escape(str(expected))}`", f"`{_escape(str(actual))}`"


def render(report: DriftReport) -> str:
    lines = ["## egress-guard drift report", ""]
    if report.in_sync:
        lines.append(f"✅ `{report.org_url}` is in sync with `{report.config_path}`.")
        return "\n".join(lines) + "\n"
    counts = report.counts()
    lines += [
        f"Okta org `{report.org_url}` differs from `{report.config_path}` "
        f"(checked {report.generated_at}).",
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
    if report.ignored:
        lines += [f"_{report.ignored} difference(s) ignored by the ignore file._", ""]
    lines += [f"> {note}" for note in report.notes]
    return "\n".join(lines).rstrip() + "\n"


class MarkdownFormat(DriftFormat):
    name = "markdown"

    def render(self, report: DriftReport, context: RenderContext) -> str:
        return render(report)
