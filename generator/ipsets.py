"""Trusted IP sets: parse, canonicalise, check, collapse and shard CIDRs into Okta-sized zones.

Canonicalisation: a bare address becomes a host CIDR (`/32`, `/128`); IPv6 is written compressed
and lower-case. A CIDR with host bits set (`10.1.2.3/24`) is an ERROR, not silently fixed: in an
allowlist it is ambiguous (the /24 network or the single host?), so the author must say which.

Special ranges (private, loopback, link-local, multicast, reserved; netaddr's IANA tables) are
refused when a CIDR overlaps them, unless `allow_private` (private-use and shared CGNAT space
only) or `allow_ranges` (explicit CIDRs) allows them. `0.0.0.0/0` and `::/0` are always refused,
also when several CIDRs add up to them (`0.0.0.0/1` + `128.0.0.0/1`): the check runs on the union
of every source. The breadth rail refuses a union wider than one `/max_breadth_prefix` (default
/8, 16.7 million IPv4 addresses; IPv6 measured 24 bits longer, a /32 by default, as RIRs size an
IPv4 /24 site and an IPv6 /48 one), naming the widest ranges. IPv6 is refused unless `allow_ipv6`.

Sharding is stable: the previous run's CIDR → shard assignment (from the lock file) is kept, new
CIDRs join the shard of their neighbour in sorted order, and a full shard spills into a new one,
so adding or removing one non-overlapping CIDR changes at most two zones.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from operator import itemgetter

import netaddr.ip as netaddr_ip
from netaddr import IPNetwork, IPSet

from generator.cidrs import Entry, entry, parse_cidr, range_cidrs
from generator.errors import InputError
from generator.model import Shard
from generator.settings import SafetyConfig
from generator.sources.base import SourceResult

MAX_ENTRIES_PER_ZONE = 150  # Okta: gateways (and, separately, proxies) per non-blocklist zone
MAX_ZONES = 96  # Okta's 100 zones per org minus the 4 system zones
MAX_ENTRIES_PER_ORG = 25_000  # Okta: gateway + proxy entries across the org
DEFAULT_MAX_BREADTH_PREFIX = 8  # at most one /8 worth of IPv4 addresses, one /32 of IPv6
IPV6_BREADTH_OFFSET = 24  # an IPv4 /N is as broad as an IPv6 /(N+24) (RIR allocation sizes)
_WIDEST_SHOWN = 3

Interval = tuple[int, int, str]  # first, last, category

_CATEGORIES: tuple[tuple[str, tuple[object, ...]], ...] = (
    (
        "private",
        (
            *netaddr_ip.IPV4_PRIVATE_USE,
            IPNetwork("100.64.0.0/10"),  # shared address space (carrier-grade NAT)
            netaddr_ip.IPV6_UNIQUE_LOCAL,
        ),
    ),
    ("loopback", (netaddr_ip.IPV4_LOOPBACK, netaddr_ip.IPV6_LOOPBACK)),
    ("link-local", (netaddr_ip.IPV4_LINK_LOCAL, netaddr_ip.IPV6_LINK_LOCAL)),
    ("multicast", (netaddr_ip.IPV4_MULTICAST, netaddr_ip.IPV6_MULTICAST)),
    (
        "reserved",
        (
            *netaddr_ip.IPV4_RESERVED,
            *netaddr_ip.IPV4_NOT_GLOBALLY_REACHABLE,
            *netaddr_ip.IPV6_RESERVED,
            *netaddr_ip.IPV6_NOT_GLOBALLY_REACHABLE,
        ),
    ),
)


@dataclass(frozen=True)
class IpPolicy:
    allow_private: bool = False
    allow_ipv6: bool = False
    allow_ranges: tuple[str, ...] = ()
    max_breadth_prefix: int = DEFAULT_MAX_BREADTH_PREFIX

    @classmethod
    def from_safety(cls, safety: SafetyConfig) -> IpPolicy:
        return cls(
            safety.allow_private,
            safety.allow_ipv6,
            safety.allow_ranges,
            safety.max_breadth_prefix,
        )


@dataclass(frozen=True)
class GroupSet:
    """One source group's collapsed CIDRs (canonical strings, sorted by version then address)."""

    group: str
    cidrs: tuple[str, ...]
    as_proxies: bool = False
    inputs: tuple[str, ...] = ()  # canonical input CIDRs before collapsing, sorted, unique


