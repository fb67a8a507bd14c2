"""MFA enrolment coverage (`drift --mfa-coverage`) against the sandbox `large` seed.

The seed's 5,000 users (plus the default org's) have the seeds' factor mix (none, SMS only,
Okta Verify, WebAuthn). The sandbox runs in its own process with LATENCY_MS per request; its
rate limits are lifted (`--rate-limit-multiplier 0`) to measure the read itself, and the time
the same requests take at Okta's limits is projected from the per-minute bucket of a user's
factors (Okta's "most other API actions": 600/min on most paid orgs, 1,200 on Workforce).
`--paced` instead serves a factors bucket of PACED_LIMIT per minute and reads PACED_USERS
users, to show the client waiting for the reset (X-Rate-Limit-*) rather than being refused
(takes a minute or two).

Prints JSON: users read, requests against the minimum (one factors read per user, one users
page per 200, the authenticators, the System Log pages: no request repeated after a 429),
requests per user (target <= 1.01 for the whole seed), wall time and users per second at the
given latency, and the projected duration at Okta's limits.
Usage: .venv/bin/python benchmarks/bench_mfa.py [--concurrency N] [--paced]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.mfa.coverage_read import PAGE_LIMIT, CoverageOptions, read_coverage  # noqa: E402
from generator.okta.client import OktaClient  # noqa: E402
from okta_sandbox import Sandbox  # noqa: E402

LATENCY_MS = 20
REQUESTS_PER_USER_TARGET = 1.01
OKTA_LIMITS_PER_MINUTE = {"most_paid_orgs": 600, "workforce": 1200}
PACED_LIMIT = 300  # the sandbox's factors bucket is 600/min; multiplier 0.5
PACED_USERS = 450


def run(concurrency: int, paced: bool) -> dict[str, Any]:
    multiplier = PACED_LIMIT / 600 if paced else 0.0
    with Sandbox.start(
        seed="large", latency_ms=LATENCY_MS, mode="process", rate_limit_multiplier=multiplier
    ) as org:
        env = {"OKTA_ORG_URL": org.org_url, "OKTA_API_TOKEN": org.api_token}
        options = CoverageOptions(max_users=PACED_USERS if paced else None)
        with OktaClient.from_env(env, concurrency=concurrency) as client:
            started = time.perf_counter()
            coverage = read_coverage(client, options)
            wall = time.perf_counter() - started
            stats = client.stats
    per_user = coverage.requests / max(coverage.checked, 1)
    factor_reads = coverage.checked
    pages = max(1, math.ceil(coverage.checked / PAGE_LIMIT))
    minimum = factor_reads + pages + 1 + stats.by_resource.get("logs", 0)  # + authenticators
    result: dict[str, Any] = {
        "benchmark": "mfa_coverage",
        "seed": "large",
        "latency_ms_per_request": LATENCY_MS,
        "concurrency": concurrency,
        "paced": paced,
        "users_read": coverage.checked,
        "complete": coverage.complete,
        "counts": dict(coverage.counts),
        "without_mfa": len(coverage.without_mfa),
        "requests": coverage.requests,
        "requests_by_resource": dict(stats.by_resource),
        "requests_minimum": minimum,
        "requests_repeated": coverage.requests - minimum,  # 429s or retries: none expected
        "requests_per_user": round(per_user, 4),
        "requests_per_user_target": f"<= {REQUESTS_PER_USER_TARGET} (full read)",
        "requests_pass": coverage.requests == minimum
        and (paced or per_user <= REQUESTS_PER_USER_TARGET),
        "wall_s": round(wall, 2),
        "users_per_s": round(coverage.checked / wall, 1),
        "rate_limit_waits": stats.rate_limit_waits,
        "retries": stats.retries,
        "projected_minutes_at_okta_limits": {
            name: round(factor_reads / limit, 1) for name, limit in OKTA_LIMITS_PER_MINUTE.items()
        },
        "projected_hours_for_100k_users": {
            name: round(100_000 * per_user / limit / 60, 2)
            for name, limit in OKTA_LIMITS_PER_MINUTE.items()
        },
    }
    if paced:
        # The bucket runs out within the first minute: the client must have paused for the
        # reset (X-Rate-Limit-*) instead of being refused (no repeated request).
        result["paced_pass"] = stats.rate_limit_waits >= 1 and coverage.checked == PACED_USERS
    result["pass"] = bool(result["requests_pass"] and result.get("paced_pass", True))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--paced", action="store_true", help="a small factors bucket: show the client pacing"
    )
    args = parser.parse_args()
    result = run(args.concurrency, args.paced)
    print(json.dumps(result, indent=2))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
