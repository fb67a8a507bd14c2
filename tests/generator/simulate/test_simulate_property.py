"""Property tests: the symbolic partition is exact (agrees with point evaluation everywhere it is
probed), covers all of IPv4 + IPv6 exactly once and is maximal (adjacent intervals differ)."""

from __future__ import annotations

import bisect
import itertools
from typing import Any

import netaddr
from hypothesis import given, settings
from hypothesis import strategies as st
from simulate_strategies import network_conditions, people_conditions

from generator.simulate import PolicySet, Principal, evaluate, partition
from generator.simulate.addresses import (
    SPACE_END,
    V6_OFFSET,
    AddressSet,
    format_address,
    parse_address,
)
from generator.simulate.network import MAX_CHAIN, client_set, zone_contains_chain
from generator.simulate.policyset import (
    AppPolicy,
    AppRule,
    NetZone,
    SignOnPolicy,
    SignOnRule,
)

V4_BASE = int(netaddr.IPAddress("10.0.0.0"))
V6_BASE = int(netaddr.IPAddress("2001:db8::"))
GROUPS = ("A", "B", "C")
USERS = ("u1", "u2")


@st.composite
def cidrs(draw: Any) -> str:
    if draw(st.booleans()):
        edge: str = draw(
            st.sampled_from(["0.0.0.0/1", "255.255.255.255/32", "::/128", "ffff::/16"])
        )
        if draw(st.integers(0, 5)) == 0:
            return edge
        prefix = draw(st.integers(22, 32))
        address = netaddr.IPAddress(V4_BASE + draw(st.integers(0, 1 << 12)), 4)
    else:
        prefix = draw(st.integers(118, 128))
        address = netaddr.IPAddress(V6_BASE + draw(st.integers(0, 1 << 12)), 6)
    return str(netaddr.IPNetwork(f"{address}/{prefix}").cidr)


@st.composite
def zones(draw: Any) -> tuple[NetZone, ...]:
    count = draw(st.integers(1, 4))
    result = []
    for index in range(count):
        result.append(
            NetZone(
                id=f"z{index}",
                name=f"zone {index}",
                status=draw(st.sampled_from(["ACTIVE", "ACTIVE", "INACTIVE"])),
                usage=draw(st.sampled_from(["POLICY", "POLICY", "POLICY", "BLOCKLIST"])),
                gateways=AddressSet.parse(draw(st.lists(cidrs(), max_size=4))),
                proxies=AddressSet.parse(draw(st.lists(cidrs(), max_size=2))),
                exempt=draw(st.integers(0, 6)) == 0,
            )
        )
    return tuple(result)


@st.composite
def policy_sets(draw: Any) -> PolicySet:
    zone_set = draw(zones())
    zone_ids = [zone.id for zone in zone_set]
    statuses = st.sampled_from(["ACTIVE", "ACTIVE", "INACTIVE"])
    access = st.sampled_from(["ALLOW", "DENY"])
    policies = []
    for p in range(draw(st.integers(0, 3))):
        rules = tuple(
            SignOnRule(
                id=f"p{p}r{r}",
                name=f"p{p}r{r}",
                priority=draw(st.integers(1, 5)),
                access=draw(access),
                network=draw(network_conditions([*zone_ids, "ALL_ZONES"], max_size=3)),
                people=draw(people_conditions(GROUPS, USERS, include_users=False)),
                status=draw(statuses),
                mfa_required=draw(st.booleans()),
            )
            for r in range(draw(st.integers(0, 3)))
        )
        groups = tuple(draw(st.lists(st.sampled_from(GROUPS), max_size=2, unique=True)))
        policies.append(
            SignOnPolicy(
                f"p{p}", f"p{p}", draw(st.integers(1, 5)), groups, rules, status=draw(statuses)
            )
        )
    console_rules = tuple(
        AppRule(
            id=f"c{r}",
            name=f"c{r}",
            priority=draw(st.integers(1, 5)),
            access=draw(access),
            network=draw(network_conditions([*zone_ids, "ALL_ZONES"], max_size=3)),
            people=draw(people_conditions(GROUPS, USERS, include_users=False)),
            status=draw(statuses),
        )
        for r in range(draw(st.integers(0, 3)))
    )
    return PolicySet(zone_set, tuple(policies), AppPolicy("c", "console", console_rules), "live")