_first = itemgetter(1)


class SpecialRanges:
    """The special ranges `policy` does not allow: disjoint, sorted (first, last, category)
    intervals per IP version, for bisect lookups."""

    def __init__(self, policy: IpPolicy) -> None:
        allowed = IPSet(parse_cidr(c) for c in policy.allow_ranges)
        covered = IPSet()
        intervals: dict[int, list[Interval]] = {4: [], 6: []}
        for category, ranges in _CATEGORIES:
            block = IPSet(ranges) - covered
            covered |= block
            if category == "private" and policy.allow_private:
                continue
            for cidr in (block - allowed).iter_cidrs():
                intervals[cidr.version].append((cidr.first, cidr.last, category))
        self._firsts = {v: [i[0] for i in sorted(ivs)] for v, ivs in intervals.items()}
        self._intervals = {v: sorted(ivs) for v, ivs in intervals.items()}

    def category(self, version: int, first: int, last: int) -> str | None:
        index = bisect_right(self._firsts[version], last) - 1
        if index >= 0:
            _, end, category = self._intervals[version][index]
            if end >= first:
                return category
        return None


def normalise(values: Sequence[str], policy: IpPolicy, where: Callable[[int], str]) -> list[Entry]:
    """Parse and check every value; `where(i)` names value i in error messages (provenance)."""
    category = SpecialRanges(policy).category
    entries: list[Entry] = []
    append = entries.append
    for index, value in enumerate(values):
        try:
            item = entry(value)
        except ValueError as error:
            raise InputError(f"{where(index)}: {error}") from None
        version, first, last, text = item
        if first == 0 and last in (0xFFFFFFFF, (1 << 128) - 1):
            raise InputError(f"{where(index)}: {text} trusts the whole Internet; refused")
        if version == 6 and not policy.allow_ipv6:
            raise InputError(
                f"{where(index)}: IPv6 range {text} refused (Okta does not document IPv6 "
                "zone gateways; set safety.allow_ipv6: true to allow)"
            )
        found = category(version, first, last)
        if found is not None:
            hint = "safety.allow_private" if found == "private" else "safety.allow_ranges"
            raise InputError(
                f"{where(index)}: {text} overlaps {found} address space; refused "
                f"(allow explicitly with {hint})"
            )
        append(item)
    return entries


def collapse(entries: Iterable[Entry]) -> list[str]:
    """The smallest list of canonical CIDRs covering exactly the same addresses, in address order.

    Sorted CIDRs are swept into runs of touching or overlapping ones. A run that one of its CIDRs
    covers (the common case: a lone CIDR, or CIDRs nested in one) is that CIDR's text; any other
    run is an address range cut into the fewest aligned CIDRs. Integer arithmetic only, so
    200,000 CIDRs collapse without building a netaddr object per CIDR; the property tests check
    the result against `netaddr.cidr_merge` and `IPSet`.
    """
    v4: list[Entry] = []
    v6: list[Entry] = []
    for item in entries:
        (v4 if item[0] == 4 else v6).append(item)
    v4.sort(key=_first)  # by first address only: much cheaper than comparing whole tuples
    v6.sort(key=_first)
    items = v4 + v6
    result: list[str] = []
    append = result.append
    total = len(items)
    index = 0
    while index < total:
        version, first, last, _ = items[index]
        end = index + 1
        while end < total and items[end][1] <= last + 1 and items[end][0] == version:
            if items[end][2] > last:
                last = items[end][2]
            end += 1
        cover = index  # a CIDR covering the run starts where the run starts
        while cover < end and items[cover][1] == first and items[cover][2] != last:
            cover += 1
        if cover < end and items[cover][1] == first:
            append(items[cover][3])
        else:
            result.extend(range_cidrs(version, first, last))
        index = end
    return result


