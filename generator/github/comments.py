"""Sticky comments: one comment per pull request, marker and author, created once, then updated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.github.client import GitHubClient
from generator.github.markers import has_marker, marker, with_marker

CommentAction = Literal["created", "updated", "unchanged"]
# The login GitHub shows for comments made with a workflow's GITHUB_TOKEN.
DEFAULT_AUTHOR = "github-actions[bot]"


@dataclass(frozen=True)
class CommentResult:
    action: CommentAction
    comment_id: int
    url: str


def _author(comment: dict[str, Any]) -> str:
    user = comment.get("user")
    return str(user.get("login", "")) if isinstance(user, dict) else ""


def upsert_comment(
    client: GitHubClient, number: int, text: str, key: str, author: str = DEFAULT_AUTHOR
) -> CommentResult:
    """Create the marked comment on issue/PR `number`, or update the one already there.

    Only a comment written by `author` (the account the workflow's token acts as) is ours: a
    comment anyone else starts with the marker is left alone, and ours is created beside it.
    """
    body = with_marker(text, marker(key))
    comments = client.paginate(f"{client.repo_path}/issues/{number}/comments")
    existing = next(
        (c for c in comments if has_marker(c.get("body"), key) and _author(c) == author), None
    )
    if existing is None:
        created = client.post(f"{client.repo_path}/issues/{number}/comments", {"body": body})
        return CommentResult("created", int(created["id"]), str(created.get("html_url", "")))
    comment_id = int(existing["id"])
    if existing.get("body") == body:
        return CommentResult("unchanged", comment_id, str(existing.get("html_url", "")))
    updated = client.patch(f"{client.repo_path}/issues/comments/{comment_id}", {"body": body})
    return CommentResult("updated", comment_id, str(updated.get("html_url", "")))
