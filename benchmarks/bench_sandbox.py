"""Sandbox speed: building the `large` seed (target < 10 s), starting a default org, and request
throughput on list endpoints and System Log polling against the large org.

Prints JSON with each measurement, its target and pass/fail.
Usage: .venv/bin/python benchmarks/bench_sandbox.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.sandbox import Sandbox, seeds  # noqa: E402

LARGE_SEED_TARGET_S = 10.0
START_TARGET_S = 1.0
REQUEST_P50_TARGET_MS = 20.0
LOG_DRAIN_TARGET_S = 30.0


def timed(action: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> int:
    results: dict[str, Any] = {}
    seconds, state = timed(lambda: seeds.build("large"))
    results["large_seed_build_s"] = {
        "value": round(seconds, 2),
        "target": LARGE_SEED_TARGET_S,
        "pass": seconds < LARGE_SEED_TARGET_S,
        "log_events": len(state["logs"]),
    }
    seconds, sandbox = timed(lambda: Sandbox.launch(seed="default"))
    sandbox.stop()
    results["default_start_s"] = {
        "value": round(seconds, 3),
        "target": START_TARGET_S,
        "pass": seconds < START_TARGET_S,
    }
    with Sandbox.start(seed="large", rate_limit_multiplier=0) as large, requests.Session() as http:
        http.headers["Authorization"] = f"SSWS {large.api_token}"
        samples = []
        for _ in range(50):
            seconds, _ = timed(lambda: http.get(f"{large.org_url}/api/v1/zones", timeout=30))
            samples.append(seconds * 1000)
        p50 = statistics.median(samples)
        results["list_zones_p50_ms"] = {
            "value": round(p50, 2),
            "target": REQUEST_P50_TARGET_MS,
            "pass": p50 < REQUEST_P50_TARGET_MS,
        }
        url: str | None = f"{large.org_url}/api/v1/logs?limit=1000&since=2000-01-01T00:00:00Z"
        start, events, pages = time.perf_counter(), 0, 0
        while url:
            page = http.get(url, timeout=60)
            batch = page.json()
            events, pages = events + len(batch), pages + 1
            url = page.links.get("next", {}).get("url") if batch else None
        seconds = time.perf_counter() - start
        results["log_drain_s"] = {
            "value": round(seconds, 2),
            "target": LOG_DRAIN_TARGET_S,
            "pass": seconds < LOG_DRAIN_TARGET_S,
            "events": events,
            "pages": pages,
        }
    results["pass"] = all(v["pass"] for v in results.values() if isinstance(v, dict))
    print(json.dumps(results, indent=2))
    return 0 if results["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