def build_group_sets(sources: Sequence[SourceResult], policy: IpPolicy) -> list[GroupSet]:
    """Normalise, check and collapse each source; refuse an empty trusted set, and a union of
    every source that is the whole Internet or broader than the breadth rail allows."""
    groups: list[GroupSet] = []
    for source in sources:
        cidrs = source.cidrs
        entries = normalise(source.values, policy, lambda i, c=cidrs: c[i].describe())  # type: ignore[misc]
        inputs = tuple(dict.fromkeys(e[3] for e in sorted(entries)))
        groups.append(GroupSet(source.name, tuple(collapse(entries)), source.as_proxies, inputs))
    if not any(group.cidrs for group in groups):
        raise InputError(
            "no trusted egress IPs: enable egress.netskope.shared or list dedicated, corporate "
            "or feed CIDRs (an empty trusted set would lock every admin out)"
        )
    check_breadth(groups, policy.max_breadth_prefix)
    return groups


def check_breadth(groups: Sequence[GroupSet], max_prefix: int) -> None:
    """Refuse a union of `groups` that covers a whole address family, or more addresses than one
    IPv4 /`max_prefix` (IPv6: /`max_prefix + 24`); the message names the widest ranges and the
    sources that list them."""
    owners: dict[Entry, list[str]] = defaultdict(list)  # input ranges as the sources list them
    for group in groups:
        for cidr in group.inputs or group.cidrs:
            owners[entry(cidr)].append(group.group)
    union = [entry(cidr) for cidr in collapse(owners)]
    for version, bits in ((4, 32), (6, 128)):
        covered = sum(last - first + 1 for v, first, last, _ in union if v == version)
        limit_prefix = max_prefix + (IPV6_BREADTH_OFFSET if version == 6 else 0)
        if covered < 1 << (bits - limit_prefix):
            continue
        ranges = sorted((e for e in owners if e[0] == version), key=lambda e: (e[1] - e[2], e[1]))
        named = ", ".join(f"{e[3]} ({', '.join(owners[e])})" for e in ranges[:_WIDEST_SHOWN])
        if covered == 1 << bits:
            raise InputError(
                f"together the sources trust the whole IPv{version} Internet "
                f"({'0.0.0.0/0' if version == 4 else '::/0'}); widest ranges: {named}; refused"
            )
        raise InputError(
            f"the trusted set covers {covered:,} IPv{version} addresses, at least one "
            f"/{limit_prefix} (safety.max_breadth_prefix: {max_prefix}); widest ranges: {named}. "
            "Ranges this wide trust networks you do not control: narrow them, or lower "
            "safety.max_breadth_prefix to allow it explicitly"
        )


def _sort_key(cidr: str) -> tuple[int, int]:
    version, first, _, _ = entry(cidr)
    return version, first


def _fresh(cidrs: Sequence[str], start: int = 1) -> list[tuple[int, list[str]]]:
    """Deterministic packing: chunks of 150 in address order, a new shard at the v4/v6 boundary."""
    shards: list[tuple[int, list[str]]] = []
    current: list[str] = []
    current_version = 0
    for cidr in cidrs:
        version = 6 if ":" in cidr else 4
        if current and (len(current) == MAX_ENTRIES_PER_ZONE or version != current_version):
            shards.append((start + len(shards), current))
            current = []
        current.append(cidr)
        current_version = version
    if current:
        shards.append((start + len(shards), current))
    return shards


