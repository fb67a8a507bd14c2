"""One pull request that carries regenerated files from a bot branch, created or updated
through the Git data API (no git credentials in the job, nothing pushed when nothing changed)."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import quote

from generator.errors import InputError
from generator.github.client import GitHubClient, GitHubError
from generator.github.markers import marker, with_marker

RefreshAction = Literal["created", "updated", "unchanged", "closed", "none"]
PR_MARKER_KEY = "ip-refresh"


@dataclass(frozen=True)
class RefreshRequest:
    root: Path  # repository checkout
    paths: tuple[str, ...]  # directories/files (relative to root) whose content the PR carries
    base: str  # base branch, e.g. "main"
    branch: str  # bot branch, e.g. "egress-guard/ip-refresh"
    title: str
    body: str
    commit_message: str


@dataclass(frozen=True)
class RefreshResult:
    action: RefreshAction
    number: int | None = None
    url: str = ""
    changed_files: tuple[str, ...] = ()


def git_blob_sha(data: bytes) -> str:
    """The object id git gives a blob (so unchanged files need not be uploaded)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


def local_files(root: Path, paths: Iterable[str]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    resolved_root = root.resolve()
    for rel in paths:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise InputError(f"--path {rel!r} must be a relative path inside the repository")
        target = (root / rel).resolve()
        if not target.is_relative_to(resolved_root):
            raise InputError(f"--path {rel!r} leaves the repository")
        if target.is_file():
            files[pure.as_posix()] = target
        elif target.is_dir():
            for found in sorted(target.rglob("*")):
                if found.is_file():
                    files[found.relative_to(resolved_root).as_posix()] = found
    return files


def _under(path: str, prefixes: Sequence[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)


def _tree_entries(
    client: GitHubClient, request: RefreshRequest, base_tree: str
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """Tree entries that turn the base tree into the local content of `request.paths`."""
    listing = client.get(f"{client.repo_path}/git/trees/{base_tree}", recursive="1")
    if listing.get("truncated"):
        raise GitHubError("the base tree is too large to list in one request")
    prefixes = [PurePosixPath(p).as_posix() for p in request.paths]
    remote = {
        e["path"]: e["sha"]
        for e in listing["tree"]
        if e.get("type") == "blob" and _under(e["path"], prefixes)
    }
    entries: list[dict[str, Any]] = []
    for rel, path in local_files(request.root, request.paths).items():
        data = path.read_bytes()
        if remote.pop(rel, None) == git_blob_sha(data):
            continue
        mode = "100755" if os.access(path, os.X_OK) else "100644"
        entries.append({"path": rel, "mode": mode, "type": "blob", "sha": _blob(client, data)})
    entries += [
        {"path": rel, "mode": "100644", "type": "blob", "sha": None} for rel in sorted(remote)
    ]
    return entries, tuple(sorted(e["path"] for e in entries))


def _blob(client: GitHubClient, data: bytes) -> str:
    created = client.post(
        f"{client.repo_path}/git/blobs",
        {"content": base64.b64encode(data).decode("ascii"), "encoding": "base64"},
    )
    return str(created["sha"])


def _ref_sha(client: GitHubClient, branch: str) -> str | None:
    try:
        ref = client.get(f"{client.repo_path}/git/ref/heads/{quote(branch, safe='/')}")
    except GitHubError as error:
        if error.status == 404:
            return None
        raise
    return str(ref["object"]["sha"])


def _commit_tree(client: GitHubClient, sha: str) -> str:
    return str(client.get(f"{client.repo_path}/git/commits/{sha}")["tree"]["sha"])


def _open_pr(client: GitHubClient, request: RefreshRequest) -> dict[str, Any] | None:
    owner = client.settings.repository.split("/")[0]
    pulls = client.paginate(
        f"{client.repo_path}/pulls",
        state="open",
        head=f"{owner}:{request.branch}",
        base=request.base,
    )
    return next(iter(pulls), None)


def sync_refresh_pr(client: GitHubClient, request: RefreshRequest) -> RefreshResult:
    base_sha = _ref_sha(client, request.base)
    if base_sha is None:
        raise GitHubError(f"base branch {request.base!r} not found")
    base_tree = _commit_tree(client, base_sha)
    entries, changed = _tree_entries(client, request, base_tree)
    pr = _open_pr(client, request)
    if not entries:
        if pr is None:
            return RefreshResult("none")
        number = int(pr["number"])
        client.post(
            f"{client.repo_path}/issues/{number}/comments",
            {"body": "The live sources match the base branch again; closing."},
        )
        client.patch(f"{client.repo_path}/pulls/{number}", {"state": "closed"})
        return RefreshResult("closed", number, str(pr.get("html_url", "")))

    tree = client.post(f"{client.repo_path}/git/trees", {"base_tree": base_tree, "tree": entries})
    branch_sha = _ref_sha(client, request.branch)
    moved = branch_sha is None or _commit_tree(client, branch_sha) != tree["sha"]
    if moved:
        commit = client.post(
            f"{client.repo_path}/git/commits",
            {"message": request.commit_message, "tree": tree["sha"], "parents": [base_sha]},
        )
        if branch_sha is None:
            client.post(
                f"{client.repo_path}/git/refs",
                {"ref": f"refs/heads/{request.branch}", "sha": commit["sha"]},
            )
        else:
            client.patch(
                f"{client.repo_path}/git/refs/heads/{quote(request.branch, safe='/')}",
                {"sha": commit["sha"], "force": True},
            )
    body = with_marker(request.body, marker(PR_MARKER_KEY))
    if pr is None:
        created = client.post(
            f"{client.repo_path}/pulls",
            {"title": request.title, "head": request.branch, "base": request.base, "body": body},
        )
        return RefreshResult("created", int(created["number"]), str(created["html_url"]), changed)
    number = int(pr["number"])
    if not moved and pr.get("body") == body and pr.get("title") == request.title:
        return RefreshResult("unchanged", number, str(pr.get("html_url", "")), changed)
    client.patch(f"{client.repo_path}/pulls/{number}", {"title": request.title, "body": body})
    return RefreshResult("updated", number, str(pr.get("html_url", "")), changed)
