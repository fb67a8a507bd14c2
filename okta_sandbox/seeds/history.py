"""Synthetic System Log history for the seeds, shaped like a real org's so that "who changed it"
and IOC detection have something true to read.

Every sign-in is a session with its own `externalSessionId`: an MFA check, the sign-on policy
evaluation, the session start, SSO to apps; admins open the Admin Console and now and then change
a policy, a rule or a zone. Some sign-ins fail, some pushes are denied, and a few admin sessions
are replayed from an unknown IP with the same session id (the 2023 support-system breach
pattern). `client.zone` names the zone the IP falls in ("null" outside every zone). The same
RNG seed gives the same history.
"""

from __future__ import annotations

import base64
import bisect
import functools
import itertools
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.routing import Principal, State
from okta_sandbox.facts import ADMIN_CONSOLE_APP, DASHBOARD_APP
from okta_sandbox.logs import events
from okta_sandbox.zones.entries import zone_of

ADMIN_CONSOLE, DASHBOARD = ADMIN_CONSOLE_APP, DASHBOARD_APP
TRUSTED_IPS = ("163.116.130.7", "163.116.141.22", "8.36.116.12", "198.51.100.10", "198.51.100.23")
HOME_IPS = ("203.0.113.40", "203.0.113.77", "203.0.113.151")
REPLAY_IPS = ("192.0.2.66", "192.0.2.201")  # where stolen sessions get replayed from
BROWSER = {
    "rawUserAgent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0",
    "os": "Linux",
    "browser": "FIREFOX",
}
ATTACKER = {"rawUserAgent": "python-requests/2.32.3", "os": "Unknown", "browser": "UNKNOWN"}
MESSAGES = {
    "user.authentication.auth_via_mfa": ("Authentication of user via MFA", "/idp/idx/challenge"),
    "policy.evaluate_sign_on": ("Evaluation of sign-on policy", "/idp/idx/identify"),
    "user.session.start": ("User login to Okta", "/idp/idx/identify"),
    "user.authentication.sso": ("User single sign on to app", "/app/{app}/sso"),
    "user.session.access_admin_app": ("User accessing Okta admin app", "/admin/sso/callback"),
    "user.session.end": ("User logout from Okta", "/login/signout"),
    "user.mfa.okta_verify.deny_push": ("User rejected Okta push verify", "/idp/idx/challenge"),
    "security.threat.detected": ("Request from suspicious actor", "/admin/sso/callback"),
    "policy.rule.update": ("Update policy rule", "/api/v1/policies/{policy}/rules/{rule}"),
    "policy.lifecycle.update": ("Update policy", "/api/v1/policies/{policy}"),
    "zone.update": ("Update Network Zone", "/api/v1/zones/{zone}"),
}


@dataclass(frozen=True)
class Step:
    """One event of a session, `offset` seconds after the session started."""

    event_type: str
    offset: int
    targets: tuple[str, ...] = ()  # keys of History.targets
    failure: str | None = None  # outcome reason of a failed step
    replay: bool = False  # sent from a replay IP with a scripted client


FAILED_SIGN_IN = (Step("user.session.start", 0, failure="INVALID_CREDENTIALS"),)
DENIED_PUSH = (Step("user.mfa.okta_verify.deny_push", 0, failure="USER_REJECTED_OKTA_VERIFY_PUSH"),)
SIGN_IN = (
    Step("user.authentication.auth_via_mfa", 0),
    Step("policy.evaluate_sign_on", 1),
    Step("user.session.start", 2),
    Step("user.authentication.sso", 4, ("dashboard",)),
)
ADMIN_CONSOLE_VISIT = (
    Step("user.authentication.sso", 30, ("console",)),
    Step("user.session.access_admin_app", 31, ("console",)),
)
ADMIN_CHANGES = (
    Step("policy.rule.update", 95, ("console_rule", "console_policy")),
    Step("policy.lifecycle.update", 95, ("dashboard_policy",)),
    Step("zone.update", 95, ("legacy_zone",)),
)
REPLAY = (  # the stolen session cookie, used from elsewhere minutes later
    Step("user.session.access_admin_app", 600, ("console",), replay=True),
    Step("security.threat.detected", 601, replay=True),
)
SIGN_OUT = (Step("user.session.end", 1800),)


