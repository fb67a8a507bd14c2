"""The shrink rail and stable sharding on a re-run against the lock: exact in addresses, and
linear for unchanged input (no CIDR-by-CIDR netaddr set building, which is quadratic; no
parsing of CIDRs the lock already places). Timings live in benchmarks/bench_ipsets.py."""

from __future__ import annotations

import netaddr
import pytest

from generator import ipsets
from generator.ipsets import GroupSet, shard
from generator.lockfile import Lock, shrink_problems


def lock_of(shards: list[ipsets.Shard]) -> Lock:
    return Lock((), tuple(shards), {})


def many(count: int) -> tuple[str, ...]:
    return tuple(f"{11 + i // 65536}.{(i // 256) % 256}.{i % 256}.0/24" for i in range(count))


def test_an_unchanged_rerun_builds_no_address_set_and_parses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cidrs = many(5000)
    first = shard([GroupSet("corporate", cidrs)])
    previous = lock_of(first)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("quadratic or needless work on an unchanged re-run")

    monkeypatch.setattr(netaddr.IPSet, "add", refuse)
    monkeypatch.setattr(ipsets, "entry", refuse)
    again = shard([GroupSet("corporate", cidrs)], previous.assignment())
    assert again == first
    assert shrink_problems(previous, again, 30) == []


def test_a_shrink_is_measured_in_addresses_without_adding_cidrs_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cidrs = many(400)
    previous = lock_of(shard([GroupSet("corporate", cidrs)]))
    monkeypatch.setattr(netaddr.IPSet, "add", lambda *a, **k: pytest.fail("IPSet.add"))
    kept = cidrs[:200]  # half the /24s: 50% of the addresses
    after = shard([GroupSet("corporate", kept)], previous.assignment())
    [problem] = shrink_problems(previous, after, 30)
    assert "corporate (IPv4): would remove 50.0% of 102400 trusted addresses" in problem


def test_merged_or_split_cidrs_lose_no_addresses() -> None:
    previous = lock_of(shard([GroupSet("corporate", ("10.0.0.0/25", "10.0.0.128/25"))]))
    merged = shard([GroupSet("corporate", ("10.0.0.0/24",))], previous.assignment())
    assert shrink_problems(previous, merged, 0) == []
    back = lock_of(merged)
    split = shard([GroupSet("corporate", ("10.0.0.0/25", "10.0.0.128/26"))], back.assignment())
    [problem] = shrink_problems(back, split, 20)
    assert "would remove 25.0% of 256" in problem
