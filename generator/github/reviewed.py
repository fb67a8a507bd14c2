"""Find the plan checksum that the merged pull request's plan job recorded.

apply.yml re-plans on the merge commit and compares checksums: the merge commit's pull request
(`GET /commits/{sha}/pulls`), the newest successful run of the PR workflow on the PR head
(`GET /actions/workflows/{file}/runs?head_sha=…`), and that run's checksum artifact. Artifacts
are written by the workflow itself, so unlike a comment no collaborator can edit them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from generator.errors import RefusedError
from generator.github.client import GitHubClient, GitHubError

CHECKSUM_PATTERN = re.compile(r"sha256:[0-9a-f]{64}")
DEFAULT_WORKFLOW = "pr.yml"
DEFAULT_ARTIFACT = "egress-guard-plan-checksum"
DEFAULT_FILENAME = "plan-checksum.txt"


@dataclass(frozen=True)
class ReviewedPlan:
    checksum: str
    pr_number: int
    head_sha: str
    run_id: int
    run_url: str


class NoReviewedPlanError(RefusedError):
    """Nothing reviewed to compare with: apply must refuse."""


def merged_pull_request(client: GitHubClient, commit_sha: str) -> dict[str, Any]:
    pulls = client.get(f"{client.repo_path}/commits/{commit_sha}/pulls") or []
    for pull in pulls:
        if pull.get("merged_at") and pull.get("merge_commit_sha") == commit_sha:
            return dict(pull)
    raise NoReviewedPlanError(
        f"commit {commit_sha[:12]} is not the merge of a pull request: no reviewed plan exists"
    )


def newest_successful_run(client: GitHubClient, workflow: str, head_sha: str) -> dict[str, Any]:
    runs = list(
        client.paginate(
            f"{client.repo_path}/actions/workflows/{workflow}/runs",
            items_key="workflow_runs",
            head_sha=head_sha,
            event="pull_request",
            status="success",
        )
    )
    runs = [r for r in runs if r.get("head_sha") == head_sha and r.get("conclusion") == "success"]
    if not runs:
        raise NoReviewedPlanError(
            f"no successful {workflow} run for the pull request head {head_sha[:12]}"
        )
    return max(runs, key=lambda r: (str(r.get("created_at", "")), int(r["id"])))


def read_artifact_checksum(client: GitHubClient, run_id: int, artifact: str, filename: str) -> str:
    listing = client.get(f"{client.repo_path}/actions/runs/{run_id}/artifacts", name=artifact)
    found = [a for a in listing.get("artifacts", []) if a.get("name") == artifact]
    live = [a for a in found if not a.get("expired")]
    if not live:
        state = "expired" if found else "missing"
        raise NoReviewedPlanError(f"artifact {artifact!r} of run {run_id} is {state}")
    data = client.download(f"{client.repo_path}/actions/artifacts/{live[0]['id']}/zip")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = archive.read(filename).decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as error:
        raise GitHubError(f"artifact {artifact!r} of run {run_id}: {error}") from None
    match = CHECKSUM_PATTERN.search(text)
    if match is None:
        raise GitHubError(
            f"artifact {artifact!r} of run {run_id}: no sha256 checksum in {filename}"
        )
    return match.group(0)


def find_reviewed_plan(
    client: GitHubClient,
    commit_sha: str,
    workflow: str = DEFAULT_WORKFLOW,
    artifact: str = DEFAULT_ARTIFACT,
    filename: str = DEFAULT_FILENAME,
) -> ReviewedPlan:
    pull = merged_pull_request(client, commit_sha)
    head_sha = str(pull["head"]["sha"])
    run = newest_successful_run(client, workflow, head_sha)
    checksum = read_artifact_checksum(client, int(run["id"]), artifact, filename)
    return ReviewedPlan(
        checksum=checksum,
        pr_number=int(pull["number"]),
        head_sha=head_sha,
        run_id=int(run["id"]),
        run_url=str(run.get("html_url", "")),
    )
