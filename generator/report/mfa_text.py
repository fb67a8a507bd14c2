"""The MFA coverage section of the text drift report (names capped: `mfa_section`)."""

from __future__ import annotations

from generator.drift.findings import DriftReport
from generator.report.markdown_safe import one_line
from generator.report.mfa_section import GRADE_LABELS, more, scope, shown, without_count


def render(report: DriftReport) -> list[str]:
    coverage = report.mfa_coverage
    if coverage is None:
        return []
    lines = ["", f"MFA COVERAGE ({scope(coverage)}; {one_line(coverage.source)})"]
    lines += [f"  {coverage.count(grade):>7}  {label}" for grade, label in GRADE_LABELS]
    names = shown(coverage)
    removed, without, weak = names.hidden
    if coverage.last_removed:
        lines.append(f"  last factor removed ({len(coverage.last_removed)}):{more(removed)}")
        lines += [
            f"    {one_line(r.user.login)}: {one_line(r.event_type)} {one_line(r.when)} "
            f"by {one_line(r.actor)}"
            for r in names.removed
        ]
    if coverage.without_mfa:
        listed = ", ".join(one_line(u.login) for u in names.without_mfa)
        lines.append(f"  no MFA factor ({without_count(coverage)}): {listed}{more(without)}")
    if coverage.weak_only:
        listed = ", ".join(f"{one_line(u.login)} ({'/'.join(u.factors)})" for u in names.weak_only)
        lines.append(f"  weak factors only ({len(coverage.weak_only)}): {listed}{more(weak)}")
    return lines
