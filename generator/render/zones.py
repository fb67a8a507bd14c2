"""`zones.tf`: one `okta_network_zone` (type IP, usage POLICY) per zone of the model, and one
enhanced dynamic zone (type DYNAMIC_V2, usage POLICY) per dynamic zone (anonymizers)."""

from __future__ import annotations

from generator.model import DesiredState, DynamicZone, Zone
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


def dynamic_zone_block(zone: DynamicZone) -> Block:
    body = (
        Attribute("name", zone.name),
        Attribute("type", "DYNAMIC_V2"),
        Attribute("usage", zone.usage),
        Attribute("status", zone.status),
        Attribute("ip_service_categories_include", HclList(zone.categories)),
    )
    return Block("resource", (addresses.ZONE, zone.key), body)


def zones_blocks(state: DesiredState) -> list[Block]:
    blocks = [zone_block(zone) for zone in state.zones]
    return blocks + [dynamic_zone_block(zone) for zone in state.dynamic_zones]
