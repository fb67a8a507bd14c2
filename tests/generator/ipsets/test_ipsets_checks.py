"""IP set checks: canonical form, host bits, special ranges, IPv6, empty sets, zone limits."""

from __future__ import annotations

import pytest

from generator.cidrs import canonical, entry
from generator.errors import InputError
from generator.ipsets import (
    MAX_ENTRIES_PER_ZONE,
    GroupSet,
    IpPolicy,
    build_group_sets,
    collapse,
    normalise,
    shard,
)
from generator.sources.base import SourcedCidr, SourceResult


def check(values: list[str], policy: IpPolicy | None = None) -> list[str]:
    return collapse(normalise(values, policy or IpPolicy(), lambda i: f"item {i}"))


def refused(values: list[str], policy: IpPolicy | None = None) -> str:
    with pytest.raises(InputError) as info:
        check(values, policy)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8.8.8.8", "8.8.8.8/32"),
        (" 8.8.8.0/24 ", "8.8.8.0/24"),
        ("2606:4700:0:0::/48", "2606:4700::/48"),
        ("2606:4700::1", "2606:4700::1/128"),
        ("2606:4700:ABCD::/48", "2606:4700:abcd::/48"),
    ],
)
def test_canonical_form(text: str, expected: str) -> None:
    assert canonical(text) == expected


@pytest.mark.parametrize("text", ["8.8.8.300", "8.8.8.0/33", "010.1.1.1", "x", "", "8.8.8.0/"])
def test_invalid_text_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="not an IP address or CIDR"):
        entry(text)


def test_host_bits_are_an_error_naming_both_readings() -> None:
    message = refused(["8.8.8.8/24"])
    assert "item 0" in message
    assert "8.8.8.0/24" in message and "8.8.8.8/32" in message


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("10.0.0.0/8", "private"),
        ("192.168.1.0/24", "private"),
        ("100.64.0.0/10", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("198.51.100.0/24", "reserved"),
        ("8.0.0.0/5", "private"),  # a wide range overlapping 10/8
    ],
)
def test_special_ranges_refused(value: str, category: str) -> None:
    message = refused(["8.8.8.0/24", value])
    assert "item 1" in message
    assert f"overlaps {category} address space" in message


@pytest.mark.parametrize("value", ["0.0.0.0/0", "::/0"])
def test_whole_internet_always_refused(value: str) -> None:
    everything = IpPolicy(allow_private=True, allow_ipv6=True, allow_ranges=("0.0.0.0/1",))
    assert "whole Internet" in refused([value], everything)


def test_allow_private_allows_only_private_use() -> None:
    policy = IpPolicy(allow_private=True)
    assert check(["10.0.0.0/8", "192.168.0.0/16"], policy) == ["10.0.0.0/8", "192.168.0.0/16"]
    assert "loopback" in refused(["127.0.0.0/8"], policy)


def test_allow_ranges_exempts_exactly_those_ranges() -> None:
    policy = IpPolicy(allow_ranges=("198.51.100.0/24",))
    assert check(["198.51.100.0/25"], policy) == ["198.51.100.0/25"]
    assert "reserved" in refused(["203.0.113.0/24"], policy)


def test_ipv6_refused_unless_allowed() -> None:
    assert "IPv6" in refused(["2606:4700::/32"])
    assert check(["2606:4700::/32"], IpPolicy(allow_ipv6=True)) == ["2606:4700::/32"]
    assert "link-local" in refused(["fe80::/64"], IpPolicy(allow_ipv6=True))


def test_collapse_merges_adjacent_and_contained_and_sorts_v4_before_v6() -> None:
    policy = IpPolicy(allow_ipv6=True)
    values = ["2606:4700::/32", "8.8.9.0/24", "8.8.8.0/24", "8.8.8.7", "1.1.1.1", "8.8.8.0/24"]
    assert check(values, policy) == ["1.1.1.1/32", "8.8.8.0/23", "2606:4700::/32"]


def source(name: str, values: list[str]) -> SourceResult:
    cidrs = tuple(SourcedCidr(v, name, "test", f"line {i + 1}") for i, v in enumerate(values))
    return SourceResult(name, "static", "test", cidrs)


def test_errors_name_source_origin_and_position() -> None:
    with pytest.raises(InputError) as info:
        build_group_sets([source("corporate", ["8.8.8.0/24", "10.0.0.0/8"])], IpPolicy())
    assert "corporate (test, line 2): '10.0.0.0/8'" in str(info.value)


def test_empty_trusted_set_refused() -> None:
    with pytest.raises(InputError, match="no trusted egress IPs"):
        build_group_sets([], IpPolicy())


def hosts(count: int, base: int = 0x08000000) -> list[str]:
    """`count` non-adjacent /32s in 8.0.0.0/8 (every other address)."""
    return [
        canonical(
            f"{(base + 2 * i) >> 24}.{((base + 2 * i) >> 16) & 255}."
            f"{((base + 2 * i) >> 8) & 255}.{(base + 2 * i) & 255}"
        )
        for i in range(count)
    ]


def test_shards_hold_at_most_150_and_split_versions() -> None:
    v4 = hosts(2 * MAX_ENTRIES_PER_ZONE + 1)
    shards = shard([GroupSet("corporate", (*v4, "2606:4700::/32"))])
    assert [len(s.gateways) for s in shards] == [150, 150, 1, 1]
    assert shards[-1].gateways == ("2606:4700::/32",)
    assert [s.index for s in shards] == [1, 2, 3, 4]


def test_as_proxies_copies_gateways() -> None:
    (only,) = shard([GroupSet("netskope-shared", ("8.36.116.0/24",), as_proxies=True)])
    assert only.proxies == only.gateways == ("8.36.116.0/24",)


def test_more_than_96_zones_refused() -> None:
    with pytest.raises(InputError, match="needs 97 zones"):
        shard([GroupSet("corporate", tuple(hosts(96 * 150 + 1)))])
