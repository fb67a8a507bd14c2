"""The watch issue: one tracked GitHub issue for System Log alerts, on the drift issue's
lifecycle (`generator/github/issues.py`).

exit 2 (alerts): open the issue with the alerts, reopen it if it was closed, or comment with the
new alerts when they differ from the last ones it shows (the digest of their ids: the same
alerts delivered twice, after an interrupted run, do not comment twice). exit 0 (no alerts) and
exit 1 (error): leave it alone. Unlike drift, a quiet run does not close the issue: an alert is
closed by whoever investigated it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.errors import EXIT_DRIFT, EXIT_FAILURE, EXIT_OK, InputError
from generator.github.client import GitHubClient
from generator.github.issues import IssueResult, TrackedIssue, digest_of, report_problem

WATCH_ISSUE = TrackedIssue(
    key="watch",
    title="egress-guard: Okta System Log alerts",
    label="egress-guard-watch",
    changed_heading="**New System Log alerts.**",
    reopened_heading="**New System Log alerts** (the issue was closed).",
)


def alerts_digest(report: Mapping[str, Any]) -> str:
    alerts = report.get("alerts") if isinstance(report, Mapping) else None
    ids = sorted(str(a.get("id")) for a in alerts or () if isinstance(a, Mapping))
    return digest_of(ids)


def sync_watch_issue(
    client: GitHubClient,
    exit_code: int,
    report: Mapping[str, Any] | None,
    markdown: str,
    tracked: TrackedIssue = WATCH_ISSUE,
    run_url: str = "",
) -> IssueResult:
    if exit_code == EXIT_DRIFT:
        if report is None:
            raise InputError("watch exit code 2 needs --report-json (the watch report)")
        suffix = f"\n\nWorkflow run: {run_url}\n" if run_url else ""
        return report_problem(client, tracked, markdown + suffix, alerts_digest(report))
    if exit_code in (EXIT_OK, EXIT_FAILURE):
        return IssueResult("none")
    raise InputError(f"--exit-code must be 0, 1 or 2 (egress-guard watch), got {exit_code}")
