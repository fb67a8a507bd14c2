"""Tracked issues: one issue per marker key, reopened, commented on or closed as a problem
comes, changes and goes (the drift episode and the refused IP refresh both use it).

The issue body carries `<!-- egress-guard:KEY digest=… -->`; a run whose digest equals the
stored one leaves the issue alone, so a scheduled job does not comment the same report daily.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from generator.github.client import GitHubClient, GitHubError
from generator.github.markers import has_marker, marker, marker_attribute, with_marker

IssueAction = Literal["opened", "reopened", "commented", "unchanged", "closed", "none"]


@dataclass(frozen=True)
class IssueResult:
    action: IssueAction
    number: int | None = None
    url: str = ""


@dataclass(frozen=True)
class TrackedIssue:
    """Where the issue lives and how its comments read."""

    key: str  # marker key, e.g. "drift"
    title: str
    label: str
    changed_heading: str = "The report changed."
    reopened_heading: str = "The problem is back."
    resolved_text: str = "Resolved: closing."


def digest_of(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def find_issue(client: GitHubClient, tracked: TrackedIssue) -> dict[str, Any] | None:
    """The most recent issue (open or closed) carrying the marker; pull requests excluded."""
    listing = client.paginate(
        f"{client.repo_path}/issues",
        state="all",
        labels=tracked.label,
        sort="created",
        direction="desc",
    )
    for issue in listing:
        if "pull_request" not in issue and has_marker(issue.get("body"), tracked.key):
            return issue
    return None


def ensure_label(client: GitHubClient, name: str, color: str = "d93f0b") -> None:
    try:
        client.get(f"{client.repo_path}/labels/{quote(name, safe='')}")
    except GitHubError as error:
        if error.status != 404:
            raise
        client.post(f"{client.repo_path}/labels", {"name": name, "color": color})


def report_problem(
    client: GitHubClient, tracked: TrackedIssue, text: str, digest: str
) -> IssueResult:
    """Open, reopen or comment on the tracked issue so that it shows `text`."""
    body = with_marker(text, marker(tracked.key, digest=digest))
    issue = find_issue(client, tracked)
    if issue is None:
        ensure_label(client, tracked.label)
        created = client.post(
            f"{client.repo_path}/issues",
            {"title": tracked.title, "body": body, "labels": [tracked.label]},
        )
        return IssueResult("opened", int(created["number"]), str(created.get("html_url", "")))
    number = int(issue["number"])
    url = str(issue.get("html_url", ""))
    if issue.get("state") == "closed":
        _update(client, number, {"state": "open", "body": body})
        _comment(client, number, f"{tracked.reopened_heading}\n\n{text}")
        return IssueResult("reopened", number, url)
    if marker_attribute(issue.get("body"), tracked.key, "digest") == digest:
        return IssueResult("unchanged", number, url)
    _update(client, number, {"body": body})
    _comment(client, number, f"{tracked.changed_heading}\n\n{text}")
    return IssueResult("commented", number, url)


def resolve_problem(client: GitHubClient, tracked: TrackedIssue, text: str = "") -> IssueResult:
    """Close the tracked issue with a comment, if it is open."""
    issue = find_issue(client, tracked)
    if issue is None or issue.get("state") != "open":
        return IssueResult("none", None if issue is None else int(issue["number"]))
    number = int(issue["number"])
    _comment(client, number, f"{tracked.resolved_text}\n\n{text}".rstrip() + "\n")
    _update(client, number, {"state": "closed", "state_reason": "completed"})
    return IssueResult("closed", number, str(issue.get("html_url", "")))


def _update(client: GitHubClient, number: int, fields: dict[str, Any]) -> None:
    client.patch(f"{client.repo_path}/issues/{number}", fields)


def _comment(client: GitHubClient, number: int, text: str) -> None:
    client.post(
        f"{client.repo_path}/issues/{number}/comments", {"body": with_marker(text, marker("note"))}
    )
