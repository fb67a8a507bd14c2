"""Alerts to the tracked watch issue (`generator/github/watch.py`), as escaped Markdown."""

from __future__ import annotations

import dataclasses
import os

from generator.errors import EXIT_DRIFT
from generator.github.client import GitHubClient, client_from_env
from generator.github.watch import sync_watch_issue
from generator.watch.detection import Alert
from generator.watch.formats.markdown import MarkdownFormat
from generator.watch.report import WatchReport
from generator.watch.sinks.base import Sink


class GitHubIssueSink(Sink):
    name = "github-issue"

    def __init__(self, client: GitHubClient | None = None) -> None:
        self.client = client

    def deliver(self, alerts: list[Alert], report: WatchReport) -> str:
        if not alerts:
            return "github issue: no alerts, left as it is"
        client = self.client or client_from_env()
        delivered = dataclasses.replace(report, alerts=list(alerts))
        markdown = MarkdownFormat().render(delivered)
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        run = os.environ.get("GITHUB_RUN_ID")
        repo = os.environ.get("GITHUB_REPOSITORY")
        run_url = f"{server}/{repo}/actions/runs/{run}" if run and repo else ""
        result = sync_watch_issue(
            client, EXIT_DRIFT, delivered.as_dict(), markdown, run_url=run_url
        )
        return f"github issue {result.action}: {result.url or result.number or '-'}"
