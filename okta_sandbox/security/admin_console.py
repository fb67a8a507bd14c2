"""The Okta Admin Console's session settings (`/api/v1/first-party-app-settings/{appName}`,
getFirstPartyAppSettings / replaceFirstPartyAppSettings; the only app name is `admin-console`).

Fresh-org value: idle 15 minutes, lifetime 720 minutes (the spec's AdminConsoleSettings defaults
and its "Default Okta Admin Console settings" example; GA since 2024-01-08). Limits from the spec:
idle 5..720, lifetime 5..10080. A change is not logged: Okta's event catalogue names no event
for it (none is confirmed), so the sandbox records none.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core.bodies import checked
from okta_sandbox.core.errors import not_found, validation
from okta_sandbox.core.routing import Request, Response, Route, State, reject_unknown, route

PATH = "/api/v1/first-party-app-settings/{appName}"
ADMIN_CONSOLE = "admin-console"
DEFAULTS = {"sessionIdleTimeoutMinutes": 15, "sessionMaxLifetimeMinutes": 720}
LIMITS = {"sessionIdleTimeoutMinutes": (5, 720), "sessionMaxLifetimeMinutes": (5, 10080)}


def settings(state: State) -> dict[str, Any]:
    return dict(state.get("admin_console_settings") or DEFAULTS)


def _app(params: dict[str, str]) -> None:
    if params["appName"] != ADMIN_CONSOLE:
        raise not_found(f"Okta app settings {params['appName']}")


def read(req: Request, state: State, params: dict[str, str]) -> Response:
    _app(params)
    return Response(200, settings(state))


def replace(req: Request, state: State, params: dict[str, str]) -> Response:
    _app(params)
    body = checked(req, req.json())
    reject_unknown(body, set(DEFAULTS), "body")
    values = settings(state)
    for name, (low, high) in LIMITS.items():
        value = body.get(name, DEFAULTS[name])
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise validation(name, f"{name}: must be an integer from {low} to {high}")
        values[name] = value
    state["admin_console_settings"] = values
    return Response(200, values)


ROUTES: list[Route] = [
    route("GET", PATH, read, "okta.apps.read", "/api/v1/first-party-app-settings"),
    route("PUT", PATH, replace, "okta.apps.manage", "/api/v1/first-party-app-settings", write=True),
]
