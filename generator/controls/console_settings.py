"""The Okta Admin Console's session settings as an egress-guard step with plan/apply
semantics: the okta/okta provider has no resource for them (okta/terraform-provider-okta#1953),
so `egress-guard admin-console` reads `GET /api/v1/first-party-app-settings/admin-console`,
shows the difference from `controls.admin_console_session`, and only with `--apply` replaces
them (`PUT`, Okta's replaceFirstPartyAppSettings; scope okta.apps.manage) and reads them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import EgressGuardError
from generator.model import Controls
from generator.okta.client import OktaClient

PATH = "/api/v1/first-party-app-settings/admin-console"
IDLE, LIFETIME = "sessionIdleTimeoutMinutes", "sessionMaxLifetimeMinutes"


class ConsoleSettingsError(EgressGuardError):
    """Okta answered with something other than the settings, or kept other values."""


@dataclass(frozen=True)
class SettingChange:
    setting: str  # the API field
    live: int | None
    desired: int

    @property
    def loosens(self) -> bool:
        """The new value gives sessions more time than Okta has now."""
        return self.live is not None and self.desired > self.live


@dataclass(frozen=True)
class ConsolePlan:
    configured: bool  # controls.admin_console_session given in the config
    desired: Mapping[str, int]
    live: Mapping[str, Any]
    changes: tuple[SettingChange, ...]


def desired_settings(controls: Controls) -> dict[str, int]:
    return {IDLE: controls.console_idle_minutes, LIFETIME: controls.console_lifetime_minutes}


def _settings(answer: Any, method: str) -> Mapping[str, Any]:
    if not isinstance(answer, Mapping):
        raise ConsoleSettingsError(
            f"{method} {PATH}: expected the Admin Console settings object, got "
            f"{type(answer).__name__}"
        )
    return answer


def plan(client: OktaClient, controls: Controls) -> ConsolePlan:
    desired = desired_settings(controls)
    live = _settings(client.get(PATH), "GET")
    changes = tuple(
        SettingChange(name, _int(live.get(name)), value)
        for name, value in desired.items()
        if live.get(name) != value
    )
    if not controls.console_session_configured:
        changes = ()  # nothing declared: the step leaves Okta's values alone
    return ConsolePlan(controls.console_session_configured, desired, live, changes)


def apply(client: OktaClient, planned: ConsolePlan) -> Mapping[str, Any]:
    """Replace the settings with the desired ones and check Okta kept them."""
    body = dict(planned.desired)
    answer = _settings(client.request("PUT", PATH, json=body)[0], "PUT")
    after = _settings(client.get(PATH), "GET")
    for name, value in body.items():
        if answer.get(name) != value or after.get(name) != value:
            raise ConsoleSettingsError(
                f"PUT {PATH}: Okta kept {name} = {after.get(name)!r}, not {value}"
            )
    return after


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