def _stable(cidrs: Sequence[str], previous: Mapping[str, int]) -> list[tuple[int, list[str]]]:
    """Keep previous assignments; place new CIDRs beside their neighbours; spill full shards.

    Linear in the number of CIDRs when they are all in `previous` (a re-run with unchanged
    sources): only CIDRs the lock does not know are parsed and looked up by address.
    """
    assigned: list[int | None] = [previous.get(cidr) for cidr in cidrs]
    versions = [6 if ":" in cidr else 4 for cidr in cidrs]
    if None in assigned:
        _place_new(cidrs, previous, assigned, versions)
    buckets: dict[int, list[str]] = defaultdict(list)
    homeless: list[str] = []
    for cidr, index in zip(cidrs, assigned, strict=True):
        (homeless if index is None else buckets[index]).append(cidr)
    spill: list[str] = list(homeless)
    for index, members in buckets.items():
        if len(members) > MAX_ENTRIES_PER_ZONE:
            kept = [c for c in members if c in previous][:MAX_ENTRIES_PER_ZONE]
            kept_set = set(kept)
            room = MAX_ENTRIES_PER_ZONE - len(kept)
            extra = [c for c in members if c not in kept_set]
            buckets[index] = sorted(kept + extra[:room], key=_sort_key)
            spill += extra[room:]
    free = (i for i in count(1) if i not in buckets)
    for _, members in _fresh(sorted(spill, key=_sort_key)):
        buckets[next(free)] = members
    return sorted(buckets.items())


def _place_new(
    cidrs: Sequence[str],
    previous: Mapping[str, int],
    assigned: list[int | None],
    versions: Sequence[int],
) -> None:
    """Shards for the CIDRs the lock does not know (`assigned[i] is None`), in place."""
    prev_sorted = sorted((*entry(c)[:3], index) for c, index in previous.items())
    prev_firsts = [(v, first) for v, first, _, _ in prev_sorted]
    for i, cidr in enumerate(cidrs):
        if assigned[i] is not None:
            continue
        version, first, last, _ = entry(cidr)
        # merged or split CIDRs inherit the shard of the first previous CIDR they overlap
        pos = bisect_right(prev_firsts, (version, last)) - 1
        owner = None
        while pos >= 0 and prev_sorted[pos][0] == version and prev_sorted[pos][2] >= first:
            owner = prev_sorted[pos][3]
            pos -= 1
        assigned[i] = owner
    for order in (range(len(cidrs)), range(len(cidrs) - 1, -1, -1)):  # neighbour fill
        neighbour: tuple[int, int] | None = None
        for i in order:
            index = assigned[i]
            if index is not None:
                neighbour = (versions[i], index)
            elif neighbour is not None and neighbour[0] == versions[i]:
                assigned[i] = neighbour[1]


def shard(
    groups: Sequence[GroupSet],
    previous: Mapping[str, Mapping[str, int]] | None = None,
    *,
    max_zones: int | None = MAX_ZONES,
    max_entries: int | None = MAX_ENTRIES_PER_ORG,
) -> list[Shard]:
    """Shards for every group; `previous` maps group → {cidr: shard index} from the lock file.

    `max_zones` / `max_entries` are Okta's org limits; None lifts one (benchmarks and tools that
    shard more than one org holds).
    """
    plans: dict[str, list[tuple[int, list[str]]]] = {}
    for group in groups:
        before = (previous or {}).get(group.group)
        plans[group.group] = _stable(group.cidrs, before) if before else _fresh(group.cidrs)
    if max_zones is not None and sum(map(len, plans.values())) > max_zones:
        plans = {group.group: _fresh(group.cidrs) for group in groups}  # fragmented: repack
        zones = sum(map(len, plans.values()))
        if zones > max_zones:
            raise InputError(
                f"trusted set needs {zones} zones of ≤{MAX_ENTRIES_PER_ZONE} entries; Okta "
                f"allows {max_zones} besides the system zones"
            )
    proxies = {group.group: group.as_proxies for group in groups}
    shards = [
        Shard(name, index, tuple(members), tuple(members) if proxies[name] else ())
        for name, plan in plans.items()
        for index, members in plan
    ]
    entries = sum(len(s.gateways) + len(s.proxies) for s in shards)
    if max_entries is not None and entries > max_entries:
        raise InputError(
            f"trusted set has {entries} gateway+proxy entries; Okta allows {max_entries}"
        )
    return sorted(shards, key=lambda s: (s.group, s.index))
