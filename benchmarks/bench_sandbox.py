"""Sandbox speed: building the `large` seed in memory and behind a state file (`sandbox serve
--seed large --state FILE`, target < 10 s each), a write to that file-backed org (the System Log
lives in its own append-only file, so a write costs the org state only), restarting on the
existing file, starting a default org, request throughput against the large org, and what the
test suite's spec audit adds per response.

Prints JSON with each measurement, its target and pass/fail.
Usage: .venv/bin/python benchmarks/bench_sandbox.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from okta_sandbox import Sandbox, seeds  # noqa: E402
from okta_sandbox.core.audit import ENV as AUDIT_ENV  # noqa: E402

LARGE_SEED_TARGET_S = 10.0
LARGE_WRITE_TARGET_MS = 250.0
START_TARGET_S = 1.0
REQUEST_P50_TARGET_MS = 20.0
LOG_DRAIN_TARGET_S = 30.0
AUDIT_TARGET_MS = 5.0


def timed(action: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def result(value: float, target: float, digits: int = 2, **extra: Any) -> dict[str, Any]:
    return {"value": round(value, digits), "target": target, "pass": value < target, **extra}


def serve(state_file: Path) -> tuple[float, subprocess.Popen[str], dict[str, str]]:
    """Start `sandbox serve --seed large --state FILE`; seconds until it printed its URL."""
    command = [sys.executable, "-m", "generator", "sandbox", "serve", "--json", "--seed", "large"]
    command += ["--state", str(state_file), "--rate-limit-multiplier", "0"]
    env = {k: v for k, v in os.environ.items() if k != AUDIT_ENV}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert process.stdout is not None
    info = json.loads(process.stdout.readline())
    return time.perf_counter() - start, process, info


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=30)
    if process.stdout is not None:
        process.stdout.close()


def file_backed(results: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as directory:
        state_file = Path(directory) / "org.json"
        seconds, process, info = serve(state_file)
        results["serve_large_state_start_s"] = result(seconds, LARGE_SEED_TARGET_S)
        try:
            with requests.Session() as http:
                http.headers["Authorization"] = f"SSWS {info['api_token']}"
                url = f"{info['org_url']}/api/v1/groups"
                samples = []
                for n in range(10):
                    start = time.perf_counter()
                    created = http.post(url, json={"profile": {"name": f"w{n}"}}, timeout=60)
                    created.raise_for_status()
                    samples.append((time.perf_counter() - start) * 1000)
        finally:
            stop(process)
        results["large_state_write_p50_ms"] = result(
            statistics.median(samples),
            LARGE_WRITE_TARGET_MS,
            1,
            state_file_kb=state_file.stat().st_size // 1024,
            log_file_mb=(state_file.with_name("org.json.logs.jsonl").stat().st_size >> 20),
        )
        seconds, process, _ = serve(state_file)  # reuses the file: the seed is ignored
        stop(process)
        results["serve_large_state_restart_s"] = result(seconds, LARGE_SEED_TARGET_S)


def audit_overhead(results: dict[str, Any]) -> None:
    """Milliseconds the session-wide spec audit adds to a response (typical test traffic)."""
    paths = ["/api/v1/zones", "/api/v1/apps", "/api/v1/users", "/api/v1/logs?limit=1000"]
    paths += ["/api/v1/policies?type=ACCESS_POLICY", "/api/v1/policies?type=OKTA_SIGN_ON"]
    timings = {}
    for audited in (False, True):
        with tempfile.TemporaryDirectory() as directory:
            if audited:
                os.environ[AUDIT_ENV] = directory
            try:
                with Sandbox.start(seed="default") as org, requests.Session() as http:
                    http.headers["Authorization"] = f"SSWS {org.api_token}"
                    start = time.perf_counter()
                    for _ in range(20):
                        for path in paths:
                            http.get(org.org_url + path, timeout=30).raise_for_status()
                    timings[audited] = (time.perf_counter() - start) / (20 * len(paths))
            finally:
                os.environ.pop(AUDIT_ENV, None)
    overhead = (timings[True] - timings[False]) * 1000
    results["audit_overhead_ms_per_response"] = result(max(overhead, 0.0), AUDIT_TARGET_MS, 2)


def main() -> int:
    results: dict[str, Any] = {}
    seconds, state = timed(lambda: seeds.build("large"))
    results["large_seed_build_s"] = result(
        seconds, LARGE_SEED_TARGET_S, log_events=len(state["logs"])
    )
    del state
    file_backed(results)
    seconds, sandbox = timed(lambda: Sandbox.launch(seed="default"))
    sandbox.stop()
    results["default_start_s"] = result(seconds, START_TARGET_S, 3)
    with Sandbox.start(seed="large", rate_limit_multiplier=0) as large, requests.Session() as http:
        http.headers["Authorization"] = f"SSWS {large.api_token}"
        samples = []
        for _ in range(50):
            seconds, _ = timed(lambda: http.get(f"{large.org_url}/api/v1/zones", timeout=30))
            samples.append(seconds * 1000)
        results["list_zones_p50_ms"] = result(statistics.median(samples), REQUEST_P50_TARGET_MS)
        # the whole seeded history (a week): `since` at most 180 days back, as Okta requires
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 179 * 86400))
        url: str | None = f"{large.org_url}/api/v1/logs?limit=1000&since={since}"
        start, events, pages = time.perf_counter(), 0, 0
        while url:
            page = http.get(url, timeout=60)
            page.raise_for_status()  # an error body is not a page of events
            batch = page.json()
            events, pages = events + len(batch), pages + 1
            url = page.links.get("next", {}).get("url") if batch else None
        drained = time.perf_counter() - start
        results["log_drain_s"] = result(drained, LOG_DRAIN_TARGET_S, events=events, pages=pages)
        # every seeded event read, or the time measures nothing
        results["log_drain_s"]["pass"] &= events == len(large.snapshot()["logs"])
    audit_overhead(results)
    results["pass"] = all(v["pass"] for v in results.values() if isinstance(v, dict))
    print(json.dumps(results, indent=2))
    return 0 if results["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
