"""Synthetic System Log history for the seeds, shaped like a real org's so that "who changed it"
and IOC detection have something true to read.

Every sign-in is a session with its own `externalSessionId` (and the same `rootSessionId`): an
Okta Verify push and its approval, the sign-on policy evaluation (ALLOW, naming the Global
Session Policy and rule), the session start (`dtHash`, `threatSuspected`, `behaviors`, `risk` in
`debugData`), SSO to the Okta Dashboard; admins evaluate the Admin Console's policy, open the
Admin Console and now and then change a policy, a rule or a zone. Some sign-ins fail (INFO,
outcome FAILURE, reason INVALID_CREDENTIALS or VERIFICATION_ERROR, no session), some pushes are
denied (Identity Engine's `user.authentication.auth_via_mfa` FAILURE with
`pushOnlyResponseType: OV_RESPONSE_DENY`), and a few admin sessions are replayed minutes later
from a hosting provider by a script with the same session id, after which ThreatInsight flags
the address (`security.threat.detected`, actor = the IP): the 2023 support-system breach
pattern. `client.zone` names the zone the IP falls in ("null" outside every zone). The same RNG
seed gives the same history.
"""

from __future__ import annotations

import base64
import bisect
import functools
import itertools
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.routing import Principal, State
from okta_sandbox.facts import ADMIN_CONSOLE_APP, DASHBOARD_APP
from okta_sandbox.logs import events
from okta_sandbox.seeds.networks import (
    HOME_IPS,
    REPLAY_IPS,
    SCRIPT,
    TRUSTED_IPS,
    browser_of,
    device_hash,
    geography,
    security_context,
)
from okta_sandbox.zones.entries import zone_of

QUIET_BEHAVIOURS = (
    "{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, New State=NEGATIVE, "
    "New Country=NEGATIVE, Velocity=NEGATIVE, New City=NEGATIVE}"
)
PUSH = {"factor": "OKTA_VERIFY_PUSH", "factorIntent": "LOGIN"}


@dataclass(frozen=True)
class Kind:
    """How an event type reads: message, request URI, legacy type, extra debugData."""

    message: str
    uri: str
    legacy: str | None = None
    debug: dict[str, Any] = field(default_factory=dict)


KINDS: dict[str, Kind] = {
    "system.push.send_factor_verify_push": Kind(
        "Push notification sent for verification",
        "/idp/idx/authenticators/poll",
        debug={"deviceCategory": "SmartPhone_IPhone", "devicePlatform": "IOS"},
    ),
    "user.authentication.auth_via_mfa": Kind(
        "Authentication of user via MFA", "/idp/idx/authenticators/poll", debug=PUSH
    ),
    "policy.evaluate_sign_on": Kind("Evaluation of sign-on policy", "/idp/idx/identify"),
    "user.session.start": Kind(
        "User login to Okta",
        "/idp/idx/identify",
        "core.user_auth.login_success",
        {"threatSuspected": "false", "behaviors": QUIET_BEHAVIOURS, "risk": "{level=LOW}"},
    ),
    "user.authentication.sso": Kind("User single sign on to app", "/app/{app}/sso"),
    "user.session.access_admin_app": Kind("User accessing Okta admin app", "/admin/sso/callback"),
    "user.session.end": Kind("User logout from Okta", "/login/signout"),
    "security.threat.detected": Kind(
        "Request from suspicious actor",
        "/admin/sso/callback",
        debug={"threatSuspected": "true", "threatDetections": '{"Credential Stuffing":"HIGH"}'},
    ),
    "policy.rule.update": Kind("Update policy rule", "/api/v1/policies/{policy}/rules/{rule}"),
    "policy.lifecycle.update": Kind("Update policy", "/api/v1/policies/{policy}"),
    "zone.update": Kind("Update Network Zone", "/api/v1/zones/{zone}"),
}


@dataclass(frozen=True)
class Step:
    """One event of a session, `offset` seconds after the session started."""

    event_type: str
    offset: int
    targets: tuple[str, ...] = ()  # keys of History.targets
    result: str = "SUCCESS"
    reason: str | None = None
    replay: bool = False  # sent from a replay IP with a scripted client
    debug: tuple[tuple[str, str], ...] = ()

    @property
    def in_session(self) -> bool:
        failed = self.result == "FAILURE" and self.event_type == "user.session.start"
        return not failed and self.event_type != "security.threat.detected"


def _failed_sign_in(reason: str) -> tuple[Step, ...]:
    login = (("loginResult", reason),)
    return (Step("user.session.start", 0, result="FAILURE", reason=reason, debug=login),)


