"""The network condition of API tokens: validated when a token is upserted, enforced on every
request made with an SSWS token.

Okta's Admin Console offers (support.okta.com "Restrict which IP Address/Device is Allowed to Use
an API Token"): any IP (`ANYWHERE`), in any / not in any defined network zone (`ZONE` with
`ALL_IP_ZONES` included / excluded), in / not in the listed zones (`ZONE` with zone ids). Only IP
zones can be chosen ("Enhanced dynamic zones are not available in the Zone selection for the API
token"). A token without `network` (older tokens; the spec's second example) is unrestricted.

A request from outside the allowed networks is refused and logged as
`system.api_token.request_outside_allowed_range` (Okta's catalogue, release 2025.06.2). The HTTP
answer Okta gives is not documented; the sandbox answers 403 E0000006, the code Okta uses for a
request the credential is not allowed to make (an assumption, see docs/sandbox.md).
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core.errors import Denied, OktaError, validation
from okta_sandbox.core.routing import Request, State
from okta_sandbox.logs import events
from okta_sandbox.zones.entries import holds

ALL_IP_ZONES = "ALL_IP_ZONES"
CONNECTIONS = ("ANYWHERE", "ZONE")


def _in_zones(state: State, zone_ids: list[str], ip: str) -> bool:
    zones = state["zones"]
    if ALL_IP_ZONES in zone_ids:
        candidates = [z for z in zones.values() if z.get("usage") == "POLICY"]
    else:
        candidates = [zones[i] for i in zone_ids if i in zones]
    return any(holds(zone, ip) for zone in candidates)


def allows(state: State, network: dict[str, Any] | None, ip: str) -> bool:
    """Whether a token with this network condition may be used from `ip`."""
    if not network or network.get("connection", "ANYWHERE") != "ZONE":
        return True
    include = list(network.get("include") or [])
    exclude = list(network.get("exclude") or [])
    if include and not _in_zones(state, include, ip):
        return False
    return not (exclude and _in_zones(state, exclude, ip))


def validated(state: State, raw: Any) -> dict[str, Any]:
    """The network condition of an upsert, in the shape Okta returns (empty lists omitted)."""
    if raw is None:
        return {"connection": "ANYWHERE"}
    if not isinstance(raw, dict):
        raise validation("network", "network: expected an object")
    connection = raw.get("connection")
    if connection not in CONNECTIONS:
        raise validation("network.connection", "network.connection must be ANYWHERE or ZONE")
    if connection == "ANYWHERE":
        return {"connection": "ANYWHERE"}
    network: dict[str, Any] = {"connection": "ZONE"}
    for part in ("include", "exclude"):
        values = raw.get(part) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise validation(f"network.{part}", f"network.{part}: expected a list of zone ids")
        for zone_id in values:
            zone = state["zones"].get(zone_id)
            if zone_id != ALL_IP_ZONES and (zone is None or zone.get("type") != "IP"):
                raise validation(f"network.{part}", f"Invalid IP network zone: {zone_id}")
        if values:
            network[part] = list(dict.fromkeys(values))
    if len(network) == 1:
        raise validation("network", "A ZONE network condition needs include or exclude zones")
    return network


def guard(req: Request, state: State) -> None:
    """Refuse a request whose SSWS token may not be used from the caller's address."""
    principal = req.principal
    if principal is None or principal.kind != "ssws" or principal.token_id is None:
        return
    token = state["api_tokens"].get(principal.token_id)
    if token is None or allows(state, token.get("network"), req.client_ip):
        return
    target = events.target(token["id"], "Token", token["name"], token["name"])

    def log(current: State) -> None:
        events.record(
            current,
            req,
            "system.api_token.request_outside_allowed_range",
            "Request with API token made from outside the allowed network zone",
            [target],
        )

    raise Denied(OktaError("E0000006"), log)
