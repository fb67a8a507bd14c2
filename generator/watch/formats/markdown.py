"""Markdown for a GitHub issue or job summary. Every value that comes from the org (names,
logins, addresses, user agents, Okta's messages) is untrusted and goes through the shared
escaping functions (`generator/report/markdown_safe.py`): nothing an attacker puts in a user
name or a user agent can render as HTML, a link, a mention or a table cell."""

from __future__ import annotations

from generator.report.markdown_safe import md_code, md_text
from generator.watch.detection import Alert
from generator.watch.formats.base import AlertFormat
from generator.watch.report import WatchReport

ICON = {"critical": "🚨", "high": "🔴", "medium": "🟠", "low": "🟡", "info": "⚪"}


def _alert(alert: Alert) -> list[str]:
    lines = [
        f"#### {ICON[alert.severity]} {md_text(alert.title)}",
        "",
        f"{md_text(alert.summary)}",
        "",
        f"- detection: `{alert.detection}` ({alert.category}), severity **{alert.severity}**, "
        f"alert {md_code(alert.id)}",
        f"- published: {md_text(alert.published)}",
    ]
    if alert.actor:
        lines.append(f"- actor: {md_text(alert.actor.name or alert.actor.id)}")
    if alert.client_ip:
        lines.append(f"- client IP: {md_code(alert.client_ip)}")
    if alert.session_id:
        lines.append(f"- session: {md_code(alert.session_id)}")
    evidence = [(k, v) for k, v in alert.evidence if v]
    if evidence:
        lines += ["", "| evidence | value |", "|---|---|"]
        lines += [f"| {md_text(k)} | {md_text(v)} |" for k, v in evidence]
    if alert.responses:
        actions = ", ".join(
            f"{r.action.replace('_', '-')} {md_text(r.subject_name or r.subject_id)}"
            for r in alert.responses
        )
        lines += [
            "",
            f"Respond (dry run first): {md_code('egress-guard respond ' + alert.id)} — {actions}",
        ]
    lines.append("")
    return lines


class MarkdownFormat(AlertFormat):
    name = "markdown"

    def render(self, report: WatchReport) -> str:
        lines = ["## egress-guard watch", ""]
        scope = f"{report.events} System Log event(s) of {md_code(report.org)}" + (
            f", published {md_text(report.first_published)} to "
            f"{md_text(report.last_published or '')}"
            if report.first_published
            else ""
        )
        if not report.complete:
            lines += [f"⚠️ **Incomplete read**: {md_text(report.error or '')}", ""]
        if not report.alerts:
            lines += [f"✅ No alerts in {scope}.", ""]
        else:
            lines += [
                f"**{len(report.alerts)} alert(s)** in {scope}.",
                "",
                "| severity | alerts |",
                "|---|---|",
                *[f"| {ICON[s]} {s} | {n} |" for s, n in report.counts().items()],
                "",
            ]
            for alert in report.ordered():
                lines += _alert(alert)
        lines += [f"> {md_text(note)}" for note in report.notes]
        return "\n".join(lines).rstrip() + "\n"
