"""Benchmark: 200,000 random mixed IPv4/IPv6 CIDRs normalised, checked, collapsed and sharded.

The inputs are drawn from public address space (IPv4 outside every special range, IPv6 from
global unicast 2000::/3), so the special-range check runs against egress-guard's real table and
accepts every CIDR, as it must for a real feed. All collapsed CIDRs are sharded, with the org
limits lifted (`shard(max_zones=None, max_entries=None)`): 200,000 CIDRs need far more zones than
one Okta org holds, and the benchmark times the sharder, not the refusal.

Targets: under 2 s, and within 1.5x a bare `netaddr.cidr_merge` of the same input measured in
the same run.

Re-run against the lock (`rerun`): the same input again with the first run's shards as the
previous lock (read back from its JSON, as `generate` does), i.e. stable sharding against the
lock's assignment plus the shrink rail (`shrink_problems`). Targets: under 2 s, and at most 1.5x
the first run. (The shrink rail used to add CIDRs to a netaddr IPSet one by one: quadratic.)
Prints one JSON object with the timings (per phase), targets, load average and
pass flags; exit 1 on fail. The targets are judged on wall-clock time; `cpu_seconds` (this
process's CPU time) is printed beside it because a machine shared with other work stretches the
wall-clock time, not the CPU time.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
from generator.lockfile import LOCK_NAME, Lock, dump_lock, read_lock, shrink_problems
from generator.model import Shard

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


def rerun_against_lock(values: list[str], first_shards: list[Shard]) -> dict[str, Any]:
    """The unchanged input again, against the lock the first run would have written."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, LOCK_NAME).write_text(dump_lock(Lock((), tuple(first_shards), {})))
        previous = read_lock(Path(tmp))
    assert previous is not None
    start = time.perf_counter()
    entries = normalise(values, POLICY, lambda i: f"value {i}")
    cidrs = collapse(entries)
    shards = shard(
        [GroupSet("bench", tuple(cidrs))],
        previous.assignment(),
        max_zones=None,
        max_entries=None,
    )
    problems = shrink_problems(previous, shards, 30.0)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "same_shards": shards == first_shards,
        "shrink_problems": problems,
    }


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

    rerun = rerun_against_lock(values, shards)

    same = [str(n) for n in merged] == cidrs
    complete = [c for s in shards for c in s.gateways] == cidrs
    bounded = all(len(s.gateways) <= MAX_ENTRIES_PER_ZONE for s in shards)
    time_ok, ratio_ok = ours < TARGET_SECONDS, ours <= TARGET_RATIO * baseline
    rerun_ok = (
        rerun["seconds"] < TARGET_SECONDS
        and rerun["seconds"] <= TARGET_RATIO * ours
        and rerun["same_shards"]
        and not rerun["shrink_problems"]
    )
    passed = time_ok and ratio_ok and same and complete and bounded and rerun_ok
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
                "rerun_against_lock": {
                    **{k: v for k, v in rerun.items() if k != "seconds"},
                    "seconds": round(rerun["seconds"], 3),
                    "ratio_to_first_run": round(rerun["seconds"] / ours, 3),
                    "target_seconds": TARGET_SECONDS,
                    "target_ratio_to_first_run": TARGET_RATIO,
                    "pass": rerun_ok,
                },
                "load_average_1m": round(os.getloadavg()[0], 2),
                "cpus": os.cpu_count(),
                "pass": passed,
            }
        )
    )
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
