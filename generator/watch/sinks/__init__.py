"""Where alerts are delivered besides stdout: a GitHub issue, a webhook (one class each behind
`Sink`)."""

from __future__ import annotations

from generator.watch.sinks.base import Sink
from generator.watch.sinks.github_issue import GitHubIssueSink
from generator.watch.sinks.webhook import WEBHOOK_ENV, WebhookSink

__all__ = ["WEBHOOK_ENV", "GitHubIssueSink", "Sink", "WebhookSink"]
