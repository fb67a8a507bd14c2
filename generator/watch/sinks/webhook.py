"""Alerts to a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Teams
workflows accept `{"text": ...}`; Slack also renders `blocks`).

The URL is a secret (whoever has it can post): it is read from an environment variable
(`EGRESS_GUARD_WEBHOOK_URL` by default), must be https (http only to a loopback address), and
is never printed; messages name its host only. Delivery is retried with exponential backoff on
connection errors, timeouts and 5xx, waiting `Retry-After` on 429 (capped); any other 4xx is a
refusal and not retried. Untrusted values are escaped for Slack's mrkdwn (`&`, `<`, `>`: no
links, no @channel) and kept to one line. Up to `MAX_ALERTS` alerts per message, the rest
counted.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import random
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from generator.errors import EgressGuardError, InputError
from generator.report.markdown_safe import one_line
from generator.watch.detection import Alert
from generator.watch.report import WatchReport
from generator.watch.sinks.base import Sink

WEBHOOK_ENV = "EGRESS_GUARD_WEBHOOK_URL"
MAX_ALERTS = 20
MAX_ATTEMPTS = 5
BACKOFF = 1.0
MAX_WAIT = 60.0
TIMEOUT = 10.0
ICON = {"critical": ":rotating_light:", "high": ":red_circle:", "medium": ":large_orange_circle:"}


class WebhookError(EgressGuardError):
    """The webhook refused the alerts or stayed unreachable (exit 1)."""


def slack_text(value: object, limit: int = 300) -> str:
    """Untrusted text for Slack mrkdwn: one line, `&`, `<`, `>` escaped (Slack's rules)."""
    return one_line(value, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_url(env: Mapping[str, str], variable: str = WEBHOOK_ENV) -> str:
    url = env.get(variable, "").strip()
    if not url:
        raise InputError(f"{variable} is not set (the webhook URL; it is a secret)")
    parts = urlsplit(url)
    host = parts.hostname or ""
    loopback = host == "localhost"
    with contextlib.suppress(ValueError):
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise InputError(f"{variable}: the webhook URL must be https (http only for loopback)")
    return url


def payload(alerts: list[Alert], report: WatchReport) -> dict[str, Any]:
    shown = alerts[:MAX_ALERTS]
    headline = (
        f"egress-guard watch: {len(alerts)} alert(s) in the System Log of {slack_text(report.org)}"
    )
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{headline}*"}}
    ]
    for alert in shown:
        icon = ICON.get(alert.severity, ":white_circle:")
        text = (
            f"{icon} *{alert.severity.upper()}* `{alert.detection}` {slack_text(alert.title)}\n"
            f"{slack_text(alert.summary, 600)}\n`egress-guard respond {alert.id}`"
        )
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    if len(alerts) > len(shown):
        more = f"…and {len(alerts) - len(shown)} more (see the watch report)"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    lines = [headline] + [
        f"[{a.severity.upper()}] {a.detection} {slack_text(a.title)} ({a.id})" for a in shown
    ]
    return {"text": "\n".join(lines), "blocks": blocks}


class WebhookSink(Sink):
    name = "webhook"

    def __init__(
        self,
        url: str,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._url = url
        self.host = urlsplit(url).hostname or "?"
        self.session = session or requests.Session()
        self.sleep = sleep
        self.jitter = jitter

    def __repr__(self) -> str:
        return f"WebhookSink(host={self.host!r})"

    def deliver(self, alerts: list[Alert], report: WatchReport) -> str:
        if not alerts:
            return f"webhook {self.host}: no alerts, nothing sent"
        body = payload(alerts, report)
        reason = ""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            wait = min(MAX_WAIT, BACKOFF * 2 ** (attempt - 1)) * (0.5 + self.jitter() / 2)
            try:
                response = self.session.post(self._url, json=body, timeout=TIMEOUT)
            except requests.RequestException as error:
                reason = f"{type(error).__name__}"
            else:
                if 200 <= response.status_code < 300:
                    return f"webhook {self.host}: {len(alerts)} alert(s) sent"
                reason = f"HTTP {response.status_code}"
                if response.status_code == 429:
                    wait = _retry_after(response, wait)
                elif response.status_code < 500:
                    raise WebhookError(f"webhook {self.host} refused the alerts ({reason})")
            if attempt < MAX_ATTEMPTS:
                self.sleep(wait)
        raise WebhookError(
            f"webhook {self.host}: not delivered after {MAX_ATTEMPTS} attempts ({reason}); "
            "the alerts stay pending in the state file"
        )


def _retry_after(response: requests.Response, default: float) -> float:
    try:
        return min(MAX_WAIT, max(0.0, float(response.headers.get("Retry-After", ""))))
    except ValueError:
        return default


def from_env(variable: str = WEBHOOK_ENV) -> WebhookSink:
    return WebhookSink(webhook_url(os.environ, variable))
