"""Which network zone an IP falls in, as the System Log's `client.zone` reports it."""

from __future__ import annotations

import ipaddress
import threading
from typing import Any

from okta_sandbox.core.routing import State
from okta_sandbox.facts import entry_span

NO_ZONE = "null"  # what Okta writes in client.zone when the IP is in no zone (a string)
Ranges = list[tuple[int, int, int]]  # (version, first, last) as integers
_cache: dict[tuple[str, str, int], Ranges] = {}
_lock = threading.Lock()


def _ranges(zone: dict[str, Any]) -> Ranges:
    key = (zone["id"], zone["lastUpdated"], len(zone.get("gateways") or ()))
    with _lock:
        found = _cache.get(key)
    if found is None:
        found = [entry_span(entry) for entry in zone.get("gateways") or ()]
        with _lock:
            _cache[key] = found
    return found


def holds(zone: dict[str, Any], ip: str) -> bool:
    """Whether the active IP zone `zone` has `ip` among its gateways (other zones hold none)."""
    if zone.get("type") != "IP" or zone.get("status") != "ACTIVE":
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    version, value = address.version, int(address)
    return any(v == version and lo <= value <= hi for v, lo, hi in _ranges(zone))


def zone_of(state: State, ip: str) -> str:
    """The name of the first active IP zone whose gateways hold `ip`, else "null"."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return NO_ZONE
    version, value = address.version, int(address)
    for zone in state["zones"].values():
        if zone["type"] != "IP" or zone["status"] != "ACTIVE":
            continue
        if any(v == version and lo <= value <= hi for v, lo, hi in _ranges(zone)):
            return str(zone["name"])
    return NO_ZONE
