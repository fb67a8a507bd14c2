"""The demo's out-of-band changes to its org, made over the API as an admin with a token would
(`generator.commands.demo`)."""

from __future__ import annotations

from typing import Any

import requests

from generator.okta.paths import api_path


class Org:
    """Out-of-band changes, made over the API as an admin with a token would."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.headers = {"Authorization": f"SSWS {token}"}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(
            method, f"{self.url}{path}", json=body, headers=self.headers, timeout=10
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def insert_allow_anywhere_rule(self, policy_id: str) -> None:
        self.call("POST", api_path("policies", policy_id, "rules"), {
            "type": "SIGN_ON", "name": "Temporary - allow from anywhere", "priority": 1,
            "conditions": {"network": {"connection": "ANYWHERE"}},
            "actions": {"signon": {"access": "ALLOW", "requireFactor": False}},
        })  # fmt: skip

    def insert_console_rule(self, policy_id: str) -> None:
        """A rule of someone else's above ours on the Admin Console policy: Okta moves ours down."""
        method = {"factorMode": "1FA", "type": "ASSURANCE", "reauthenticateIn": "PT12H"}
        self.call("POST", api_path("policies", policy_id, "rules"), {
            "type": "ACCESS_POLICY", "name": "Temporary - console from anywhere", "priority": 1,
            "conditions": {"network": {"connection": "ANYWHERE"}},
            "actions": {"appSignOn": {"access": "ALLOW", "verificationMethod": method}},
        })  # fmt: skip

    def grant_super_admin(self, login: str) -> None:
        """What the 2023 attackers did: a user outside the admin groups made Super Admin."""
        user = self.call("GET", api_path("users", login))
        self.call("POST", api_path("users", user["id"], "roles"), {"type": "SUPER_ADMIN"})

    def remove_first_cidr(self, zone_id: str) -> str:
        zone = self.call("GET", api_path("zones", zone_id))
        removed = zone["gateways"][0]["value"]
        body = {k: zone[k] for k in ("type", "name", "status", "usage")}
        body["gateways"] = zone["gateways"][1:]
        self.call("PUT", api_path("zones", zone_id), body)
        return str(removed)