FAILED_SIGN_INS = (_failed_sign_in("INVALID_CREDENTIALS"), _failed_sign_in("VERIFICATION_ERROR"))
DENIED_PUSH = (
    Step("system.push.send_factor_verify_push", 0),
    Step(
        "user.authentication.auth_via_mfa",
        9,
        result="FAILURE",
        reason="INVALID_CREDENTIALS",
        debug=(("pushOnlyResponseType", "OV_RESPONSE_DENY"),),
    ),
)
SIGN_IN = (
    Step("system.push.send_factor_verify_push", 0),
    Step(
        "user.authentication.auth_via_mfa",
        4,
        debug=(("pushOnlyResponseType", "OV_RESPONSE_APPROVE"),),
    ),
    Step(
        "policy.evaluate_sign_on",
        5,
        ("signon_policy", "signon_rule", "dashboard"),
        result="ALLOW",
        reason="Sign-on policy evaluation resulted in ALLOW",
    ),
    Step("user.session.start", 6, ("dashboard",)),
    Step("user.authentication.sso", 8, ("dashboard",)),
)
ADMIN_CONSOLE_VISIT = (
    Step(
        "policy.evaluate_sign_on",
        29,
        ("console", "console_policy", "console_rule"),
        result="ALLOW",
        reason="Sign-on policy evaluation resulted in ALLOW",
    ),
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
    Step("security.threat.detected", 601, result="DENY", reason="Credential Stuffing", replay=True),
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
        self.security = {ip: security_context(ip) for ip in ips}
        self.geo = {ip: geography(ip) for ip in ips}
        self.trusted = [ip for ip in ips if ip not in HOME_IPS + REPLAY_IPS]
        self._templates: dict[tuple[str, int], dict[str, Any]] = {}
        self._shared: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]] = {}

    def session(self, rng: random.Random, actor: dict[str, Any]) -> tuple[Step, ...]:
        roll = rng.random()
        if roll < 0.06:
            return FAILED_SIGN_INS[rng.random() < 0.3]
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
        event["securityContext"] = self.security[ip]
        event["transaction"] = {"type": "WEB", "id": request_id, "detail": None}
        context = template["authenticationContext"].copy()
        context["externalSessionId"] = session if step.in_session else "unknown"
        if step.in_session:
            context["rootSessionId"] = session
        event["authenticationContext"] = context
        debug = template["debugContext"]["debugData"].copy()
        debug["requestId"] = request_id
        event["debugContext"] = {"debugData": debug}
        if step.event_type == "security.threat.detected":
            event["actor"] = {**template["actor"], "id": ip}
        return event

    def _client(self, template: dict[str, Any], ip: str) -> tuple[dict[str, Any], dict[str, Any]]:
        key = (id(template), ip)
        shared = self._shared.get(key)
        if shared is None:
            client = {**template["client"], "ipAddress": ip, "zone": self.zones[ip]}
            hop: dict[str, Any] = {"ip": ip, "version": "V4"}
            if self.geo[ip] is not None:
                client["geographicalContext"] = hop["geographicalContext"] = self.geo[ip]
            hop["source"] = None
            shared = self._shared[key] = (client, {"ipChain": [hop]})
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
        kind = KINDS[step.event_type]
        targets = [self.targets[t] for t in step.targets]
        by_type = {t["type"]: t["id"] for t in targets}
        agent = SCRIPT if step.replay else browser_of(actor["id"])
        debug = dict(kind.debug)
        debug.update(step.debug)
        if step.event_type == "user.session.start" and step.result == "SUCCESS":
            debug["dtHash"] = device_hash(actor["id"], agent)
        legacy = kind.legacy
        if step.event_type == "user.session.start" and step.result == "FAILURE":
            legacy = "core.user_auth.login_failed"
            debug = dict(step.debug)
        threat = step.event_type == "security.threat.detected"
        uri = kind.uri.format(
            app=DASHBOARD_APP,
            policy=by_type.get("PolicyEntity", ""),
            rule=by_type.get("PolicyRule", ""),
            zone=by_type.get("Zone", ""),
        )
        return events.build_event(
            event_type=step.event_type,
            display_message=kind.message,
            principal=Principal("session", actor["id"], "User", profile["login"], name),
            client_ip="0.0.0.0",
            request_id="template",
            request_uri=uri,
            targets=targets,
            published=ids.now(),
            outcome=step.result,
            reason=step.reason,
            severity="WARN" if threat else "INFO",
            user_agent=agent,
            debug=debug,
            legacy_event_type=legacy,
            actor=(
                {"id": "", "type": "IP address", "alternateId": "unknown", "displayName": "unknown"}
                if threat
                else None
            ),
        )


def add_history(
    state: State,
    actors: Sequence[dict[str, Any]],
    count: int,
    days: int,
    admins: set[str] | None = None,
    rng: random.Random | None = None,
    end_offset: timedelta = timedelta(hours=1),
) -> None:
    """Append `count` events of sessions spread over the `days` days before `end_offset` ago,
    oldest first.

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
    end_ms = int((ids.now() - end_offset).timestamp() * 1000)
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
    """The seed objects sessions touch, as LogEvent targets."""
    apps = {a["name"]: a for a in state["apps"].values()}
    policies = {p["name"]: p for p in state["policies"].values() if p["type"] == "ACCESS_POLICY"}
    console = policies["Okta Admin Console"]
    rule = next(r for r in state["rules"][console["id"]].values() if not r["system"])
    signon = next(p for p in state["policies"].values() if p["type"] == "OKTA_SIGN_ON")
    signon_rule = next(iter(state["rules"][signon["id"]].values()))
    legacy = next(z for z in state["zones"].values() if z["name"] == "LegacyIpZone")

    def of(obj: dict[str, Any], kind: str, name: str, **detail: Any) -> dict[str, Any]:
        return events.target(obj["id"], kind, name, name, detail or None)

    return {
        "console": of(apps[ADMIN_CONSOLE_APP], "AppInstance", apps[ADMIN_CONSOLE_APP]["label"]),
        "dashboard": of(apps[DASHBOARD_APP], "AppInstance", apps[DASHBOARD_APP]["label"]),
        "console_policy": of(console, "PolicyEntity", console["name"], policyType="ACCESS_POLICY"),
        "console_rule": of(rule, "PolicyRule", rule["name"]),
        "signon_policy": of(signon, "PolicyEntity", signon["name"], policyType="OktaSignOn"),
        "signon_rule": of(signon_rule, "PolicyRule", signon_rule["name"]),
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
