"""TOK-001 and TOK-002: API tokens created, or used outside their allowed network.

API tokens (SSWS) act with their creator's admin rights and are not subject to sign-on
policies, so the egress controls do not cover them: a new token is a new door.
`system.api_token.create` names the token as its `Token` target; `debugData.networkConnection`
"ANYWHERE" means no network restriction. `system.api_token.request_outside_allowed_range`
(Okta 2025.06.2) is a token used from outside the zone it is restricted to: the token has leaked.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, Response


def _token(event: ev.LogEvent) -> tuple[str, str]:
    tokens = ev.targets_of_type(event, "Token")
    token = tokens[0] if tokens else {}
    name = str(token.get("displayName") or token.get("alternateId") or "?")
    return str(token.get("id") or ""), name


def _revoke(token_id: str, name: str) -> tuple[Response, ...]:
    return (Response("revoke_token", token_id, name),) if token_id else ()


class ApiTokenCreated(Detection):
    info = DetectionInfo(
        id="TOK-001",
        category="api_token_created",
        title="API token created",
        severity="medium",
        proves="A new SSWS API token exists, with its creator's admin rights and outside the "
        "reach of sign-on policies.",
        false_positives=("An integration set up by an admin (check the owner and the network).",),
        event_types=frozenset({"system.api_token.create"}),
        references=("Sigma okta_api_token_created", "Panther Okta.APIKeyCreated"),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        token_id, name = _token(event)
        network = str(ev.debug_data(event).get("networkConnection") or "")
        anywhere = network.upper() in ("ANYWHERE", "")
        return (
            self.alert(
                event,
                f"API token created: {name}",
                f"{ev.actor_name(event)} created the API token {name}"
                f"{' usable from anywhere' if network.upper() == 'ANYWHERE' else ''}.",
                severity="high" if network.upper() == "ANYWHERE" else "medium",
                evidence=(
                    ("token_id", token_id),
                    ("network", network or "not stated"),
                    ("unrestricted", str(anywhere).lower()),
                ),
                responses=_revoke(token_id, name),
            ),
        )


class ApiTokenOutsideRange(Detection):
    info = DetectionInfo(
        id="TOK-002",
        category="suspicious_activity",
        title="API token used outside its allowed network",
        severity="high",
        proves="A request with an API token came from outside the network zone the token is "
        "restricted to: the token is in someone else's hands (or the integration moved).",
        false_positives=("An integration moved to new infrastructure without updating the zone.",),
        event_types=frozenset({"system.api_token.request_outside_allowed_range"}),
        references=("Okta event type system.api_token.request_outside_allowed_range",),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        token_id, name = _token(event)
        address = ev.client_ip(event) or "?"
        return (
            self.alert(
                event,
                f"API token {name} used from {address}",
                f"The API token {name} (owner {ev.actor_name(event)}) was used from {address}, "
                "outside its allowed network zone.",
                evidence=(("token_id", token_id), ("client_ip", address)),
                responses=_revoke(token_id, name),
            ),
        )
