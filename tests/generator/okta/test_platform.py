"""The tool's Okta facts (generator/okta/platform.py) and the emulator's independent copy
(okta_sandbox/facts.py) agree, including how a zone entry reads, malformed ones included."""

from __future__ import annotations

from typing import Any

import netaddr
import pytest

from generator.drift.normalise import canonical_cidrs, widens
from generator.okta import platform
from generator.simulate.from_okta import policy_set_from_okta
from okta_sandbox import facts

ENTRIES: list[tuple[Any, tuple[int, int, int] | None]] = [
    ({"type": "CIDR", "value": "203.0.113.0/24"}, (4, 0xCB007100, 0xCB0071FF)),
    ({"type": "CIDR", "value": "203.0.113.7/24"}, (4, 0xCB007100, 0xCB0071FF)),  # host bits
    ({"type": "RANGE", "value": "192.0.2.1-192.0.2.1"}, (4, 0xC0000201, 0xC0000201)),
    ({"type": "RANGE", "value": "192.0.2.1 - 192.0.2.9"}, (4, 0xC0000201, 0xC0000209)),
    ({"type": "RANGE", "value": "192.0.2.5"}, (4, 0xC0000205, 0xC0000205)),
    ({"type": "CIDR", "value": "2001:db8::/126"}, (6, 0x20010DB8 << 96, (0x20010DB8 << 96) + 3)),
    ({"type": "CIDR", "value": "::/0"}, (6, 0, (1 << 128) - 1)),  # first address 0: still IPv6
    ({"type": "CIDR", "value": "0.0.0.0/0"}, (4, 0, (1 << 32) - 1)),
    ({"type": "RANGE", "value": "192.0.2.9-192.0.2.1"}, None),  # reversed
    ({"type": "RANGE", "value": "192.0.2.1-2001:db8::1"}, None),  # mixed families
    ({"type": "CIDR", "value": "192.0.2.0/33"}, None),
    ({"type": "CIDR", "value": "not-an-address"}, None),
    ({"type": "WILDCARD", "value": "192.0.2.0/24"}, None),
    ({"type": "CIDR", "value": None}, None),
    ("192.0.2.0/24", None),  # the emulator reads API entries only
]


def test_the_named_facts_agree() -> None:
    ours = {
        "everyone_group": platform.EVERYONE_GROUP,
        "built_in_group": platform.BUILT_IN_GROUP,
        "admins_group": platform.ADMINS_GROUP,
        "default_sign_on_policy": platform.DEFAULT_SIGN_ON_POLICY,
        "default_sign_on_rule": platform.DEFAULT_SIGN_ON_RULE,
        "catch_all_rule": platform.CATCH_ALL_RULE,
        "catch_all_priority": platform.CATCH_ALL_PRIORITY,
        "admin_console_app": platform.ADMIN_CONSOLE_APP,
        "admin_console_label": platform.ADMIN_CONSOLE_LABEL,
        "admin_console_policy": platform.ADMIN_CONSOLE_POLICY,
        "first_party_apps": sorted(platform.FIRST_PARTY_APPS),
        "system_zones": sorted(platform.SYSTEM_ZONES),
        "exempt_zone": platform.EXEMPT_ZONE,
        "blocked_zone": platform.BLOCKED_ZONE,
        "enhanced_dynamic_zone": platform.ENHANCED_DYNAMIC_ZONE,
    }
    assert ours == facts.as_dict()


@pytest.mark.parametrize(("entry", "span"), ENTRIES)
def test_both_zone_entry_parsers_read_an_entry_the_same_way(
    entry: Any, span: tuple[int, int, int] | None
) -> None:
    try:
        theirs: tuple[int, int, int] | None = facts.entry_span(entry)
    except ValueError:
        theirs = None
    assert theirs == span
    if isinstance(entry, str):
        return  # the tool also reads bare strings (its own declared CIDRs)
    try:
        found = platform.zone_entry_range(entry)
        ours: tuple[int, int, int] | None = (found.version, found.first, found.last)
    except platform.ZoneEntryError:
        ours = None
    assert ours == span


def test_an_unreadable_live_entry_is_visible_to_drift_and_widens() -> None:
    live = [{"type": "CIDR", "value": "198.51.100.0/24"}, {"type": "CIDR", "value": "bogus"}]
    declared = ["198.51.100.0/24"]
    assert canonical_cidrs(live) == ("198.51.100.0/24", "unreadable:bogus")
    assert widens(live, declared)  # nothing proves the unreadable entry is narrower
    assert not widens(live[:1], declared)


def test_the_simulator_ignores_only_the_unreadable_entry() -> None:
    zone = {
        "id": "nz1",
        "name": "corp",
        "type": "IP",
        "status": "ACTIVE",
        "gateways": [
            {"type": "CIDR", "value": "198.51.100.0/24"},
            {"type": "RANGE", "value": "10.0.0.9-10.0.0.1"},
        ],
    }
    policy_set = policy_set_from_okta([zone], [], {}, None)
    (parsed,) = policy_set.zones
    assert int(netaddr.IPAddress("198.51.100.7")) in parsed.gateways
    assert int(netaddr.IPAddress("10.0.0.5")) not in parsed.gateways