principals = st.builds(
    lambda users, groups: Principal.of("p", users=tuple(users), groups=tuple(groups)),
    st.lists(st.sampled_from(USERS), max_size=1),
    st.lists(st.sampled_from(GROUPS), max_size=2, unique=True),
)
points = st.one_of(
    st.integers(0, SPACE_END),
    st.integers(V4_BASE - 16, V4_BASE + (1 << 13)),
    st.integers(V6_OFFSET + V6_BASE - 16, V6_OFFSET + V6_BASE + (1 << 13)),
)


def vias(policy_set: PolicySet) -> Any:
    """Proxy chains: random hops drawn from the zones' own addresses, or a run of one zone's
    trusted proxies (up to past Okta's five-address limit), optionally after a gateway."""
    candidates = ["10.0.0.1", "2001:db8::1", "192.0.2.1"]
    for zone in policy_set.zones:
        for first, last in (*zone.gateways.intervals, *zone.proxies.intervals):
            candidates += [format_address(first), format_address(last)]
    random_hops = st.lists(st.sampled_from(candidates), max_size=MAX_CHAIN + 2)
    through_proxies = [proxy_runs(zone) for zone in policy_set.zones if zone.proxies.intervals]
    return st.one_of(random_hops, *through_proxies)


@st.composite
def proxy_runs(draw: Any, zone: NetZone) -> list[str]:
    """4 to 6 trusted proxies of `zone` that are not its gateways (around Okta's five-address
    limit), sometimes after one of its gateways: the chain Okta walks until it gives up."""
    proxy_only = [
        part for first, last in zone.proxies.intervals for part in zone.gateways.minus(first, last)
    ]
    ends = [format_address(point) for part in proxy_only for point in part]
    if not ends:
        return []
    size = draw(st.sampled_from([MAX_CHAIN - 1, MAX_CHAIN, MAX_CHAIN + 1]))
    hops: list[str] = draw(st.lists(st.sampled_from(ends), min_size=size, max_size=size))
    gateways = [format_address(p) for interval in zone.gateways.intervals for p in interval]
    if gateways and draw(st.integers(0, 2)) == 0:
        hops.insert(0, draw(st.sampled_from(gateways)))
    return hops


@settings(max_examples=150, deadline=None)
@given(policy_sets(), principals, st.lists(points, min_size=1, max_size=25), st.data())
def test_partition_is_exact_and_maximal(
    policy_set: PolicySet, principal: Principal, probes: list[int], data: st.DataObject
) -> None:
    via = data.draw(vias(policy_set))
    segments = partition(policy_set, principal, via)
    # Exact cover, no overlap, never across the IPv4/IPv6 boundary.
    assert segments[0].first == 0 and segments[-1].last == SPACE_END
    for left, right in itertools.pairwise(segments):
        assert left.first <= left.last and right.first == left.last + 1
        assert (left.first < V6_OFFSET) == (left.last < V6_OFFSET)
        if right.first != V6_OFFSET:
            assert left.decision != right.decision  # maximal: equal neighbours are merged
    # Agreement with point evaluation at every segment edge and at random addresses.
    starts = [segment.first for segment in segments]
    edges = [p for segment in segments for p in (segment.first, segment.last)]
    for point in [*edges, *probes]:
        segment = segments[bisect.bisect_right(starts, point) - 1]
        assert segment.first <= point <= segment.last
        expected = evaluate(policy_set, principal, format_address(point), via)
        assert segment.decision == expected, format_address(point)


@st.composite
def proxied_zones(draw: Any) -> NetZone:
    """An active zone with gateways and trusted proxies (the proxies may overlap the gateways)."""
    return NetZone(
        id="z",
        name="zone",
        gateways=AddressSet.parse(draw(st.lists(cidrs(), min_size=1, max_size=3))),
        proxies=AddressSet.parse(draw(st.lists(cidrs(), min_size=1, max_size=3))),
    )


@settings(max_examples=200, deadline=None)
@given(proxied_zones(), st.data())
def test_client_set_agrees_with_the_chain_walk(zone: NetZone, data: st.DataObject) -> None:
    # The symbolic client set of a zone (what `partition` sweeps) against Okta's chain walk for
    # one request, including chains at and past the five-address limit.
    via = data.draw(st.one_of(proxy_runs(zone), vias(PolicySet((zone,), (), None, "live"))))
    hops = [parse_address(hop) for hop in via]
    clients = data.draw(st.lists(points, max_size=10))
    clients += [p for first, last in zone.gateways.intervals for p in (first, last)]
    inside = client_set(zone, hops)
    for client in clients:
        assert (client in inside) == zone_contains_chain(zone, [client, *hops]), (
            format_address(client),
            via,
        )
