"""A small GitHub REST client over `requests`, configured the way Actions configures a job.

Reads GITHUB_TOKEN, GITHUB_API_URL (default https://api.github.com) and GITHUB_REPOSITORY
("owner/name"). The token only ever travels in the Authorization header: it is never part of
an error message, a log line or a repr.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from generator.errors import EgressGuardError, InputError

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
TIMEOUT_SECONDS = 30.0
MAX_PAGES = 50  # 5,000 items at per_page=100: far beyond what these commands read


class GitHubError(EgressGuardError):
    """A GitHub API call failed; the message names the call and GitHub's reason, never the token."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class GitHubSettings:
    api_url: str
    repository: str
    token: str = field(repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GitHubSettings:
        env = os.environ if environ is None else environ
        token = env.get("GITHUB_TOKEN", "")
        repository = env.get("GITHUB_REPOSITORY", "")
        if not token:
            raise InputError("GITHUB_TOKEN is not set (the workflow passes github.token)")
        if repository.count("/") != 1 or repository.startswith("/") or repository.endswith("/"):
            raise InputError(f"GITHUB_REPOSITORY must be 'owner/name', got {repository!r}")
        api_url = (env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
        return cls(api_url=api_url, repository=repository, token=token)


class GitHubClient:
    """Thin wrapper: JSON in and out, pagination, errors that are safe to print."""

    def __init__(self, settings: GitHubSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self._session = session or requests.Session()
        self._session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "okta-egress-guard",
            }
        )

    def __repr__(self) -> str:
        return f"GitHubClient(api_url={self.settings.api_url!r}, repo={self.settings.repository!r})"

    @property
    def repo_path(self) -> str:
        return f"/repos/{self.settings.repository}"

    def _url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.settings.api_url + path

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        # requests drops Authorization on a redirect to another host: artifact downloads
        # redirect to blob storage, which must not see the token.
        headers = {"Authorization": f"Bearer {self.settings.token}"}
        try:
            response = self._session.request(
                method, self._url(path), headers=headers, timeout=TIMEOUT_SECONDS, **kwargs
            )
        except requests.RequestException as error:
            raise GitHubError(f"{method} {path}: {type(error).__name__}") from None
        log.debug("%s %s -> %s", method, path, response.status_code)
        if response.status_code >= 400:
            raise GitHubError(
                f"{method} {path}: HTTP {response.status_code}: {_reason(response)}",
                status=response.status_code,
            )
        return response

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise GitHubError(f"{method} {path}: response is not JSON") from None

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None)

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        return self.request("POST", path, json=body)

    def patch(self, path: str, body: Mapping[str, Any]) -> Any:
        return self.request("PATCH", path, json=body)

    def download(self, path: str) -> bytes:
        return self._send("GET", path).content

    def paginate(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Items of a list endpoint, following `Link: rel="next"`.

        Endpoints that wrap their list (`{"total_count": n, "workflow_runs": [...]}`) name the
        key through `items_key`.
        """
        items_key = params.pop("items_key", None)
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": 100, **params}
        for _ in range(MAX_PAGES):
            if url is None:
                return
            response = self._send("GET", url, params=query)
            payload = response.json()
            items = payload[items_key] if items_key else payload
            if not isinstance(items, list):
                raise GitHubError(f"GET {path}: expected a list, got {type(items).__name__}")
            yield from items
            next_link = response.links.get("next", {}).get("url")
            url, query = (next_link, None) if next_link else (None, None)
        raise GitHubError(f"GET {path}: more than {MAX_PAGES} pages")


def _reason(response: requests.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return response.reason or "no details"
    if isinstance(payload, dict) and isinstance(payload.get("message"), str):
        return str(payload["message"])
    return response.reason or "no details"


def client_from_env() -> GitHubClient:
    return GitHubClient(GitHubSettings.from_env())
