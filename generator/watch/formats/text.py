"""Plain text for a terminal: one block per alert, every untrusted value on one line with no
control characters (`markdown_safe.one_line`)."""

from __future__ import annotations

from generator.report.markdown_safe import one_line
from generator.watch.detection import Alert
from generator.watch.formats.base import StreamingFormat
from generator.watch.report import WatchReport


def _alert(alert: Alert) -> list[str]:
    lines = [
        f"{alert.severity.upper():8} {alert.detection} {alert.id} {one_line(alert.published)} "
        f"{one_line(alert.title)}",
        f"         {one_line(alert.summary)}",
    ]
    if alert.responses:
        actions = ", ".join(
            f"{r.action.replace('_', '-')} {one_line(r.subject_name or r.subject_id)}"
            for r in alert.responses
        )
        lines.append(f"         respond: egress-guard respond {alert.id}  ({actions})")
    return lines


class TextFormat(StreamingFormat):
    name = "text"

    def render(self, report: WatchReport) -> str:
        status = "" if report.complete else " (INCOMPLETE READ)"
        head = (
            f"egress-guard watch: {len(report.alerts)} alert(s) in {report.events} event(s) "
            f"from {one_line(report.org)}{status}"
        )
        lines = [head]
        if report.first_published:
            lines.append(
                f"events published {one_line(report.first_published)} .. "
                f"{one_line(report.last_published or '')}"
            )
        for alert in report.ordered():
            lines += _alert(alert)
        lines += [f"note: {one_line(note)}" for note in report.notes]
        if report.error:
            lines.append(f"error: {one_line(report.error)}")
        return "\n".join(lines) + "\n"

    def stream(self, alerts: list[Alert]) -> str:
        return "".join(line + "\n" for alert in alerts for line in _alert(alert))
