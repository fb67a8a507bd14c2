"""Symbolic evaluation: the whole IPv4 + IPv6 space cut into maximal equal-decision intervals.

Exact, not sampling: a decision depends on the address only through the set of zones the address
is in. Every zone boundary is collected, the zone set is tracked by a sweep across the sorted
boundaries, the decision is computed once per distinct zone set (cached), and adjacent elementary
intervals with equal decisions are merged. IPv4 and IPv6 are never merged into one interval.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from generator.simulate.addresses import (
    SPACE_END,
    V6_OFFSET,
    Interval,
    family_of,
    format_address,
    format_interval,
    normalise,
    parse_address,
)
from generator.simulate.evaluate import Decision, decide
from generator.simulate.network import client_set
from generator.simulate.policyset import PolicySet, Principal


@dataclass(frozen=True)
class Segment:
    first: int  # inclusive bounds on the unified line (see addresses.py)
    last: int
    decision: Decision

    @property
    def family(self) -> int:
        return family_of(self.first)

    @property
    def label(self) -> str:
        return format_interval(self.first, self.last)

    @property
    def first_address(self) -> str:
        return format_address(self.first)

    @property
    def last_address(self) -> str:
        return format_address(self.last)


def partition(
    policy_set: PolicySet, principal: Principal, via: Sequence[str] = ()
) -> tuple[Segment, ...]:
    """Maximal intervals covering all of IPv4 and IPv6, each with one decision."""
    cache: dict[frozenset[str], Decision] = {}
    segments: list[Segment] = []
    for start, end, inside in zone_sets(policy_set, via):
        decision = cache.get(inside)
        if decision is None:
            decision = cache[inside] = decide(policy_set, principal, inside)
        previous = segments[-1] if segments else None
        if previous is not None and previous.decision == decision and start != V6_OFFSET:
            segments[-1] = Segment(previous.first, end, decision)
        else:
            segments.append(Segment(start, end, decision))
    return tuple(segments)


def zone_sets(
    policy_set: PolicySet, via: Sequence[str] = ()
) -> Iterator[tuple[int, int, frozenset[str]]]:
    """The whole IPv4 + IPv6 space as elementary intervals (first, last) and the ids of the
    zones each is inside (the client address through the proxies in `via`); IPv4 and IPv6
    never share an interval."""
    via_points = [parse_address(hop) for hop in via]
    deltas: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for zone in policy_set.zones:
        for first, last in client_set(zone, via_points).intervals:
            deltas[first].append((zone.id, 1))
            if last < SPACE_END:
                deltas[last + 1].append((zone.id, -1))
    points = sorted({0, V6_OFFSET, *deltas})
    counts: dict[str, int] = defaultdict(int)
    for index, start in enumerate(points):
        for zone_id, delta in deltas.get(start, ()):
            counts[zone_id] += delta
        end = points[index + 1] - 1 if index + 1 < len(points) else SPACE_END
        yield start, end, frozenset(zone_id for zone_id, count in counts.items() if count > 0)


def where(
    segments: Sequence[Segment], predicate: Callable[[Decision], bool]
) -> tuple[Interval, ...]:
    """The addresses (as merged intervals) whose decision satisfies `predicate`."""
    return normalise((s.first, s.last) for s in segments if predicate(s.decision))


def segments_within(segments: Sequence[Segment], first: int, last: int) -> tuple[Segment, ...]:
    """The partition restricted to [first, last] (segments clipped at the ends)."""
    clipped: list[Segment] = []
    for segment in segments:
        if segment.last < first or segment.first > last:
            continue
        clipped.append(
            Segment(max(segment.first, first), min(segment.last, last), segment.decision)
        )
    return tuple(clipped)
