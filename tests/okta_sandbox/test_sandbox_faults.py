"""Sandbox fault injection: latency, 403/429/500/501/503, dropped connections, truncated bodies,
repeating cursors; spec parsing."""

from __future__ import annotations

import http.client
import time
from typing import Any

import pytest
import requests

from okta_sandbox import Sandbox
from okta_sandbox.core.faults import FaultSpecError, parse_fault


def get(sandbox: Sandbox, path: str, **params: Any) -> requests.Response:
    return requests.get(
        f"{sandbox.org_url}{path}",
        params=params,
        timeout=10,
        headers={"Authorization": f"SSWS {sandbox.api_token}"},
    )


@pytest.mark.parametrize(
    ("spec", "kind", "value", "count", "path"),
    [
        ("latency=250", "latency", 250, None, ""),
        ("429x3@/api/v1/zones", "429", 0, 3, "/api/v1/zones"),
        ("503", "503", 0, None, ""),
        ("dropx1", "drop", 0, 1, ""),
        ("repeat-cursor@/api/v1/logs", "repeat-cursor", 0, None, "/api/v1/logs"),
    ],
)
def test_parse(spec: str, kind: str, value: int, count: int | None, path: str) -> None:
    fault = parse_fault(spec)
    assert (fault.kind, fault.value, fault.remaining, fault.path) == (kind, value, count, path)


@pytest.mark.parametrize("spec", ["latency", "404", "429=5", "drop@zones", ""])
def test_parse_errors(spec: str) -> None:
    with pytest.raises(FaultSpecError, match="invalid fault spec"):
        parse_fault(spec)


def test_status_faults_count_down_and_match_paths(sandbox: Sandbox) -> None:
    sandbox.add_fault("429x2@/api/v1/zones")
    sandbox.add_fault("503x1@/api/v1/groups")
    statuses = [get(sandbox, "/api/v1/zones").status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    unavailable = get(sandbox, "/api/v1/groups")
    assert unavailable.status_code == 503 and unavailable.json()["errorCode"] == "E0000010"
    limited = get(sandbox, "/api/v1/users")
    assert limited.status_code == 200
    sandbox.add_fault("500")
    failed = get(sandbox, "/api/v1/apps")
    assert failed.status_code == 500 and failed.json()["errorCode"] == "E0000009"
    sandbox.clear_faults()
    assert get(sandbox, "/api/v1/apps").status_code == 200


@pytest.mark.parametrize(
    ("kind", "code", "summary"),
    [
        ("403", "E0000006", "You do not have permission to perform the requested action"),
        ("501", "E0000060", "Unsupported operation."),
    ],
)
def test_refusing_faults_answer_okta_s_error(
    sandbox: Sandbox, kind: str, code: str, summary: str
) -> None:
    sandbox.add_fault(f"{kind}x1@/api/v1/groups")
    refused = get(sandbox, "/api/v1/groups")
    assert refused.status_code == int(kind)
    assert (refused.json()["errorCode"], refused.json()["errorSummary"]) == (code, summary)
    assert get(sandbox, "/api/v1/groups").status_code == 200


def test_429_fault_has_rate_limit_headers(sandbox: Sandbox) -> None:
    sandbox.add_fault("429x1")
    response = get(sandbox, "/api/v1/zones")
    assert response.json()["errorCode"] == "E0000047"
    assert response.headers["X-Rate-Limit-Remaining"] == "0"


def test_dropped_connection(sandbox: Sandbox) -> None:
    sandbox.add_fault("dropx1@/api/v1/zones")
    with pytest.raises(requests.ConnectionError):
        get(sandbox, "/api/v1/zones")
    assert get(sandbox, "/api/v1/zones").status_code == 200


def test_truncated_body(sandbox: Sandbox) -> None:
    sandbox.add_fault("truncatex1@/api/v1/zones")
    host, port = sandbox.org_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request(
        "GET", "/api/v1/zones", headers={"Authorization": f"SSWS {sandbox.api_token}"}
    )
    response = connection.getresponse()
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    connection.close()
    assert len(get(sandbox, "/api/v1/zones").json()) == 4


def test_repeating_cursor(sandbox: Sandbox) -> None:
    sandbox.add_fault("repeat-cursor@/api/v1/users")
    first = get(sandbox, "/api/v1/users", limit=1)
    second = requests.get(
        first.links["next"]["url"],
        timeout=10,
        headers={"Authorization": f"SSWS {sandbox.api_token}"},
    )
    assert second.links["next"]["url"] == second.links["self"]["url"]
    assert second.json() != first.json()


def test_latency_faults_are_consumed_like_the_others(sandbox_factory: Any) -> None:
    sandbox = sandbox_factory(latency_ms=5, faults=["latency=20x2@/api/v1/zones", "latency=1"])
    assert sandbox.active_faults() == ["latency=20x2@/api/v1/zones", "latency=1"]
    assert get(sandbox, "/api/v1/zones").status_code == 200
    assert sandbox.active_faults() == ["latency=20x1@/api/v1/zones", "latency=1"]
    get(sandbox, "/api/v1/zones")
    assert sandbox.active_faults() == ["latency=1"]


def test_a_latency_fault_really_delays(sandbox: Sandbox) -> None:
    sandbox.add_fault("latency=400x1@/api/v1/zones")
    started = time.perf_counter()
    assert get(sandbox, "/api/v1/zones").status_code == 200
    assert time.perf_counter() - started >= 0.4  # a lower bound: never faster than the fault
    assert sandbox.active_faults() == []


def test_bad_fault_through_the_api(sandbox: Sandbox) -> None:
    with pytest.raises(FaultSpecError):
        sandbox.add_fault("explode")
    assert sandbox.active_faults() == []
