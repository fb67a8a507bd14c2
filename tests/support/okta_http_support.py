"""The Okta client against a scripted HTTP server (pytest-httpserver), with a fake clock: its
waits are recorded instead of slept."""

from __future__ import annotations

import time

from pytest_httpserver import HTTPServer

from generator.okta.auth import OktaSettings
from generator.okta.client import OktaClient, RetryPolicy

TOKEN = "00tokenVALUE-never-shown-1234567890"


class FakeTime:
    def __init__(self) -> None:
        self.now = time.time()
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def scripted_client(httpserver: HTTPServer, fake: FakeTime) -> OktaClient:
    """A client of `httpserver` with TOKEN: three attempts, 0.1 s backoff base, two rate-limit
    waits, a fixed jitter, and `fake`'s clock."""
    settings = OktaSettings.from_env(
        {"OKTA_ORG_URL": httpserver.url_for("/").rstrip("/"), "OKTA_API_TOKEN": TOKEN}
    )
    return OktaClient(
        settings,
        retry=RetryPolicy(max_attempts=3, backoff_base=0.1, max_rate_limit_waits=2),
        sleep=fake.sleep,
        clock=fake.clock,
        jitter=lambda: 0.5,
    )
