"""api-token-network (STIG V-279689): every API token is confined to listed network zones."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Evidence, Stig
from generator.controls.checks.common import network_restriction
from generator.controls.context import ControlContext
from generator.controls.reads import Unavailable
from generator.okta.snapshot import JsonObject


def token_subject(token: JsonObject) -> str:
    return f"API token {str(token.get('name'))!r} ({token.get('id')})"


class ApiTokenNetwork(ControlCheck):
    check_id = "api-token-network"
    title = "Every API token can be used only from listed network zones"
    severity = "medium"
    stig = (Stig("V-279689", "OKTA-APP-003240"),)
    fix = (
        "Security > API > Tokens > token > Security: 'Token can be used from' the trusted zones "
        "(or PUT /api/v1/api-tokens/{id} with network {connection: ZONE, include: [zone ids]}). "
        "First make sure everything that uses the token calls from inside those zones: a CI "
        "runner outside them is locked out."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        tokens = context.data.api_tokens
        if isinstance(tokens, Unavailable):
            return self.unknown(f"API tokens not readable: {tokens.reason}")
        evidence = []
        for token in tokens:
            restricted, text = network_restriction(context, token.get("network"))
            evidence.append(
                Evidence(
                    token_subject(token),
                    "pass" if restricted else "fail",
                    text,
                    str(token.get("id")),
                )
            )
        return self.result(evidence)
