"""okta_threat_insight_settings and okta_api_token: the stand-ins for the two resources that
configure Okta's own post-breach controls. Neither is in the shared schema reference
(`shared/okta/provider-schema.json`); their schemas are the project's own subset, each cited:

- okta_api_token: okta/terraform-provider-okta v6.12.0, okta/services/idaas/
  resource_okta_api_token.go (Plugin Framework): `id` Required; `user_id`, `name`, `created`,
  `client_name` Optional+Computed; block `network` (SingleNestedBlock) {`connection` Optional,
  `include`/`exclude` lists Optional+Computed}. Import-only: Create fails ("This resource cannot
  be created via Terraform"); Read `GET /api/v1/api-tokens/{id}`; Update `PUT` with the plan's
  name, client name, owner, creation time and network; **Delete revokes the token**
  (`DELETE /api/v1/api-tokens/{id}`).
- okta_threat_insight_settings: v7.0.0 (release notes, okta/terraform-provider-okta#2938:
  migrated to the Plugin Framework, `network_excludes` renamed `exclude_zones`, new computed
  `created` and `last_updated`); `action` Required; behaviour as v6.12.0's
  resource_okta_threat_insight_settings.go: Create and Update `POST
  /api/v1/threats/configuration` `{action, excludeZones}`, Read `GET`, the id is the constant
  `threat_insight_settings`, the zones compared as a set (Okta reorders them). Delete: 6.x
  posts `{"action": "none"}` (ThreatInsight off); #2893, which generated the 7.x resource,
  describes delete as a no-op — the stand-in follows 7.x (UNVERIFIED against a 7.x binary).
"""

from __future__ import annotations

from typing import Any, ClassVar

from okta_sandbox.provider.base import OktaResource, ProviderError, State, known, str_set
from okta_sandbox.provider.schema_table import LIST_S, BlockSpec, NestedSpec, S

CONTROL_RESOURCES: dict[str, BlockSpec] = {
    "okta_api_token": BlockSpec(
        attrs={
            "client_name": (S, "OC"),
            "created": (S, "OC"),
            "id": (S, "R"),
            "name": (S, "OC"),
            "user_id": (S, "OC"),
        },
        blocks={
            "network": NestedSpec(
                "single",
                BlockSpec(
                    attrs={
                        "connection": (S, "O"),
                        "exclude": (LIST_S, "OC"),
                        "include": (LIST_S, "OC"),
                    }
                ),
            )
        },
    ),
    "okta_threat_insight_settings": BlockSpec(
        attrs={
            "action": (S, "R"),
            "created": (S, "C"),
            "exclude_zones": (LIST_S, "O"),
            "id": (S, "C"),
            "last_updated": (S, "C"),
        },
    ),
}
THREAT_PATH = "/api/v1/threats/configuration"
THREAT_ID = "threat_insight_settings"


class ThreatInsightSettings(OktaResource):
    TYPE = "okta_threat_insight_settings"
    TABLE = CONTROL_RESOURCES

    def validate_config(self, config: State) -> list[str]:
        action = config.get("action")
        if known(action) and action not in ("none", "audit", "block"):
            return [f'expected action to be one of ["none" "audit" "block"], got {action}']
        return []

    def _state(self, config: dict[str, Any], prior: State | None) -> State:
        zones = [str(z) for z in config.get("excludeZones") or []]
        kept = str_set((prior or {}).get("exclude_zones"))
        if sorted(kept) == sorted(zones):
            zones = kept  # Okta reorders the zones: the same set is no change
        return {
            "id": THREAT_ID,
            "action": config.get("action"),
            "exclude_zones": zones or (None if prior is None else (prior.get("exclude_zones"))),
            "created": config.get("created"),
            "last_updated": config.get("lastUpdated"),
        }

    def _post(self, planned: State) -> State:
        body = {"action": planned["action"], "excludeZones": str_set(planned.get("exclude_zones"))}
        return self._state(self.api.post(THREAT_PATH, body), planned)

    def create(self, ctx: Any, planned: State) -> State:
        return self._post(planned)

    def read(self, ctx: Any, current: State) -> State | None:
        return self._state(self.api.get(THREAT_PATH), current)

    def update(self, ctx: Any, current: State, planned: State) -> State:
        return self._post(planned)

    def delete(self, ctx: Any, current: State) -> None:
        return None  # 7.x: removing the resource leaves Okta's configuration as it is

    def import_(self, ctx: Any, id: str) -> State | None:
        return self.read(ctx, self.state({"id": id}))


def _created(value: Any) -> str | None:
    """Go's time.Format(time.RFC3339): whole seconds, `Z`."""
    if not isinstance(value, str) or not value:
        return None
    return value.split(".", 1)[0].removesuffix("Z") + "Z"


def token_state(token: dict[str, Any]) -> State:
    network = token.get("network") or {}
    return {
        "id": token.get("id"),
        "name": token.get("name"),
        "user_id": token.get("userId"),
        "client_name": token.get("clientName"),
        "created": _created(token.get("created")),
        "network": {
            "connection": network.get("connection"),
            "include": list(network.get("include") or []) or None,
            "exclude": list(network.get("exclude") or []) or None,
        },
    }


class ApiToken(OktaResource):
    TYPE = "okta_api_token"
    TABLE = CONTROL_RESOURCES
    KEEP_PRIOR_WHEN_UNSET: ClassVar[tuple[str, ...]] = ("name", "user_id", "client_name", "created")

    def create(self, ctx: Any, planned: State) -> State:
        raise ProviderError(
            "Create Not Supported",
            "This resource cannot be created via Terraform: API tokens are created in the Okta "
            "Admin Console. Import the token (an `import` block or `terraform import "
            "okta_api_token.<name> <token id>`).",
        )

    def read(self, ctx: Any, current: State) -> State | None:
        token = self.api.get(f"/api/v1/api-tokens/{current['id']}")
        return {**current, **token_state(token)}

    def update(self, ctx: Any, current: State, planned: State) -> State:
        body: dict[str, Any] = {
            "name": planned.get("name") or current.get("name"),
            "clientName": planned.get("client_name") or current.get("client_name"),
            "userId": planned.get("user_id") or current.get("user_id"),
        }
        created = planned.get("created") or current.get("created")
        if created:
            body["created"] = created
        network = planned.get("network")
        if isinstance(network, dict):
            condition: dict[str, Any] = {"connection": network.get("connection")}
            for part in ("include", "exclude"):
                zones = str_set(network.get(part))
                if zones:
                    condition[part] = zones
            body["network"] = condition
        token = self.api.put(f"/api/v1/api-tokens/{current['id']}", body)
        return {**planned, **token_state(token)}

    def delete(self, ctx: Any, current: State) -> None:
        self.api.delete(f"/api/v1/api-tokens/{current['id']}")  # revokes the token
