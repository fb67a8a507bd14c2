"""`zones.tf`: one `okta_network_zone` (type IP, usage POLICY) per zone of the model."""

from __future__ import annotations

from generator.model import DesiredState, Zone
from generator.render import addresses
from generator.render.hcl import Attribute, Block, HclList


def zone_block(zone: Zone) -> Block:
    body = [
        Attribute("name", zone.name),
        Attribute("type", "IP"),
        Attribute("usage", zone.usage),
        Attribute("status", zone.status),
        Attribute("gateways", HclList(zone.gateways)),
    ]
    if zone.proxies:
        body.append(Attribute("proxies", HclList(zone.proxies)))
    return Block("resource", (addresses.ZONE, zone.key), tuple(body))


def zones_blocks(state: DesiredState) -> list[Block]:
    return [zone_block(zone) for zone in state.zones]
