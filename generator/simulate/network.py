"""Network-zone matching, following Okta's IP-chain rules for gateways and trusted proxies.

Okta looks at the IP chain of a request (X-Forwarded-For entries, then the address that connects
to Okta), from the right: for each zone, if the address is one of the zone's gateways the request
is inside the zone; if it is one of the zone's trusted proxies Okta looks one hop further left;
otherwise (or after five addresses, or when the chain runs out) the request is outside the zone.

The simulator's subject is the *client* address (the leftmost one). `via` is the fixed list of
proxies between the client and Okta (empty: the client connects directly, the attacker case:
a forged X-Forwarded-For header only matters when the connecting address is a trusted proxy).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.simulate.addresses import AddressSet
from generator.simulate.policyset import NetZone, PolicySet

MAX_CHAIN = 5  # Okta stops after checking five addresses of the chain


def usable(zone: NetZone) -> bool:
    """Zones that can match by IP: active IP zones (inactive and dynamic zones never do)."""
    return zone.kind == "IP" and zone.status == "ACTIVE"


def zone_contains_chain(zone: NetZone, chain: Sequence[int]) -> bool:
    """Is a request with this IP chain (client first, connecting address last) inside `zone`?"""
    if not usable(zone):
        return False
    for checked, address in enumerate(reversed(chain)):
        if checked >= MAX_CHAIN:
            return False
        if address in zone.gateways:
            return True
        if address not in zone.proxies:
            return False
    return False


def matched_zone_ids(policy_set: PolicySet, chain: Sequence[int]) -> frozenset[str]:
    return frozenset(zone.id for zone in policy_set.zones if zone_contains_chain(zone, chain))


def client_set(zone: NetZone, via: Sequence[int]) -> AddressSet:
    """Every client address whose request, sent through `via`, is inside `zone`.

    The proxies are fixed, so the answer is all addresses, none, or the zone's gateways.
    """
    if not usable(zone):
        return AddressSet()
    for checked, address in enumerate(reversed(via)):
        if checked >= MAX_CHAIN:
            return AddressSet()
        if address in zone.gateways:
            return AddressSet.everything()
        if address not in zone.proxies:
            return AddressSet()
    if len(via) >= MAX_CHAIN:
        return AddressSet()
    return zone.gateways
