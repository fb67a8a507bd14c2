"""The MFA coverage section of the Markdown drift report, a GitHub issue body: counts, then at
most `names_limit` user names (`mfa_section`), every one escaped with `markdown_safe`."""

from __future__ import annotations

from generator.drift.findings import DriftReport
from generator.report.markdown_safe import md_code, md_text
from generator.report.mfa_section import GRADE_LABELS, more, scope, shown, without_count


def render(report: DriftReport) -> list[str]:
    coverage = report.mfa_coverage
    if coverage is None:
        return []
    lines = [
        "### MFA coverage",
        "",
        f"{md_text(scope(coverage))}; factors from {md_code(coverage.source)}.",
        "",
        "| users with | count |",
        "|---|---|",
        *[f"| {label} | {coverage.count(grade)} |" for grade, label in GRADE_LABELS],
        "",
    ]
    names = shown(coverage)
    removed, without, weak = names.hidden
    if coverage.last_removed:
        lines += [
            f"**Last factor removed** ({len(coverage.last_removed)}){md_text(more(removed))}",
            "",
            "| user | removed | by | event |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {md_code(r.user.login, table=True)} | {md_text(r.when)} | {md_text(r.actor)} "
            f"| {md_code(r.event_type, table=True)} |"
            for r in names.removed
        ]
        lines.append("")
    if coverage.without_mfa:
        listed = ", ".join(md_code(u.login) for u in names.without_mfa) or "—"
        lines += [
            f"**No MFA factor** ({without_count(coverage)}): {listed}{md_text(more(without))}",
            "",
        ]
    if coverage.weak_only:
        listed = ", ".join(md_code(u.login) for u in names.weak_only) or "—"
        lines += [
            f"**Weak factors only** ({len(coverage.weak_only)}): {listed}{md_text(more(weak))}",
            "",
        ]
    return lines