class History:
    def __init__(self, state: State, actors: Sequence[dict[str, Any]], admins: set[str]) -> None:
        self.state = state
        self.actors = list(actors)
        self.admins = admins
        self.targets = _targets(state)
        ips = TRUSTED_IPS + HOME_IPS + REPLAY_IPS + _zone_ips(state)
        self.zones = {ip: zone_of(state, ip) for ip in ips}
        self.trusted = [ip for ip in ips if ip not in HOME_IPS + REPLAY_IPS]
        self._templates: dict[tuple[str, int], dict[str, Any]] = {}
        self._shared: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]] = {}

    def session(self, rng: random.Random, actor: dict[str, Any]) -> tuple[Step, ...]:
        roll = rng.random()
        if roll < 0.06:
            return FAILED_SIGN_IN
        if roll < 0.09:
            return DENIED_PUSH
        steps: tuple[Step, ...] = SIGN_IN
        if actor["id"] in self.admins:
            steps += ADMIN_CONSOLE_VISIT
            if rng.random() < 0.2:
                steps += (rng.choice(ADMIN_CHANGES),)
            if rng.random() < 0.02:
                steps += REPLAY
        if rng.random() < 0.3:
            steps += SIGN_OUT
        return steps

    def event(
        self, actor: dict[str, Any], step: Step, ip: str, moment_ms: int, session: str, h: str
    ) -> dict[str, Any]:
        """The event of `step`; `h` is 32 random hex digits (its uuid and request id)."""
        template = self._template(actor, step)
        client, request = self._client(template, ip)
        event = template.copy()
        request_id = h[:20]
        event["uuid"] = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
        event["published"] = _iso_ms(moment_ms)
        event["client"] = client  # shared by the events of this template and IP (never mutated)
        event["request"] = request
        event["transaction"] = {"type": "WEB", "id": request_id, "detail": {}}
        context = template["authenticationContext"].copy()
        context["externalSessionId"] = session
        event["authenticationContext"] = context
        uri = template["debugContext"]["debugData"]["requestUri"]
        event["debugContext"] = {
            "debugData": {"requestId": request_id, "requestUri": uri, "url": uri}
        }
        return event

    def _client(self, template: dict[str, Any], ip: str) -> tuple[dict[str, Any], dict[str, Any]]:
        key = (id(template), ip)
        shared = self._shared.get(key)
        if shared is None:
            client = {**template["client"], "ipAddress": ip, "zone": self.zones[ip]}
            shared = self._shared[key] = (client, {"ipChain": [{"ip": ip, "version": "V4"}]})
        return shared

    def _template(self, actor: dict[str, Any], step: Step) -> dict[str, Any]:
        key = (actor["id"], id(step))
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = self._build_template(actor, step)
        return template

    def _build_template(self, actor: dict[str, Any], step: Step) -> dict[str, Any]:
        profile = actor["profile"]
        name = f"{profile['firstName']} {profile['lastName']}".strip()
        message, uri = MESSAGES[step.event_type]
        targets = [self.targets[t] for t in step.targets]
        by_type = {t["type"]: t["id"] for t in targets}
        return events.build_event(
            event_type=step.event_type,
            display_message=message,
            principal=Principal("session", actor["id"], "User", profile["login"], name),
            client_ip="0.0.0.0",
            request_id="template",
            request_uri=uri.format(
                app=DASHBOARD,
                policy=by_type.get("PolicyEntity", ""),
                rule=by_type.get("PolicyRule", ""),
                zone=by_type.get("Zone", ""),
            ),
            targets=targets,
            published=ids.now(),
            outcome="FAILURE" if step.failure else "SUCCESS",
            reason=step.failure,
            severity="WARN" if step.failure or step.replay else "INFO",
            user_agent=ATTACKER if step.replay else BROWSER,
        )


