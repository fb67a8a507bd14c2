"""MFA coverage in the SARIF drift report: the `mfa-none` / `mfa-removed` results name at most
`names_limit` users (`mfa_section`), and the run's properties carry the counts."""

from __future__ import annotations

from typing import Any

from generator.drift.findings import DriftReport, Finding
from generator.mfa.coverage import CHECK_NONE, CHECK_REMOVED
from generator.report.markdown_safe import sarif_text
from generator.report.mfa_section import more, shown


def users_line(finding: Finding, report: DriftReport) -> str | None:
    """The users a coverage finding is about, as one more line of its message."""
    coverage = report.mfa_coverage
    if coverage is None or finding.check not in (CHECK_NONE, CHECK_REMOVED):
        return None
    names = shown(coverage)
    if finding.check == CHECK_REMOVED:
        logins = [f"{r.user.login} ({r.when} by {r.actor})" for r in names.removed]
        hidden = names.hidden[0]
    else:
        logins = [r.user.login for r in names.removed] + [u.login for u in names.without_mfa]
        hidden = names.hidden[1]
    if not logins:
        return sarif_text(f"users: none shown (report_max_names {coverage.names_limit})")
    text = "users: " + ", ".join(logins) + more(hidden)
    return sarif_text(text, limit=len(text) + 1)  # each name was capped by the login length


def run_properties(report: DriftReport) -> dict[str, Any]:
    coverage = report.mfa_coverage
    if coverage is None:
        return {}
    return {
        "mfaCoverage": {
            "checked": coverage.checked,
            "complete": coverage.complete,
            "counts": dict(coverage.counts),
            "withoutMfa": len(coverage.without_mfa),
            "weakOnly": len(coverage.weak_only),
            "lastRemoved": len(coverage.last_removed),
        }
    }
