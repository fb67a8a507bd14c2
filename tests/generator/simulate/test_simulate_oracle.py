"""Brute-force oracle: on a small address space (10.0.0.0/24 plus a few addresses elsewhere), every
address's decision in the symbolic partition equals an independent evaluation written here from
the documented semantics (docs/simulate.md), sharing no code with the simulator's `decide`,
zone matching or address sets: zones are the same CIDR strings read with the standard library's
`ipaddress` (the simulator uses netaddr)."""

from __future__ import annotations

import bisect
import functools
import ipaddress
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from simulate_strategies import network_conditions, people_conditions

from generator.simulate import PolicySet, Principal, partition
from generator.simulate.addresses import AddressSet, parse_address
from generator.simulate.policyset import (
    AppPolicy,
    AppRule,
    NetworkCondition,
    NetZone,
    PeopleCondition,
    SignOnPolicy,
    SignOnRule,
)

OUTSIDE = ("0.0.0.0", "9.255.255.255", "10.0.1.0", "255.255.255.255", "::", "2001:db8::5")
UNIVERSE = tuple(f"10.0.0.{host}" for host in range(256)) + OUTSIDE
GROUPS = ("Everyone", "A", "B")
USERS = ("u1", "u2")
CHAIN_LIMIT = 5  # Okta checks at most five addresses of the IP chain
ALL = ("ALL_ZONES", "ALL_IP_ZONES")


@dataclass(frozen=True)
class ZoneSpec:
    id: str
    active: bool
    usage: str
    exempt: bool
    gateways: tuple[str, ...]
    proxies: tuple[str, ...]


@st.composite
def cidrs(draw: Any) -> str:
    if draw(st.integers(0, 9)) == 0:
        return str(draw(st.sampled_from(["10.0.0.0/16", "0.0.0.0/0", "2001:db8::/64", "::/0"])))
    prefix = draw(st.integers(24, 32))
    host = draw(st.integers(0, 255))
    return str(ipaddress.ip_network(f"10.0.0.{host}/{prefix}", strict=False))


@st.composite
def proxy_cidrs(draw: Any) -> str:
    """Half inside the client space, half in 192.0.2.0/24 (proxies that are not gateways)."""
    if draw(st.booleans()):
        return str(draw(cidrs()))
    host, prefix = draw(st.integers(0, 255)), draw(st.integers(28, 32))
    return str(ipaddress.ip_network(f"192.0.2.{host}/{prefix}", strict=False))


@st.composite
def zone_specs(draw: Any) -> tuple[ZoneSpec, ...]:
    return tuple(
        ZoneSpec(
            id=f"z{index}",
            active=draw(st.integers(0, 3)) > 0,
            usage=draw(st.sampled_from(["POLICY", "POLICY", "POLICY", "BLOCKLIST"])),
            exempt=draw(st.integers(0, 3)) == 0,
            gateways=tuple(draw(st.lists(cidrs(), max_size=3))),
            proxies=tuple(
                draw(st.lists(proxy_cidrs(), min_size=draw(st.integers(0, 1)), max_size=2))
            ),
        )
        for index in range(draw(st.integers(1, 4)))
    )


@st.composite
def policy_sets(draw: Any) -> tuple[tuple[ZoneSpec, ...], PolicySet]:
    specs = draw(zone_specs())
    ids = [spec.id for spec in specs]
    status = st.sampled_from(["ACTIVE", "ACTIVE", "INACTIVE"])
    access = st.sampled_from(["ALLOW", "DENY"])
    # Okta priorities are unique within a list: permutations, so no tie-breaking is assumed.
    policy_count = draw(st.integers(1, 3))
    policies = []
    for p, priority in enumerate(draw(st.permutations(range(1, policy_count + 1)))):
        rule_count = draw(st.integers(1, 3))
        rule_priorities = draw(st.permutations(range(1, rule_count + 1)))
        rules = tuple(
            SignOnRule(
                id=f"p{p}r{r}",
                name=f"p{p}r{r}",
                priority=rule_priority,
                access=draw(access),
                network=draw(network_conditions([*ids, *ALL], max_size=2)),
                people=draw(people_conditions(GROUPS, USERS, include_users=True)),
                status=draw(status),
                mfa_required=draw(st.booleans()),
            )
            for r, rule_priority in enumerate(rule_priorities)
        )
        groups = st.lists(st.sampled_from(GROUPS), max_size=2, unique=True).map(tuple)
        policies.append(
            SignOnPolicy(
                f"p{p}",
                f"p{p}",
                priority,
                draw(groups),
                rules,
                groups_exclude=draw(groups),
                status=draw(status),
            )
        )
    console_count = draw(st.integers(1, 3))
    console = tuple(
        AppRule(
            id=f"c{r}",
            name=f"c{r}",
            priority=priority,
            access=draw(access),
            network=draw(network_conditions([*ids, *ALL], max_size=2)),
            people=draw(people_conditions(GROUPS, USERS, include_users=True)),
            status=draw(status),
        )
        for r, priority in enumerate(draw(st.permutations(range(1, console_count + 1))))
    )
    zones = tuple(
        NetZone(
            id=spec.id,
            name=spec.id,
            status="ACTIVE" if spec.active else "INACTIVE",
            usage="BLOCKLIST" if spec.usage == "BLOCKLIST" else "POLICY",
            gateways=AddressSet.parse(spec.gateways),
            proxies=AddressSet.parse(spec.proxies),
            exempt=spec.exempt,
        )
        for spec in specs
    )
    return specs, PolicySet(zones, tuple(policies), AppPolicy("c", "console", console), "live")


