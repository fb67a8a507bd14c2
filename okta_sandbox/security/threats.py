"""ThreatInsight (`/api/v1/threats/configuration`): GET, and POST to change it (the spec's
updateConfiguration; there is no PUT).

Fresh-org value `{"action": "none", "excludeZones": []}` as recorded in both provider test orgs
(TestAccResourceOktaThreatInsightSettings_crud) and the spec's example. Excluded zones must be IP
zones (the provider's documentation of `network_excludes`). Okta does not keep their order: the
recorded request `[a, b, c]` came back `[c, b, a]`
(TestAccResourceOktaThreatInsightSettings_issue_1221_NetworkZoneOrdering), so the sandbox
answers them reversed too, and clients must compare them as a set.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.bodies import checked
from okta_sandbox.core.errors import validation
from okta_sandbox.core.routing import Request, Response, Route, State, href, reject_unknown, route
from okta_sandbox.logs import events

PATH = "/api/v1/threats/configuration"
ACTIONS = ("none", "audit", "block")


def configuration(state: State) -> dict[str, Any]:
    """The stored configuration, or a fresh org's (created with the org)."""
    stored = state.get("threat_insight")
    if stored is not None:
        return dict(stored)
    created = state["org"]["created"]
    return {"action": "none", "excludeZones": [], "created": created, "lastUpdated": created}


def present(config: dict[str, Any], base: str) -> dict[str, Any]:
    return {**config, "_links": {"self": href(base, PATH, "GET", "POST")}}


def read(req: Request, state: State, _: dict[str, str]) -> Response:
    return Response(200, present(configuration(state), req.base_url))


def update(req: Request, state: State, _: dict[str, str]) -> Response:
    body = checked(req, req.json())
    reject_unknown(body, {"action", "excludeZones", "created", "lastUpdated", "_links"}, "body")
    action = body.get("action")
    if action not in ACTIONS:
        raise validation("action", "action: must be one of none, audit, block")
    zones = body.get("excludeZones") or []
    if not isinstance(zones, list) or not all(isinstance(z, str) for z in zones):
        raise validation("excludeZones", "excludeZones: expected a list of zone ids")
    for zone_id in zones:
        zone = state["zones"].get(zone_id)
        if zone is None or zone.get("type") != "IP":
            raise validation("excludeZones", f"Invalid IP network zone: {zone_id}")
    config = configuration(state)
    config.update(
        action=action,
        excludeZones=list(reversed(list(dict.fromkeys(zones)))),
        lastUpdated=ids.now_iso(),
    )
    state["threat_insight"] = config
    events.record(
        state,
        req,
        "security.threat.configuration.update",
        "ThreatInsight configuration updated",
        [events.target("threat_insight", "ThreatInsightConfiguration", action, "ThreatInsight")],
    )
    return Response(200, present(config, req.base_url))


READ, MANAGE = "okta.threatInsights.read", "okta.threatInsights.manage"
ROUTES: list[Route] = [
    route("GET", PATH, read, READ, PATH),
    route("POST", PATH, update, MANAGE, PATH, write=True),
]
