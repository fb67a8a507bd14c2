"""`egress-guard respond`: the response an alert suggests, dry run first.

Three actions, each one Okta Management API call: clear a user's sessions (`DELETE
/api/v1/users/{id}/sessions`, which also revokes their OAuth tokens with `oauthTokens=true`),
suspend a user (`POST /api/v1/users/{id}/lifecycle/suspend`), revoke an API token (`DELETE
/api/v1/api-tokens/{id}`). Without `--execute` the plan is printed and nothing is sent. With it,
each call needs a manage scope (`okta.users.manage`, `okta.apiTokens.manage`) or an API token
whose admin may do it. Every action (planned or executed, with its outcome) is appended to the
action log as one JSON line. Break-glass accounts of the config are never suspended or signed
out unless `--force`: locking out the emergency access is what an attacker would want.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from generator.errors import EgressGuardError, InputError
from generator.okta.client import OktaClient
from generator.okta.errors import OktaError
from generator.okta.paths import segment
from generator.watch.detection import Alert, Response

ACTIONS: dict[str, tuple[str, str, str, str]] = {
    # action -> (HTTP method, path template, scope, what it does)
    "clear_sessions": (
        "DELETE",
        "/api/v1/users/{id}/sessions?oauthTokens=true",
        "okta.users.manage",
        "clear every session of {name} and revoke their OAuth tokens",
    ),
    "suspend_user": (
        "POST",
        "/api/v1/users/{id}/lifecycle/suspend",
        "okta.users.manage",
        "suspend the user {name} (they cannot sign in until unsuspended)",
    ),
    "revoke_token": (
        "DELETE",
        "/api/v1/api-tokens/{id}",
        "okta.apiTokens.manage",
        "revoke the API token {name}",
    ),
}


class RespondError(EgressGuardError):
    """A response could not be planned or carried out (exit 1)."""


@dataclass(frozen=True)
class PlannedAction:
    alert: str
    action: str
    method: str
    path: str
    scope: str
    description: str
    subject_id: str


def plan(
    alert: Alert,
    chosen: Sequence[str] = (),
    protected: Sequence[str] = (),
    force: bool = False,
) -> list[PlannedAction]:
    """The calls for `alert`'s suggested responses (only `chosen` ones when given)."""
    suggested = [r for r in alert.responses if not chosen or r.action in chosen]
    unknown = [c for c in chosen if c not in {r.action for r in alert.responses}]
    if unknown:
        offered = ", ".join(r.action.replace("_", "-") for r in alert.responses) or "none"
        raise InputError(
            f"alert {alert.id} does not suggest {', '.join(unknown)} (it suggests: {offered})"
        )
    if not suggested:
        raise InputError(f"alert {alert.id} ({alert.detection}) suggests no response")
    actions = []
    guarded = {p.lower() for p in protected}
    for response in suggested:
        names = {response.subject_id.lower(), response.subject_name.lower()}
        if response.action != "revoke_token" and not force and names & guarded:
            raise RespondError(
                f"{response.subject_name or response.subject_id} is a break-glass account "
                f"of the config: not {response.action.replace('_', ' ')} (use --force if it "
                "is compromised)"
            )
        actions.append(_action(alert, response))
    return actions


def _action(alert: Alert, response: Response) -> PlannedAction:
    method, template, scope, text = ACTIONS[response.action]
    name = response.subject_name or response.subject_id
    return PlannedAction(
        alert=alert.id,
        action=response.action,
        method=method,
        path=template.format(id=segment(response.subject_id)),
        scope=scope,
        description=text.format(name=name),
        subject_id=response.subject_id,
    )


def missing_scopes(actions: Sequence[PlannedAction], granted: Sequence[str] | None) -> list[str]:
    """Scopes the OAuth token lacks for `actions` (None: an API token, which carries its
    admin's rights, so nothing can be checked up front)."""
    if granted is None:
        return []
    return sorted({a.scope for a in actions} - set(granted))


def log_action(path: Path, action: PlannedAction, mode: str, outcome: str) -> None:
    """Append one JSON line: when, what, how it went (no credentials)."""
    entry = {
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": mode,
        "outcome": outcome,
        **asdict(action),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise RespondError(f"{path}: cannot write the action log: {error.strerror}") from None


Mode = Literal["dry-run", "execute"]


def carry_out(client: OktaClient, action: PlannedAction) -> str:
    """Send the call; its outcome as a short text. Raises RespondError when Okta refused it."""
    path, _, query = action.path.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p) or None
    try:
        client.request(action.method, path, params=params)
    except OktaError as error:
        raise RespondError(f"{action.description}: {error}") from None
    return "done"
