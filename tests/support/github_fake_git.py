"""The git database part of the GitHub fake (`github_fake.py`): blobs, trees, commits and branch
refs kept in the fake's dicts, served as GitHub's `/git/...` endpoints, and the plumbing both
parts answer with."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from werkzeug import Request, Response


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers, content_type="application/json"
    )


def request_body(request: Request) -> dict[str, Any]:
    data = json.loads(request.get_data(as_text=True) or "{}")
    assert isinstance(data, dict)
    return data


class GitData:
    """FakeGitHub's git database: what its `blobs`, `trees`, `commits` and `refs` hold, the
    helpers tests seed and read branches with, and the endpoints' handlers."""

    blobs: dict[str, bytes]
    trees: dict[str, dict[str, str]]  # sha -> {path: blob sha}
    commits: dict[str, dict[str, Any]]
    refs: dict[str, str]  # branch -> commit sha

    def store_tree(self, files: dict[str, str]) -> str:
        sha = hashlib.sha1(json.dumps(sorted(files.items())).encode()).hexdigest()
        self.trees[sha] = dict(files)
        return sha

    def seed_branch(self, branch: str, files: dict[str, bytes], message: str = "seed") -> str:
        for data in files.values():
            self.blobs[blob_sha(data)] = data
        tree = self.store_tree({path: blob_sha(data) for path, data in files.items()})
        parents = [self.refs[branch]] if branch in self.refs else []
        sha = self.store_commit(tree, parents, message)
        self.refs[branch] = sha
        return sha

    def store_commit(self, tree: str, parents: list[str], message: str) -> str:
        sha = hashlib.sha1(
            json.dumps([tree, parents, message, len(self.commits)]).encode()
        ).hexdigest()
        self.commits[sha] = {
            "sha": sha,
            "tree": {"sha": tree},
            "parents": [{"sha": p} for p in parents],
            "message": message,
        }
        return sha

    def files_at(self, branch: str) -> dict[str, bytes]:
        tree = self.trees[self.commits[self.refs[branch]]["tree"]["sha"]]
        return {path: self.blobs[sha] for path, sha in tree.items()}

    def get_ref(self, request: Request, branch: str) -> Response:
        if branch not in self.refs:
            return json_response({"message": "Not Found"}, 404)
        return json_response(
            {"ref": f"refs/heads/{branch}", "object": {"sha": self.refs[branch], "type": "commit"}}
        )

    def update_ref(self, request: Request, branch: str) -> Response:
        if branch not in self.refs:
            return json_response({"message": "Reference does not exist"}, 422)
        self.refs[branch] = request_body(request)["sha"]
        return json_response({"ref": f"refs/heads/{branch}", "object": {"sha": self.refs[branch]}})

    def create_ref(self, request: Request) -> Response:
        data = request_body(request)
        branch = data["ref"].removeprefix("refs/heads/")
        if branch in self.refs:
            return json_response({"message": "Reference already exists"}, 422)
        self.refs[branch] = data["sha"]
        return json_response({"ref": data["ref"], "object": {"sha": data["sha"]}}, 201)

    def get_commit(self, request: Request, sha: str) -> Response:
        commit = self.commits.get(sha)
        return json_response(commit) if commit else json_response({"message": "Not Found"}, 404)

    def create_commit(self, request: Request) -> Response:
        data = request_body(request)
        sha = self.store_commit(data["tree"], data["parents"], data["message"])
        return json_response(self.commits[sha], 201)

    def get_tree(self, request: Request, sha: str) -> Response:
        files = self.trees.get(sha)
        if files is None:
            return json_response({"message": "Not Found"}, 404)
        entries = [
            {"path": p, "mode": "100644", "type": "blob", "sha": s}
            for p, s in sorted(files.items())
        ]
        return json_response({"sha": sha, "tree": entries, "truncated": False})

    def create_tree(self, request: Request) -> Response:
        data = request_body(request)
        files = dict(self.trees[data["base_tree"]]) if data.get("base_tree") else {}
        for entry in data["tree"]:
            if entry.get("sha") is None and "content" not in entry:
                files.pop(entry["path"], None)
            elif "content" in entry:
                raw = entry["content"].encode()
                self.blobs[blob_sha(raw)] = raw
                files[entry["path"]] = blob_sha(raw)
            else:
                files[entry["path"]] = entry["sha"]
        return json_response({"sha": self.store_tree(files)}, 201)

    def create_blob(self, request: Request) -> Response:
        data = request_body(request)
        raw = (
            base64.b64decode(data["content"])
            if data.get("encoding") == "base64"
            else data["content"].encode()
        )
        self.blobs[blob_sha(raw)] = raw
        return json_response({"sha": blob_sha(raw)}, 201)
