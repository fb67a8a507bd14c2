"""Synthetic System Log history for the seeds: sign-ins and Admin Console SSO."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from generator.sandbox import events, ids
from generator.sandbox.core import Principal, State

ADMIN_CONSOLE = "saasure"


def add_history(
    state: State,
    actors: list[dict[str, Any]],
    count: int,
    days: int,
    rng: random.Random | None = None,
) -> None:
    """Sign-ins and Admin Console SSO spread over the past `days` days, oldest first.

    One full event is built per (actor, kind); the others copy it and change what differs
    (uuid, time, IP, request/transaction ids), which keeps the `large` seed fast.
    """
    rng = rng or random.Random(7)
    start = ids.now() - timedelta(days=days)
    step = timedelta(days=days) / max(count, 1)
    console = next(a for a in state["apps"].values() if a["name"] == ADMIN_CONSOLE)
    ips = ["198.51.100.10", "198.51.100.23", "203.0.113.40", "8.36.116.12", "163.116.130.7"]
    templates: dict[tuple[str, bool], dict[str, Any]] = {}
    for index in range(count):
        actor = actors[index % len(actors)]
        sso = index % 3 == 0
        template = templates.get((actor["id"], sso))
        if template is None:
            template = templates[(actor["id"], sso)] = _template(actor, console, sso)
        ip = ips[rng.getrandbits(16) % len(ips)]
        bits = rng.getrandbits(128)
        request_id = f"{bits:032x}"[:20]
        event = dict(template)
        bits = (bits & ~(0xF << 76) & ~(0x3 << 62)) | (0x4 << 76) | (0x2 << 62)
        hexed = f"{bits:032x}"
        event["uuid"] = f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"
        moment = (start + step * index).isoformat(timespec="milliseconds")
        event["published"] = moment.replace("+00:00", "Z")
        event["client"] = {**template["client"], "ipAddress": ip}
        event["request"] = {"ipChain": [{"ip": ip, "version": "V4"}]}
        event["transaction"] = {"type": "WEB", "id": request_id, "detail": {}}
        event["debugContext"] = {
            "debugData": {
                "requestId": request_id,
                "requestUri": "/idp/idx/identify",
                "url": "/idp/idx/identify",
            }
        }
        state["logs"].append(event)


def _template(actor: dict[str, Any], console: dict[str, Any], sso: bool) -> dict[str, Any]:
    login = actor["profile"]["login"]
    name = f"{actor['profile']['firstName']} {actor['profile']['lastName']}"
    targets = (
        [events.target(console["id"], "AppInstance", console["label"], console["label"])]
        if sso
        else []
    )
    return events.build_event(
        event_type="user.authentication.sso" if sso else "user.session.start",
        display_message="User single sign on to app" if sso else "User login to Okta",
        principal=Principal("session", actor["id"], "User", login, name),
        client_ip="0.0.0.0",
        request_id="template",
        request_uri="/idp/idx/identify",
        targets=targets,
        published=ids.now(),
        user_agent={
            "rawUserAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
            "os": "Linux",
            "browser": "FIREFOX",
        },
    )
