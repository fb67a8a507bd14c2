"""Property tests: collapsing keeps exactly the covered addresses; sharding is bounded,
deterministic and stable (one added or removed CIDR changes at most two zones)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from netaddr import IPAddress, IPNetwork, IPSet, cidr_merge, iprange_to_cidrs

from generator import ipsets
from generator.cidrs import range_cidrs
from generator.ipsets import GroupSet, IpPolicy, collapse, normalise, shard
from generator.model import Shard

SMALL_ZONE = 40  # shrunk zone size so a few hundred CIDRs span several zones

POLICY = IpPolicy(allow_ipv6=True)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Shrinking a failing sharding example re-plans hundreds of CIDRs thousands of times (minutes);
# report the failing example as found instead, to keep a regression from stalling CI.
NO_SHRINK = settings(FAST, phases=[Phase.explicit, Phase.reuse, Phase.generate])


@st.composite
def v4_cidrs(draw: st.DrawFn) -> str:
    """Network-aligned CIDRs inside 8.8.0.0/16, dense enough to overlap and touch."""
    prefix = draw(st.integers(min_value=22, max_value=32))
    offset = draw(st.integers(min_value=0, max_value=(1 << (prefix - 16)) - 1)) << (32 - prefix)
    return str(IPNetwork((IPNetwork("8.8.0.0/16").first + offset, prefix), version=4))


@st.composite
def v6_cidrs(draw: st.DrawFn) -> str:
    prefix = draw(st.integers(min_value=36, max_value=128))
    offset = draw(st.integers(min_value=0, max_value=(1 << (prefix - 32)) - 1)) << (128 - prefix)
    return str(IPNetwork((IPNetwork("2606:4700::/32").first + offset, prefix), version=6))


mixed = st.lists(st.one_of(v4_cidrs(), v6_cidrs()), min_size=1, max_size=120)


def run(values: Sequence[str]) -> list[str]:
    return collapse(normalise(values, POLICY, str))


@FAST
@given(mixed)
def test_collapse_preserves_exactly_the_covered_addresses(values: list[str]) -> None:
    result = run(values)
    assert IPSet(result) == IPSet(values)
    assert [str(n) for n in cidr_merge(result)] == result  # nothing left to merge: minimal
    networks = [IPNetwork(c) for c in result]
    for left, right in pairwise(networks):  # sorted, disjoint
        assert (left.version, left.last) < (right.version, right.first)


@FAST
@given(st.sampled_from([4, 6]), st.data())
def test_range_cidrs_matches_netaddr(version: int, data: st.DataObject) -> None:
    top = (1 << (32 if version == 4 else 128)) - 1
    first = data.draw(st.integers(min_value=0, max_value=top))
    last = data.draw(st.integers(min_value=first, max_value=top))
    expected = iprange_to_cidrs(IPAddress(first, version), IPAddress(last, version))
    assert range_cidrs(version, first, last) == [str(n) for n in expected]


def test_range_cidrs_edges() -> None:
    assert range_cidrs(4, 0, (1 << 32) - 1) == ["0.0.0.0/0"]
    assert range_cidrs(6, 0, (1 << 128) - 1) == ["::/0"]
    assert range_cidrs(4, 1, 2) == ["0.0.0.1/32", "0.0.0.2/32"]


@contextmanager
def small_zones() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ipsets, "MAX_ENTRIES_PER_ZONE", SMALL_ZONE)
        yield


def zones(shards: Sequence[Shard]) -> dict[tuple[str, int], tuple[str, ...]]:
    return {(s.group, s.index): s.gateways for s in shards}


def changed(before: Sequence[Shard], after: Sequence[Shard]) -> int:
    old, new = zones(before), zones(after)
    return sum(1 for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def assignment(shards: Sequence[Shard]) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for s in shards:
        result.setdefault(s.group, {}).update(dict.fromkeys(s.gateways, s.index))
    return result


def plan(values: Sequence[str], previous: Sequence[Shard] | None = None) -> list[Shard]:
    group = GroupSet("corporate", tuple(run(values)))
    return shard([group], assignment(previous) if previous else None)


@FAST
@given(st.lists(st.one_of(v4_cidrs(), v6_cidrs()), min_size=1, max_size=300))
def test_shards_are_bounded_complete_and_deterministic(values: list[str]) -> None:
    with small_zones():
        first = plan(values)
        again = plan(list(reversed(values)))
        relock = plan(values, first)
    assert first == again == relock
    assert all(0 < len(s.gateways) <= SMALL_ZONE for s in first)
    assert IPSet(c for s in first for c in s.gateways) == IPSet(values)
    assert all(len({":" in c for c in s.gateways}) == 1 for s in first)  # v4 and v6 apart


CELLS = 1024  # 8.8.0.0/16 cut into /26 cells; CIDRs in different cells never overlap


def cell_cidr(cell: int, prefix: int, offset: int) -> str:
    """A network-aligned CIDR of `prefix` (26-32) inside /26 cell `cell` of 8.8.0.0/16."""
    size = 1 << (32 - prefix)
    first = IPNetwork("8.8.0.0/16").first + cell * 64 + (offset % (64 // size)) * size
    return str(IPNetwork((first, prefix), version=4))


@st.composite
def disjoint_v4(draw: st.DrawFn, min_size: int, max_size: int) -> list[str]:
    """Non-overlapping CIDRs (one per distinct cell; neighbours may touch and merge)."""
    cells = draw(
        st.lists(
            st.integers(min_value=0, max_value=CELLS - 1),
            min_size=min_size,
            max_size=max_size,
            unique=True,
        )
    )
    shapes = st.tuples(st.integers(min_value=26, max_value=32), st.integers(0, 63))
    return [cell_cidr(cell, *draw(shapes)) for cell in cells]


@NO_SHRINK
@given(disjoint_v4(min_size=61, max_size=251), st.integers(min_value=0, max_value=2))
def test_adding_one_cidr_changes_at_most_two_zones(values: list[str], steps: int) -> None:
    base, extra = values[:-1], values[-1]
    with small_zones():
        shards = plan(base)
        for _ in range(steps):  # start from layouts already shaped by earlier stable runs
            base = base[1:]
            shards = plan(base, shards)
        after = plan([*base, extra], shards)
    assert changed(shards, after) <= 2
    assert IPSet(c for s in after for c in s.gateways) == IPSet([*base, extra])


@NO_SHRINK
@given(disjoint_v4(min_size=60, max_size=250), st.data())
def test_removing_one_cidr_changes_at_most_two_zones(base: list[str], data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(base) - 1))
    rest = base[:index] + base[index + 1 :]
    with small_zones():
        shards = plan(base)
        after = plan(rest, shards)
    assert changed(shards, after) <= 2
    assert IPSet(c for s in after for c in s.gateways) == IPSet(rest)


def test_disjoint_strategy_never_overlaps() -> None:
    """The stability tests above assert on every example only because inputs never overlap."""
    every_shape = [cell_cidr(7, prefix, offset) for prefix in range(26, 33) for offset in (0, 63)]
    assert all(IPNetwork(c) in IPNetwork("8.8.1.192/26") for c in every_shape)
    neighbours = [cell_cidr(cell, 26, 0) for cell in range(CELLS)]
    assert IPSet(neighbours).size == sum(IPNetwork(c).size for c in neighbours)
