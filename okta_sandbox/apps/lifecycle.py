"""An app's lifecycle: `POST /api/v1/apps/{id}/lifecycle/activate|deactivate` (200) and
`DELETE /api/v1/apps/{id}` (204), which Okta allows only for an inactive app: an active one is
403 `E0000056` "Delete application forbidden." (Okta's error catalogue; recorded: the provider
deactivates, then deletes, e.g. TestAccResourceOktaAppSignOnPolicyRules_Issue2797/oie-00).
Okta's first-party apps (the Admin Console, the Dashboard) can be neither deactivated nor
deleted: 403 `E0000006` (UNCONFIRMED: the refusal is not recorded).
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.apps.routes import BUCKET, MANAGE, app_target, get_app_instance
from okta_sandbox.core import ids
from okta_sandbox.core.errors import OktaError
from okta_sandbox.core.routing import Request, Response, Route, State, route
from okta_sandbox.facts import FIRST_PARTY_APPS
from okta_sandbox.logs import events


def _changeable(state: State, app_id: str) -> dict[str, Any]:
    app = get_app_instance(state, app_id)
    if app["name"] in FIRST_PARTY_APPS:
        raise OktaError("E0000006")
    return app


def _lifecycle(active: bool) -> Any:
    verb = "activate" if active else "deactivate"

    def handler(req: Request, state: State, params: dict[str, str]) -> Response:
        app = _changeable(state, params["appId"])
        app.update(status="ACTIVE" if active else "INACTIVE", lastUpdated=ids.now_iso())
        message = f"{verb.capitalize()} application"
        events.record(state, req, f"application.lifecycle.{verb}", message, [app_target(app)])
        return Response(200)  # the spec: no body (Okta answers `{}`: docs/sandbox.md)

    return handler


def delete_app(req: Request, state: State, params: dict[str, str]) -> Response:
    app = _changeable(state, params["appId"])
    if app.get("status", "ACTIVE") == "ACTIVE":
        raise OktaError("E0000056")
    del state["apps"][app["id"]]
    state["app_policy"].pop(app["id"], None)
    events.record(
        state, req, "application.lifecycle.delete", "Delete application", [app_target(app)]
    )
    return Response(204)


APP = "/api/v1/apps/{appId}"
ROUTES: list[Route] = [
    route("POST", f"{APP}/lifecycle/activate", _lifecycle(True), MANAGE, BUCKET, write=True),
    route("POST", f"{APP}/lifecycle/deactivate", _lifecycle(False), MANAGE, BUCKET, write=True),
    route("DELETE", APP, delete_app, MANAGE, BUCKET, write=True),
]
