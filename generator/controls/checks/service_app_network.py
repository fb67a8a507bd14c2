"""service-app-network: every OAuth service app restricts where its tokens may be used
(`settings.oauthClient.network`)."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Evidence
from generator.controls.checks.common import dig, network_restriction
from generator.controls.context import ControlContext
from generator.controls.reads import Unavailable

FEATURE_NOTE = (
    " (enforced when the org's 'Network Restrictions for OAuth Token Endpoint' feature is on, "
    "which the API does not show)"
)


class ServiceAppNetwork(ControlCheck):
    check_id = "service-app-network"
    title = "Every OAuth service app is restricted to listed network zones"
    severity = "medium"
    fix = (
        "Applications > the service app > General > Client Credentials: restrict the network to "
        "the zones its callers use (settings.oauthClient.network {connection: ZONE, include}); "
        "turn on the feature 'Network Restrictions for OAuth Token Endpoint'."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        apps = context.data.service_apps
        if isinstance(apps, Unavailable):
            return self.unknown(f"apps not readable: {apps.reason}")
        evidence = []
        for app in apps:
            network = dig(app, "settings", "oauthClient", "network")
            restricted, text = network_restriction(context, network)
            evidence.append(
                Evidence(
                    f"service app {str(app.get('label'))!r} ({app.get('id')})",
                    "pass" if restricted else "fail",
                    text + (FEATURE_NOTE if restricted else ""),
                    str(app.get("id")),
                )
            )
        return self.result(evidence)
