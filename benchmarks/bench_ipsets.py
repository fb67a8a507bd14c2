"""Benchmark: 200,000 random mixed IPv4/IPv6 CIDRs normalised, checked, collapsed and sharded.

The inputs are drawn from public address space (IPv4 outside every special range, IPv6 from
global unicast 2000::/3), so the special-range check runs against egress-guard's real table and
accepts every CIDR, as it must for a real feed. All collapsed CIDRs are sharded, with the org
limits lifted (`shard(max_zones=None, max_entries=None)`): 200,000 CIDRs need far more zones than
one Okta org holds, and the benchmark times the sharder, not the refusal.

Targets: under 2 s, and within 1.5x a bare `netaddr.cidr_merge` of the same input measured in
the same run. Prints one JSON object with the timings (per phase), targets, load average and
pass flags; exit 1 on fail. The targets are judged on wall-clock time; `cpu_seconds` (this
process's CPU time) is printed beside it because a machine shared with other work stretches the
wall-clock time, not the CPU time.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import netaddr

from generator.ipsets import (
    MAX_ENTRIES_PER_ZONE,
    GroupSet,
    IpPolicy,
    SpecialRanges,
    collapse,
    normalise,
    shard,
)

COUNT = 200_000
TARGET_SECONDS = 2.0
TARGET_RATIO = 1.5
SEED = 20231020
POLICY = IpPolicy(allow_ipv6=True)  # the real special-range table: nothing else allowed
GLOBAL_UNICAST_V6 = netaddr.IPNetwork("2000::/3")


def _draw(rng: random.Random) -> tuple[int, int, int]:
    """(version, network value, prefix) of one network-aligned random CIDR."""
    if rng.random() < 0.5:
        prefix = rng.randint(16, 32)
        return 4, rng.getrandbits(32) & ~((1 << (32 - prefix)) - 1), prefix
    prefix = rng.randint(32, 128)
    value = GLOBAL_UNICAST_V6.first | rng.getrandbits(125)
    return 6, value & ~((1 << (128 - prefix)) - 1), prefix


def public_cidrs(count: int, seed: int) -> list[str]:
    """`count` random CIDRs, each redrawn until it overlaps no special range."""
    rng = random.Random(seed)
    special = SpecialRanges(POLICY)
    values: list[str] = []
    while len(values) < count:
        version, value, prefix = _draw(rng)
        last = value | ((1 << ((32 if version == 4 else 128) - prefix)) - 1)
        if special.category(version, value, last) is None:
            values.append(f"{netaddr.IPAddress(value, version)}/{prefix}")
    return values


def main() -> int:
    values = public_cidrs(COUNT, SEED)

    start = time.perf_counter()
    merged = netaddr.cidr_merge(values)
    baseline = time.perf_counter() - start

    cpu_start, start = time.process_time(), time.perf_counter()
    entries = normalise(values, POLICY, lambda i: f"value {i}")
    normalised = time.perf_counter()
    cidrs = collapse(entries)
    collapsed = time.perf_counter()
    shards = shard([GroupSet("bench", tuple(cidrs))], max_zones=None, max_entries=None)
    ours = time.perf_counter() - start
    cpu = time.process_time() - cpu_start

    same = [str(n) for n in merged] == cidrs
    complete = [c for s in shards for c in s.gateways] == cidrs
    bounded = all(len(s.gateways) <= MAX_ENTRIES_PER_ZONE for s in shards)
    time_ok, ratio_ok = ours < TARGET_SECONDS, ours <= TARGET_RATIO * baseline
    passed = time_ok and ratio_ok and same and complete and bounded
    print(
        json.dumps(
            {
                "benchmark": "ipsets normalise+check+collapse+shard",
                "cidrs": COUNT,
                "collapsed": len(cidrs),
                "zones": len(shards),
                "seconds": round(ours, 3),
                "cpu_seconds": round(cpu, 3),  # this process only: less sensitive to load
                "phases": {
                    "normalise_and_check": round(normalised - start, 3),
                    "collapse": round(collapsed - normalised, 3),
                    "shard": round(start + ours - collapsed, 3),
                },
                "baseline_cidr_merge_seconds": round(baseline, 3),
                "ratio": round(ours / baseline, 3),
                "target_seconds": TARGET_SECONDS,
                "target_ratio": TARGET_RATIO,
                "pass_seconds": time_ok,
                "pass_ratio": ratio_ok,
                "same_result_as_cidr_merge": same,
                "all_sharded_within_zone_limit": complete and bounded,
                "load_average_1m": round(os.getloadavg()[0], 2),
                "cpus": os.cpu_count(),
                "pass": passed,
            }
        )
    )
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
