"""The drift issue lifecycle, driven by one `egress-guard drift` run's exit code and reports.

exit 2 (drift): open, reopen or comment on the drift issue; exit 0 (in sync): close it;
exit 1 (error): leave it alone, because a failed read proves neither drift nor sync.
"""

from __future__ import annotations

from typing import Any

from generator.errors import EXIT_DRIFT, EXIT_FAILURE, EXIT_OK, InputError
from generator.github.client import GitHubClient
from generator.github.issues import (
    IssueResult,
    TrackedIssue,
    digest_of,
    report_problem,
    resolve_problem,
)

DRIFT_ISSUE = TrackedIssue(
    key="drift",
    title="egress-guard: Okta drift detected",
    label="egress-guard-drift",
    changed_heading="**The drift report changed.** Latest report:",
    reopened_heading="**Drift detected again.** Latest report:",
    resolved_text="**The org is back in sync** with the repository. Closing this drift episode.",
)

# Left out of the digest: fields that change on every run (time, tool version) and the System
# Log events attached to findings (the 7-day window slides daily without the drift changing).
VOLATILE_KEYS = frozenset({"generated_at", "tool", "events", "duration_ms", "run_url"})


def report_digest(report: Any) -> str:
    return digest_of(_without_volatile(report))


def _without_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_volatile(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_without_volatile(item) for item in value]
    return value


def sync_drift_issue(
    client: GitHubClient,
    exit_code: int,
    report: Any,
    markdown: str,
    tracked: TrackedIssue = DRIFT_ISSUE,
    run_url: str = "",
) -> IssueResult:
    suffix = f"\n\nWorkflow run: {run_url}\n" if run_url else ""
    if exit_code == EXIT_DRIFT:
        if report is None:
            raise InputError("drift exit code 2 needs --report-json (the drift report)")
        return report_problem(client, tracked, markdown + suffix, report_digest(report))
    if exit_code == EXIT_OK:
        return resolve_problem(client, tracked, suffix.strip())
    if exit_code == EXIT_FAILURE:
        return IssueResult("none")
    raise InputError(f"--exit-code must be 0, 1 or 2 (egress-guard drift), got {exit_code}")
