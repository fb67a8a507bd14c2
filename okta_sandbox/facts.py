"""Okta platform facts the emulator builds its org from.

The tool keeps its own copy (generator/okta/platform.py) on purpose: the emulator is a second,
independent reading of Okta's documentation and recorded behaviour, and a test checks that the
two agree, so a mistake in one of them shows up as a disagreement instead of being rehearsed.
"""

from __future__ import annotations

import ipaddress
from typing import Any

EVERYONE_GROUP = "Everyone"
BUILT_IN_GROUP = "BUILT_IN"
# Okta's own admins group (BUILT_IN): its members are every user holding an admin role, however
# granted; Okta keeps it (no membership changes), does not list its members (the answer the
# sandbox gives is UNCONFIRMED: docs/sandbox.md) and grants no role to it (E0000211).
ADMINS_GROUP = "Okta Administrators"
DEFAULT_SIGN_ON_POLICY = "Default Policy"  # Global Session Policy (OKTA_SIGN_ON), always last
DEFAULT_SIGN_ON_RULE = "Default Rule"
CATCH_ALL_RULE = "Catch-all Rule"  # system rule of every authentication policy (ACCESS_POLICY)
CATCH_ALL_PRIORITY = 99
ADMIN_CONSOLE_APP = "saasure"
ADMIN_CONSOLE_LABEL = "Okta Admin Console"
ADMIN_CONSOLE_POLICY = "Okta Admin Console"
DASHBOARD_APP = "okta_enduser"
FIRST_PARTY_APPS = frozenset({ADMIN_CONSOLE_APP, DASHBOARD_APP})
EXEMPT_ZONE = "DefaultExemptIpZone"
BLOCKED_ZONE = "BlockedIpZone"
ENHANCED_DYNAMIC_ZONE = "DefaultEnhancedDynamicZone"
SYSTEM_ZONES = ("LegacyIpZone", BLOCKED_ZONE, EXEMPT_ZONE, ENHANCED_DYNAMIC_ZONE)


def entry_span(entry: Any) -> tuple[int, int, int]:
    """A zone gateway/proxy entry `{type, value}` as (IP version, first, last) integers.

    CIDR values cover their whole network (host bits ignored), RANGE values `first-last` or one
    address;
    anything else, reversed ranges and mixed families raise ValueError.
    """
    if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
        raise ValueError(f"not a zone entry: {entry!r}")
    value = entry["value"].strip()
    if entry.get("type") == "CIDR":
        network = ipaddress.ip_network(value, strict=False)
        return network.version, int(network.network_address), int(network.broadcast_address)
    if entry.get("type") == "RANGE":
        first, _, last = value.partition("-")
        start = ipaddress.ip_address(first.strip())
        end = ipaddress.ip_address(last.strip()) if last else start
        if start.version != end.version or int(start) > int(end):
            raise ValueError(f"not a range: {value!r}")
        return start.version, int(start), int(end)
    raise ValueError(f"unknown entry type: {entry.get('type')!r}")


def as_dict() -> dict[str, Any]:
    """Every fact above, by name (what the agreement test compares)."""
    return {
        "everyone_group": EVERYONE_GROUP,
        "built_in_group": BUILT_IN_GROUP,
        "admins_group": ADMINS_GROUP,
        "default_sign_on_policy": DEFAULT_SIGN_ON_POLICY,
        "default_sign_on_rule": DEFAULT_SIGN_ON_RULE,
        "catch_all_rule": CATCH_ALL_RULE,
        "catch_all_priority": CATCH_ALL_PRIORITY,
        "admin_console_app": ADMIN_CONSOLE_APP,
        "admin_console_label": ADMIN_CONSOLE_LABEL,
        "admin_console_policy": ADMIN_CONSOLE_POLICY,
        "first_party_apps": sorted(FIRST_PARTY_APPS),
        "system_zones": sorted(SYSTEM_ZONES),
        "exempt_zone": EXEMPT_ZONE,
        "blocked_zone": BLOCKED_ZONE,
        "enhanced_dynamic_zone": ENHANCED_DYNAMIC_ZONE,
    }
