"""The `hardened` variant of an org: the realistic `default` seed with Okta's own post-breach
controls turned on, so that drift's control checks pass (tests use it as the "good" org; the
`default` seed is the realistic "bad" one, and tests make single controls bad through the API).

- every API token belongs to a dedicated service account holding the org admin role (not a
  super admin) and may only be used from the sandbox's own caller (a "Sandbox runner" IP zone
  holding the loopback addresses: the tests and the demo call from there); holding a role
  makes the account a member of Okta's built-in "Okta Administrators" (as Okta does), so the
  admin session rules of a config naming that group cover its interactive sign-in too (an
  admin role outside the admin groups is a drift finding);
- ThreatInsight blocks (no zone excluded);
- the Admin Console's own session: idle 15 minutes, lifetime 4 hours (Okta's default is 12);
- DefaultEnhancedDynamicZone (anonymizers) is active: it blocks before any policy in Okta; the
  sandbox does not classify addresses, so it blocks nothing here;
- the Admin Console policy's "Admin App Policy" rule names a network zone: everywhere except
  BlockedIpZone, so break-glass accounts (which egress-guard's deny rules exempt) still reach
  the Admin Console from any address.
"""

from __future__ import annotations

from okta_sandbox.core import ids
from okta_sandbox.core.routing import State
from okta_sandbox.directory.roles import assign
from okta_sandbox.facts import (
    ADMIN_CONSOLE_POLICY,
    ADMINS_GROUP,
    BLOCKED_ZONE,
    ENHANCED_DYNAMIC_ZONE,
)
from okta_sandbox.seeds.objects import add_zone, make_user

PRESET_RULE = "Admin App Policy"  # the Admin Console policy's rule in a new org
RUNNER_ZONE = "Sandbox runner"
RUNNER_ADDRESSES = ("127.0.0.1/32", "::1/128")
SERVICE_ACCOUNT = "svc-egress-guard@example.com"
ADMIN_GROUP = ADMINS_GROUP


def harden(state: State) -> None:
    stamp = ids.now_iso()
    gateways = [{"type": "CIDR", "value": cidr} for cidr in RUNNER_ADDRESSES]
    runner = add_zone(state, RUNNER_ZONE, "POLICY", stamp, gateways=gateways)
    service = make_user(state, SERVICE_ACCOUNT, "Egress Guard", "Service", created=stamp)
    assign(state, "USER", service["id"], "ORG_ADMIN", stamp)  # Okta adds it to ADMIN_GROUP
    for token in state["api_tokens"].values():
        token["userId"] = service["id"]
        token["network"] = {"connection": "ZONE", "include": [runner["id"]]}
    state["threat_insight"] = {
        "action": "block",
        "excludeZones": [],
        "created": state["org"]["created"],
        "lastUpdated": stamp,
    }
    state["admin_console_settings"] = {
        "sessionIdleTimeoutMinutes": 15,
        "sessionMaxLifetimeMinutes": 240,
    }
    zones = {zone["name"]: zone for zone in state["zones"].values()}
    zones[ENHANCED_DYNAMIC_ZONE]["status"] = "ACTIVE"
    console = next(
        p
        for p in state["policies"].values()
        if p["type"] == "ACCESS_POLICY" and p["name"] == ADMIN_CONSOLE_POLICY
    )
    for rule in state["rules"][console["id"]].values():
        if rule["name"] == PRESET_RULE:
            rule["conditions"]["network"] = {
                "connection": "ZONE",
                "exclude": [zones[BLOCKED_ZONE]["id"]],
            }
