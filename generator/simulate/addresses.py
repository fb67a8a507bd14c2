"""Address sets as sorted interval tuples on one number line covering IPv4 and IPv6.

IPv4 address `a` sits at `a`; IPv6 address `b` at `V6_OFFSET + b`, so one sorted list of
intervals describes a set over both families and the two families never touch.
IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are IPv6 addresses here, as Okta zones list them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import netaddr

from generator.okta.platform import zone_entry_range

V6_OFFSET = 1 << 32
SPACE_END = V6_OFFSET + (1 << 128) - 1
Interval = tuple[int, int]  # inclusive bounds on the unified line


def parse_address(text: str) -> int:
    """A single IPv4/IPv6 address as a point on the unified line (ValueError if invalid)."""
    try:
        address = netaddr.IPAddress(text.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError) as error:
        raise ValueError(f"not an IP address: {text!r}") from error
    return _point(address.version, int(address))


def _point(version: int, value: int) -> int:
    return value if version == 4 else V6_OFFSET + value


def family_of(point: int) -> int:
    return 4 if point < V6_OFFSET else 6


def _address(point: int) -> netaddr.IPAddress:
    if point < V6_OFFSET:
        return netaddr.IPAddress(point, 4)
    return netaddr.IPAddress(point - V6_OFFSET, 6)


def normalise(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted, disjoint, non-adjacent intervals (adjacent ones joined)."""
    merged: list[list[int]] = []
    for first, last in sorted(intervals):
        if merged and first <= merged[-1][1] + 1 and family_of(first) == family_of(merged[-1][1]):
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return tuple((first, last) for first, last in merged)


@dataclass(frozen=True)
class AddressSet:
    """An immutable set of addresses: sorted, disjoint, non-adjacent inclusive intervals."""

    intervals: tuple[Interval, ...] = ()

    @classmethod
    def parse(cls, values: Iterable[str]) -> AddressSet:
        """CIDRs, single addresses or `first-last` ranges (ValueError on anything else)."""
        return cls.of_ranges(zone_entry_range(value) for value in values)

    @classmethod
    def of_ranges(cls, spans: Iterable[netaddr.IPRange]) -> AddressSet:
        return cls(
            normalise(
                (_point(span.version, span.first), _point(span.version, span.last))
                for span in spans
            )
        )

    @classmethod
    def everything(cls) -> AddressSet:
        return cls(((0, V6_OFFSET - 1), (V6_OFFSET, SPACE_END)))

    def __bool__(self) -> bool:
        return bool(self.intervals)

    def __contains__(self, point: object) -> bool:
        if not isinstance(point, int):
            return False
        index = bisect.bisect_right(self.intervals, (point, SPACE_END + 1)) - 1
        return index >= 0 and self.intervals[index][0] <= point <= self.intervals[index][1]

    def minus(self, first: int, last: int) -> tuple[Interval, ...]:
        """The parts of [first, last] outside this set."""
        gaps: list[Interval] = []
        cursor = first
        for low, high in self.intervals:
            if high < cursor:
                continue
            if low > last:
                break
            if low > cursor:
                gaps.append((cursor, low - 1))
            cursor = max(cursor, high + 1)
            if cursor > last:
                break
        if cursor <= last:
            gaps.append((cursor, last))
        return tuple(gaps)


def format_interval(first: int, last: int) -> str:
    """A CIDR when the interval is exactly one, else `first-last`."""
    low, high = _address(first), _address(last)
    cidrs = netaddr.iprange_to_cidrs(low, high)
    if len(cidrs) == 1:
        return str(cidrs[0])
    return f"{low}-{high}"


def format_address(point: int) -> str:
    return str(_address(point))
