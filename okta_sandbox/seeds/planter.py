"""The `attacks` seed's planter: appends System Log events at given moments, from given
addresses, as given users, and the lookups the planted patterns share (the Admin Console's
app and policy as event targets, a zone's id by name, a fresh session id)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from okta_sandbox.apps.routes import app_target
from okta_sandbox.core.routing import Principal, State
from okta_sandbox.directory.routes import user_target
from okta_sandbox.facts import ADMIN_CONSOLE_APP
from okta_sandbox.logs import events
from okta_sandbox.seeds.networks import browser_of, geography, security_context
from okta_sandbox.zones.entries import zone_of


class Planter:
    """Appends events at given moments, from given addresses, as given users."""

    def __init__(self, state: State, now: datetime) -> None:
        self.state = state
        self.now = now
        self.rng = random.Random(1337)
        self.users: dict[str, dict[str, Any]] = {
            u["profile"]["login"]: u for u in state["users"].values()
        }

    def user(self, login: str) -> dict[str, Any]:
        return self.users[login]

    def add(
        self,
        minutes_ago: float,
        event_type: str,
        message: str,
        login: str,
        ip: str,
        targets: list[dict[str, Any]],
        *,
        agent: dict[str, Any] | None = None,
        session: str | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        actor = self.user(login)
        name = f"{actor['profile']['firstName']} {actor['profile']['lastName']}".strip()
        request_id = "".join(self.rng.choices("0123456789abcdef", k=20))
        event = events.build_event(
            event_type=event_type,
            display_message=message,
            principal=Principal("session", actor["id"], "User", login, name),
            client_ip=ip,
            request_id=request_id,
            request_uri=options.pop("uri", "/idp/idx/identify"),
            targets=targets,
            published=self.now - timedelta(minutes=minutes_ago),
            user_agent=agent or browser_of(actor["id"]),
            zone=zone_of(self.state, ip),
            session_id=session or "unknown",
            root_session_id=session,
            security=security_context(ip),
            geo=geography(ip),
            **options,
        )
        self.state["logs"].append(event)
        return event

    def target_user(self, login: str) -> dict[str, Any]:
        return user_target(self.user(login))


def new_session(rng: random.Random) -> str:
    return "idx" + "".join(
        rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", k=22)
    )


def console_targets(planter: Planter) -> list[dict[str, Any]]:
    state = planter.state
    app = next(a for a in state["apps"].values() if a["name"] == ADMIN_CONSOLE_APP)
    policy = state["policies"][state["app_policy"][app["id"]]]
    return [
        app_target(app),
        events.target(
            policy["id"],
            "PolicyEntity",
            policy["name"],
            policy["name"],
            {"policyType": "ACCESS_POLICY"},
        ),
    ]


def zone_id(state: State, name: str) -> str:
    return str(next(z["id"] for z in state["zones"].values() if z["name"] == name))
