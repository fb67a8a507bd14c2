"""A stateful fake of the parts of the GitHub REST API the `egress-guard github` commands use.

Served by pytest-httpserver; state lives in plain dicts the tests inspect. Lists paginate with
`Link` headers (small pages, so the commands' pagination is exercised), every API call must carry
`Authorization: Bearer <token>`, and artifact downloads redirect to another host name. The git
database endpoints (blobs, trees, commits, refs) are in `github_fake_git.py`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from github_fake_git import GitData, json_response, request_body
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TOKEN = "ghs_fake_token_value_0123456789"
REPO = "acme/okta-policy"
PAGE_SIZE = 3


@dataclass
class FakeGitHub(GitData):
    server: HTTPServer
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> comment
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)  # number -> issue or PR
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    trees: dict[str, dict[str, str]] = field(default_factory=dict)  # sha -> {path: blob sha}
    commits: dict[str, dict[str, Any]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # branch -> commit sha
    commit_pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    artifacts: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # run -> artifacts
    artifact_zips: dict[int, bytes] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    fail_with: int | None = None
    next_id: int = 1000
    token_user: str = "github-actions[bot]"  # shown as the author of comments made with TOKEN

    def __post_init__(self) -> None:
        prefix = f"/repos/{REPO}"
        self.routes: list[tuple[str, str, Callable[..., Response]]] = [
            ("GET", r"/issues/(\d+)/comments", self.list_comments),
            ("POST", r"/issues/(\d+)/comments", self.create_comment),
            ("PATCH", r"/issues/comments/(\d+)", self.update_comment),
            ("GET", r"/issues", self.list_issues),
            ("POST", r"/issues", self.create_issue),
            ("PATCH", r"/issues/(\d+)", self.update_issue),
            ("GET", r"/labels/([^/]+)", self.get_label),
            ("POST", r"/labels", self.create_label),
            ("GET", r"/git/ref/heads/(.+)", self.get_ref),
            ("PATCH", r"/git/refs/heads/(.+)", self.update_ref),
            ("POST", r"/git/refs", self.create_ref),
            ("GET", r"/git/commits/(\w+)", self.get_commit),
            ("POST", r"/git/commits", self.create_commit),
            ("GET", r"/git/trees/(\w+)", self.get_tree),
            ("POST", r"/git/trees", self.create_tree),
            ("POST", r"/git/blobs", self.create_blob),
            ("GET", r"/pulls", self.list_pulls),
            ("POST", r"/pulls", self.create_pull),
            ("PATCH", r"/pulls/(\d+)", self.update_pull),
            ("GET", r"/commits/(\w+)/pulls", self.get_commit_pulls),
            ("GET", r"/actions/workflows/([^/]+)/runs", self.list_runs),
            ("GET", r"/actions/runs/(\d+)/artifacts", self.list_artifacts),
            ("GET", r"/actions/artifacts/(\d+)/zip", self.download_artifact),
        ]
        self.routes = [(m, "^" + re.escape(prefix) + p + "$", f) for m, p, f in self.routes]
        self.server.expect_request(re.compile(r"^/blob/.*")).respond_with_handler(self.blob)
        self.server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    # -- plumbing ---------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def env(self) -> dict[str, str]:
        return {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": self.api_url, "GITHUB_REPOSITORY": REPO}

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def handle(self, request: Request) -> Response:
        self.calls.append((request.method, request.path))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return json_response({"message": "Bad credentials"}, 401)
        if self.fail_with is not None:
            return json_response({"message": "Server Error"}, self.fail_with)
        for method, pattern, func in self.routes:
            found = re.match(pattern, request.path)
            if found and method == request.method:
                return func(request, *found.groups())
        return json_response({"message": "Not Found"}, 404)

    def paged(
        self, request: Request, items: list[dict[str, Any]], key: str | None = None
    ) -> Response:
        page = int(request.args.get("page", "1"))
        size = min(int(request.args.get("per_page", "30")), PAGE_SIZE)
        chunk = items[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(items):
            query = {**request.args.to_dict(), "page": str(page + 1)}
            headers["Link"] = f'<{self.api_url}{request.path}?{urlencode(query)}>; rel="next"'
        body: Any = {"total_count": len(items), key: chunk} if key else chunk
        return json_response(body, 200, headers)

    # -- comments and issues ----------------------------------------------------------------
    def list_comments(self, request: Request, number: str) -> Response:
        found = [c for c in self.comments.values() if c["issue"] == int(number)]
        return self.paged(request, sorted(found, key=lambda c: c["id"]))

    def add_comment(
        self, number: int, body: str, user: str = "github-actions[bot]"
    ) -> dict[str, Any]:
        comment_id = self.new_id()
        comment = {
            "id": comment_id,
            "issue": number,
            "body": body,
            "user": {"login": user},
            "html_url": f"https://github.test/{REPO}/issues/{number}#issuecomment-{comment_id}",
        }
        self.comments[comment_id] = comment
        return comment

    def create_comment(self, request: Request, number: str) -> Response:
        if int(number) not in self.issues:
            return json_response({"message": "Not Found"}, 404)
        return json_response(
            self.add_comment(int(number), request_body(request)["body"], self.token_user), 201
        )

    def update_comment(self, request: Request, comment_id: str) -> Response:
        comment = self.comments.get(int(comment_id))
        if comment is None:
            return json_response({"message": "Not Found"}, 404)
        comment["body"] = request_body(request)["body"]
        return json_response(comment)

    def comments_on(self, number: int) -> list[dict[str, Any]]:
        return sorted(
            (c for c in self.comments.values() if c["issue"] == number), key=lambda c: c["id"]
        )

    def add_issue(
        self, title: str, body: str = "", labels: list[str] | None = None, **extra: Any
    ) -> dict[str, Any]:
        number = len(self.issues) + 1
        issue = {
            "number": number,
            "title": title,
            "body": body,
            "state": "open",
            "labels": [{"name": name} for name in labels or []],
            "html_url": f"https://github.test/{REPO}/issues/{number}",
            **extra,
        }
        self.issues[number] = issue
        return issue

    def list_issues(self, request: Request) -> Response:
        state = request.args.get("state", "open")
        wanted = [n for n in request.args.get("labels", "").split(",") if n]
        found = [
            i
            for i in self.issues.values()
            if (state == "all" or i["state"] == state)
            and all(name in {lab["name"] for lab in i["labels"]} for name in wanted)
        ]
        newest_first = request.args.get("direction", "desc") == "desc"
        return self.paged(request, sorted(found, key=lambda i: i["number"], reverse=newest_first))

    def create_issue(self, request: Request) -> Response:
        data = request_body(request)
        missing = [name for name in data.get("labels", []) if name not in self.labels]
        if missing:
            return json_response({"message": f"label does not exist: {missing}"}, 422)
        return json_response(
            self.add_issue(data["title"], data.get("body", ""), data.get("labels")), 201
        )

    def update_issue(self, request: Request, number: str) -> Response:
        issue = self.issues.get(int(number))
        if issue is None:
            return json_response({"message": "Not Found"}, 404)
        issue.update(
            {
                k: v
                for k, v in request_body(request).items()
                if k in ("state", "body", "title", "state_reason")
            }
        )
        return json_response(issue)

    def get_label(self, request: Request, name: str) -> Response:
        label = self.labels.get(name)
        return json_response(label) if label else json_response({"message": "Not Found"}, 404)

    def create_label(self, request: Request) -> Response:
        data = request_body(request)
        self.labels[data["name"]] = {"name": data["name"], "color": data.get("color", "")}
        return json_response(self.labels[data["name"]], 201)

    # -- pull requests ----------------------------------------------------------------------
    def pulls(self) -> list[dict[str, Any]]:
        return [i for i in self.issues.values() if "pull_request" in i]

    def list_pulls(self, request: Request) -> Response:
        owner = REPO.split("/")[0]
        found = [
            p
            for p in self.pulls()
            if p["state"] == request.args.get("state", "open")
            and (
                not request.args.get("head")
                or f"{owner}:{p['head']['ref']}" == request.args["head"]
            )
            and (not request.args.get("base") or p["base"]["ref"] == request.args["base"])
        ]
        return self.paged(request, found)

    def create_pull(self, request: Request) -> Response:
        data = request_body(request)
        if data["head"] not in self.refs:
            return json_response({"message": "Validation Failed: head"}, 422)
        pull = self.add_issue(
            data["title"],
            data.get("body", ""),
            pull_request={"url": "..."},
            head={"ref": data["head"]},
            base={"ref": data["base"]},
        )
        return json_response(pull, 201)

    def update_pull(self, request: Request, number: str) -> Response:
        return self.update_issue(request, number)

    # -- actions: reviewed plan lookup ------------------------------------------------------
    def get_commit_pulls(self, request: Request, sha: str) -> Response:
        return json_response(self.commit_pulls.get(sha, []))

    def list_runs(self, request: Request, workflow: str) -> Response:
        found = [
            r
            for r in self.runs
            if r["path"].endswith("/" + workflow)
            and all(r.get(k) == request.args[k] for k in ("head_sha", "event") if k in request.args)
            and ("status" not in request.args or r["conclusion"] == request.args["status"])
        ]
        return self.paged(request, found, key="workflow_runs")

    def list_artifacts(self, request: Request, run_id: str) -> Response:
        found = [
            a
            for a in self.artifacts.get(int(run_id), [])
            if a["name"] == request.args.get("name", a["name"])
        ]
        return json_response({"total_count": len(found), "artifacts": found})

    def download_artifact(self, request: Request, artifact_id: str) -> Response:
        if int(artifact_id) not in self.artifact_zips:
            return json_response({"message": "Not Found"}, 404)
        # Like GitHub: a redirect to blob storage on another host name.
        other = "127.0.0.1" if self.server.host == "localhost" else "localhost"
        location = f"http://{other}:{self.server.port}/blob/{artifact_id}"
        return Response(status=302, headers={"Location": location})

    def blob(self, request: Request) -> Response:
        self.calls.append((request.method, request.path))
        if "Authorization" in request.headers:
            return Response("blob storage must not receive the token", status=400)
        artifact_id = int(request.path.rsplit("/", 1)[1])
        return Response(self.artifact_zips[artifact_id], content_type="application/zip")

    def add_reviewed_plan(self, merge_sha: str, head_sha: str, checksum: str, pr: int = 7) -> int:
        """A merged PR whose pr.yml run on `head_sha` recorded `checksum`."""
        self.commit_pulls.setdefault(merge_sha, []).append(
            {
                "number": pr,
                "merged_at": "2026-11-22T10:00:00Z",
                "merge_commit_sha": merge_sha,
                "head": {"sha": head_sha},
            }
        )
        run_id = self.new_id()
        self.runs.append(
            {
                "id": run_id,
                "path": ".github/workflows/pr.yml",
                "head_sha": head_sha,
                "event": "pull_request",
                "conclusion": "success",
                "created_at": f"2026-11-22T09:{len(self.runs):02d}:00Z",
                "html_url": f"https://github.test/{REPO}/actions/runs/{run_id}",
            }
        )
        artifact_id = self.new_id()
        self.artifacts[run_id] = [
            {"id": artifact_id, "name": "egress-guard-plan-checksum", "expired": False}
        ]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("plan-checksum.txt", checksum + "\n")
        self.artifact_zips[artifact_id] = buffer.getvalue()
        return run_id


def fake_github_in_env(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """A fake served by `httpserver`, with the commands' GitHub environment (`FakeGitHub.env`)
    pointing at it for the test."""
    fake = FakeGitHub(httpserver)
    for key, value in fake.env().items():
        monkeypatch.setenv(key, value)
    return fake
