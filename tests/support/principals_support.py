"""What the placement property tests range over: groups, users and zones the rules name, every
principal the rules can tell apart, and network/people conditions of every kind."""

from __future__ import annotations

import itertools

from simulate_strategies import network_conditions, people_conditions

from generator.simulate.addresses import AddressSet
from generator.simulate.policyset import NetZone, Principal

GROUPS = ("A", "B", "C")
USERS = ("u1", "u2")
ZONES = (
    NetZone("office", "office", gateways=AddressSet.parse(["192.0.2.0/24", "2001:db8::/64"])),
    NetZone("vpn", "vpn", gateways=AddressSet.parse(["192.0.2.128/25", "198.51.100.0/24"])),
    NetZone("old", "old", status="INACTIVE", gateways=AddressSet.parse(["203.0.113.0/24"])),
)


def every_principal() -> list[Principal]:
    """Each combination of the groups and users the rules name: all the rules can tell apart."""
    found = []
    for size in range(len(GROUPS) + 1):
        for groups in itertools.combinations(GROUPS, size):
            for users in ((), *((u,) for u in USERS)):
                label = f"groups {groups}, users {users}"
                found.append(Principal.of(label, users=users, groups=groups))
    return found


# rule conditions as the simulator's own property tests draw them (`simulate_strategies`)
networks = network_conditions([zone.id for zone in ZONES] + ["ALL_ZONES"], max_size=2)
people = people_conditions(GROUPS, USERS, include_users=True)