def add_history(
    state: State,
    actors: Sequence[dict[str, Any]],
    count: int,
    days: int,
    admins: set[str] | None = None,
    rng: random.Random | None = None,
) -> None:
    """Append `count` events of sessions spread over the past `days` days, oldest first.

    One full event is built per (actor, kind); the others copy it and change what differs,
    which keeps the `large` seed fast.
    """
    rng = rng or random.Random(7)
    history = History(state, actors, admins or set())
    weights = [0.1 if "breakglass" in a["profile"]["login"] else 1.0 for a in actors]
    cumulative = list(itertools.accumulate(weights))
    sessions: list[tuple[dict[str, Any], tuple[Step, ...]]] = []
    total = 0
    while total < count:
        actor = history.actors[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        steps = history.session(rng, actor)
        sessions.append((actor, steps))
        total += len(steps)
    end_ms = int((ids.now() - timedelta(hours=1)).timestamp() * 1000)
    span_ms = days * 86_400_000 - 3_600_000
    start_ms = end_ms - span_ms
    step_ms = span_ms // max(len(sessions), 1)
    new: list[dict[str, Any]] = []
    for index, (actor, steps) in enumerate(sessions):
        began = start_ms + index * step_ms + rng.randrange(max(step_ms // 2, 1))
        session = "idx" + base64.urlsafe_b64encode(rng.randbytes(16)).decode()[:22]
        home = rng.choice(history.trusted if actor["id"] in history.admins else HOME_IPS)
        replay_ip = rng.choice(REPLAY_IPS)
        for step in steps:
            ip = replay_ip if step.replay else home
            moment = min(began + step.offset * 1000, end_ms)
            new.append(history.event(actor, step, ip, moment, session, rng.randbytes(16).hex()))
    new.sort(key=lambda e: e["published"])
    state["logs"] += new[:count]
    state["logs"].sort(key=lambda e: e["published"])


def _targets(state: State) -> dict[str, dict[str, Any]]:
    """The seed objects admin sessions touch, as LogEvent targets."""
    apps = {a["name"]: a for a in state["apps"].values()}
    policies = {p["name"]: p for p in state["policies"].values() if p["type"] == "ACCESS_POLICY"}
    console = policies["Okta Admin Console"]
    rule = next(r for r in state["rules"][console["id"]].values() if not r["system"])
    legacy = next(z for z in state["zones"].values() if z["name"] == "LegacyIpZone")

    def of(obj: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
        return events.target(obj["id"], kind, name, name)

    return {
        "console": of(apps[ADMIN_CONSOLE], "AppInstance", apps[ADMIN_CONSOLE]["label"]),
        "dashboard": of(apps[DASHBOARD], "AppInstance", apps[DASHBOARD]["label"]),
        "console_policy": of(console, "PolicyEntity", console["name"]),
        "console_rule": of(rule, "PolicyRule", rule["name"]),
        "dashboard_policy": of(policies["Okta Dashboard"], "PolicyEntity", "Okta Dashboard"),
        "legacy_zone": of(legacy, "Zone", legacy["name"]),
    }


def _zone_ips(state: State) -> tuple[str, ...]:
    """One address inside each of the first few custom IP zones (offices behind them)."""
    found = []
    for zone in state["zones"].values():
        if zone["type"] == "IP" and not zone["system"] and zone.get("gateways"):
            value = zone["gateways"][0]["value"].split("/")[0].split("-")[0]
            found.append(value.rsplit(".", 1)[0] + ".25" if "." in value else value)
        if len(found) == 5:
            break
    return tuple(found)


@functools.cache
def _day(day: int) -> str:
    return time.strftime("%Y-%m-%dT", time.gmtime(day * 86_400))


def _iso_ms(moment_ms: int) -> str:
    """Okta's timestamp format for epoch milliseconds (faster than datetime for 100k events)."""
    seconds, millis = divmod(moment_ms, 1000)
    day, second = divmod(seconds, 86_400)
    hours, second = divmod(second, 3600)
    minutes, second = divmod(second, 60)
    return f"{_day(day)}{hours:02d}:{minutes:02d}:{second:02d}.{millis:03d}Z"
