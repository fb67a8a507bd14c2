"""One address or CIDR: strict parsing, the canonical form (a bare address becomes a host CIDR,
IPv6 compressed and lower-case; host bits set is an error), and the CIDRs of an address range.
Integer arithmetic on the OS's `inet_pton`/`inet_ntop` where it can; netaddr for the rest. The
sets built from them live in `generator.ipsets`.
"""

from __future__ import annotations

from socket import AF_INET, AF_INET6, inet_ntop, inet_pton

import netaddr
from netaddr import IPNetwork

Entry = tuple[int, int, int, str]  # version, first address, last address, canonical CIDR


def parse_cidr(text: str) -> IPNetwork:
    """Parse one address or CIDR strictly; raise ValueError with a reason fit for users. The
    reason never repeats `text` (it may come from an untrusted feed): callers name the value."""
    try:
        network = IPNetwork(text.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError, AttributeError):
        raise ValueError("not an IP address or CIDR") from None
    if network.value != network.first:
        raise ValueError(
            f"host bits set: write {network.cidr} for the network "
            f"or {network.ip}/{network.ip.netmask_bits()} for the single address"
        )
    return network


def entry(text: str) -> Entry:
    """(version, first, last, canonical) of one address or CIDR; ValueError if invalid.

    Fast path for the common, already clean input: the OS's `inet_pton`/`inet_ntop` (which
    netaddr also uses) on the address part, without building an IPNetwork object. Anything it
    does not accept goes through `parse_cidr` for netaddr's parsing and a precise error.
    """
    address, slash, length = text.partition("/")
    family, bits = (AF_INET6, 128) if ":" in address else (AF_INET, 32)
    try:
        packed = inet_pton(family, address)
    except (OSError, ValueError):
        return _slow_entry(text)
    if slash and not (length.isascii() and length.isdigit() and len(length) <= 3):
        return _slow_entry(text)
    prefix = int(length) if slash else bits
    value = int.from_bytes(packed, "big")
    hostmask = (1 << (bits - prefix)) - 1 if prefix <= bits else -1
    if prefix > bits or value & hostmask:
        return _slow_entry(text)
    if family == AF_INET:
        return 4, value, value | hostmask, f"{address}/{prefix}"
    return 6, value, value | hostmask, f"{inet_ntop(AF_INET6, packed)}/{prefix}"


def _slow_entry(text: str) -> Entry:
    network = parse_cidr(text)
    return network.version, network.first, network.last, str(network)


def canonical(text: str) -> str:
    return entry(text)[3]


def range_cidrs(version: int, first: int, last: int) -> list[str]:
    """The fewest CIDRs covering exactly first..last: greedy, largest aligned block first."""
    bits = 32 if version == 4 else 128
    family = AF_INET if version == 4 else AF_INET6
    width = bits // 8
    cidrs = []
    while first <= last:
        size = first & -first if first else 1 << bits  # the largest block aligned at `first`
        while size > last - first + 1:
            size >>= 1
        prefix = bits + 1 - size.bit_length()
        cidrs.append(f"{inet_ntop(family, first.to_bytes(width, 'big'))}/{prefix}")
        first += size
    return cidrs
