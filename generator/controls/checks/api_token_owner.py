"""api-token-owner (STIG V-279690): no API token is owned by a super admin, and (when the config
lists them) every token belongs to one of the dedicated accounts."""

from __future__ import annotations

from collections.abc import Mapping

from generator.controls.base import ControlCheck, ControlResult, Evidence, Stig
from generator.controls.checks.api_token_network import token_subject
from generator.controls.checks.common import names
from generator.controls.context import ControlContext
from generator.controls.reads import Unavailable
from generator.okta.snapshot import JsonObject

SUPER_ADMIN = "SUPER_ADMIN"


def _role_text(role: JsonObject) -> str:
    via = role.get("assignmentType") or "USER"
    return f"{role.get('type')} ({str(via).lower()})"


class ApiTokenOwner(ControlCheck):
    check_id = "api-token-owner"
    title = "No API token is owned by a super admin (nor, if listed, by a non-dedicated account)"
    severity = "medium"
    stig = (Stig("V-279690", "OKTA-APP-003241"),)
    fix = (
        "Create the token again as a dedicated service account holding only the admin role it "
        "needs (never Super Administrator), update what uses it, then revoke the old token; "
        "list the dedicated accounts in controls.api_tokens.owners."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        tokens = context.data.api_tokens
        if isinstance(tokens, Unavailable):
            return self.unknown(f"API tokens not readable: {tokens.reason}")
        return self.result(self._judge(context, token) for token in tokens)

    def _judge(self, context: ControlContext, token: JsonObject) -> Evidence:
        subject, token_id = token_subject(token), str(token.get("id"))
        owner_id = str(token.get("userId") or "")
        owner = context.user_name(owner_id)
        roles = context.data.owner_roles.get(owner_id)
        if roles is None or isinstance(roles, Unavailable):
            why = roles.reason if isinstance(roles, Unavailable) else "not read"
            return Evidence(
                subject, "unknown", f"owner {owner}: roles not readable: {why}", token_id
            )
        active = [r for r in roles if r.get("status", "ACTIVE") == "ACTIVE"]
        held = names(_role_text(r) for r in active) or "no admin role"
        if any(r.get("type") == SUPER_ADMIN for r in active):
            return Evidence(subject, "fail", f"owner {owner} is a super admin: {held}", token_id)
        allowed = {login.lower() for login in context.state.controls.token_owners}
        if allowed:
            owners = context.data.token_owners
            if not isinstance(owners, Mapping):
                return Evidence(
                    subject, "unknown", f"owner {owner_id}: not readable: {owners.reason}", token_id
                )
            if owner.lower() not in allowed:
                return Evidence(
                    subject,
                    "fail",
                    f"owner {owner} is not a dedicated account (controls.api_tokens.owners)",
                    token_id,
                )
        return Evidence(subject, "pass", f"owner {owner} holds {held}", token_id)