# -- the oracle -------------------------------------------------------------------------------
Outcome = tuple[str, str | None, bool, str, str | None]  # session access/rule/MFA, console


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def parsed_networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr) for cidr in cidrs)


def member(address: Address, cidrs: tuple[str, ...]) -> bool:
    return any(address in net for net in parsed_networks(cidrs))  # False across families


def inside(spec: ZoneSpec, chain: list[Address]) -> bool:
    """Okta's walk over the IP chain from the connecting address leftwards."""
    if not spec.active:
        return False
    for address in list(reversed(chain))[:CHAIN_LIMIT]:
        if member(address, spec.gateways):
            return True
        if not member(address, spec.proxies):
            return False
    return False


def oracle(
    specs: tuple[ZoneSpec, ...],
    policy_set: PolicySet,
    users: set[str],
    groups: set[str],
    chain: list[Address],
) -> Outcome:
    hit = {spec.id for spec in specs if inside(spec, chain)}
    if not any(s.exempt and s.id in hit for s in specs) and any(
        s.usage == "BLOCKLIST" and s.id in hit for s in specs
    ):
        return ("DENY", None, False, "DENY", None)
    policy_zones = {s.id for s in specs if s.active and s.usage == "POLICY"}

    def in_any(ids: tuple[str, ...]) -> bool:
        return any((i in ALL and bool(hit & policy_zones)) or i in hit for i in ids)

    def network_ok(condition: NetworkCondition) -> bool:
        if condition.connection == "ANYWHERE":
            return True
        if condition.include and not in_any(condition.include):
            return False
        return not (condition.exclude and in_any(condition.exclude))

    def people_ok(people: PeopleCondition) -> bool:
        if users & set(people.users_exclude) or groups & set(people.groups_exclude):
            return False
        if not people.users_include and not people.groups_include:
            return True
        return bool(users & set(people.users_include) or groups & set(people.groups_include))

    session: tuple[str, str | None, bool] = ("DENY", None, False)
    for policy in sorted(policy_set.signon_policies, key=lambda p: p.priority):
        if policy.status != "ACTIVE" or groups & set(policy.groups_exclude):
            continue
        if policy.groups_include and not groups & set(policy.groups_include):
            continue
        rule = next(
            (
                r
                for r in sorted(policy.rules, key=lambda r: r.priority)
                if r.status == "ACTIVE" and people_ok(r.people) and network_ok(r.network)
            ),
            None,
        )
        if rule is not None:
            session = (rule.access, rule.id, rule.mfa_required and rule.access == "ALLOW")
            break
    assert policy_set.admin_console is not None
    console = next(
        (
            (r.access, r.id)
            for r in sorted(policy_set.admin_console.rules, key=lambda r: r.priority)
            if r.status == "ACTIVE" and people_ok(r.people) and network_ok(r.network)
        ),
        ("DENY", None),
    )
    return (*session, *console)


@st.composite
def proxy_chains(draw: Any, specs: tuple[ZoneSpec, ...]) -> list[str]:
    """Random hops, or (half the time) a run of one zone's proxy addresses of length 4 to 6,
    around Okta's five-address limit."""

    def ends(cidrs: tuple[str, ...]) -> list[str]:
        return [str(a) for net in parsed_networks(cidrs) for a in (net[0], net[-1])]

    proxied = [spec for spec in specs if spec.proxies]
    if proxied and draw(st.booleans()):
        zone = draw(st.sampled_from(proxied))
        size = draw(st.sampled_from([CHAIN_LIMIT - 1, CHAIN_LIMIT, CHAIN_LIMIT + 1]))
        run: list[str] = draw(
            st.lists(st.sampled_from(ends(zone.proxies)), min_size=size, max_size=size)
        )
        return run
    hops = [*UNIVERSE[::17], *OUTSIDE, *(a for s in specs for a in ends(s.gateways + s.proxies))]
    chain: list[str] = draw(st.lists(st.sampled_from(hops), max_size=CHAIN_LIMIT + 1))
    return chain


@settings(max_examples=100, deadline=None)
@given(
    policy_sets(),
    st.lists(st.sampled_from(USERS), max_size=1),
    st.lists(st.sampled_from(GROUPS[1:]), max_size=2, unique=True),
    st.data(),
)
def test_partition_matches_the_brute_force_oracle(
    drawn: tuple[tuple[ZoneSpec, ...], PolicySet],
    users: list[str],
    groups: list[str],
    data: st.DataObject,
) -> None:
    specs, policy_set = drawn
    via: list[str] = data.draw(proxy_chains(specs))
    principal = Principal.of("p", users=tuple(users), groups=tuple(groups))
    segments = partition(policy_set, principal, via)
    starts = [segment.first for segment in segments]
    hops = [ipaddress.ip_address(hop) for hop in via]
    for address in UNIVERSE:
        point = parse_address(address)
        decision = segments[bisect.bisect_right(starts, point) - 1].decision
        session, console = decision.session, decision.admin_console
        found = (
            session.access,
            session.rule_id,
            session.mfa_required,
            console.access,
            console.rule_id,
        )
        expected = oracle(
            specs,
            policy_set,
            set(users),
            {"Everyone", *groups},
            [ipaddress.ip_address(address), *hops],
        )
        assert found == expected, (address, via)
