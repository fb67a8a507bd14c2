"""SES-001: one Okta session used from another network and another client (correlation).

The 2023 support-system breach: session cookies stolen from HAR files were replayed from the
attackers' own machines. Every event of a session carries its `externalSessionId` (and
`rootSessionId`); the session's first events come from the user's browser. An event of the same
session from a different IP address *and* a different client (raw user agent, or device-token
hash `dtHash`) is the session used somewhere else. Requiring both keeps the common benign moves
quiet: a laptop changing networks (new IP, same browser) and a browser update on the same
network (same IP, new user agent). The user agent is compared exactly: a replayed cookie in a
browser one version apart is still another client. Outcomes do not matter (a replay that fails
is still a replay). Okta-internal requests made on an admin's behalf (client id of the Admin
Console, user agent "Okta-Integrations") are not the admin's client and are skipped.

State: per session key, the distinct (address, client) contexts seen, kept for
`window_minutes` after the session's last event and at most `max_sessions` sessions.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.watch import event as ev
from generator.watch.detection import (
    Alert,
    CorrelationDetection,
    DetectionInfo,
    user_responses,
)

INTERNAL_CLIENTS = frozenset({ev.ADMIN_CONSOLE_CLIENT})
INTERNAL_AGENTS = frozenset({"okta-integrations"})
MAX_CONTEXTS = 16  # distinct (address, client) pairs remembered per session


@dataclass(frozen=True)
class Parameters:
    window_minutes: int = 24 * 60  # how long a session is remembered after its last event
    max_sessions: int = 200_000  # sessions remembered at most (oldest forgotten first)
    ignore_moves_within_trusted: bool = False  # both addresses trusted: not a replay


@dataclass
class _Session:
    last_ms: int
    contexts: list[tuple[str, str, str]]  # (ip, user agent, dtHash)


class SessionReplay(CorrelationDetection):
    Parameters = Parameters
    info = DetectionInfo(
        id="SES-001",
        category="session_replay",
        title="Session used from another network and client",
        severity="critical",
        proves="One Okta session (same externalSessionId or rootSessionId) was used from two "
        "different IP addresses with two different clients: the session token was copied and "
        "replayed, the pattern of the 2023 Okta support-system breach.",
        false_positives=(
            "A user switching network and browser at once while the session lives (rare: the "
            "session cookie stays in the browser).",
            "An admin's session used by an Okta integration on their behalf with an unlisted "
            "client id or user agent.",
            "Rotating egress of a secure web gateway together with a browser update; set "
            "ignore_moves_within_trusted when both addresses are trusted egress.",
        ),
        event_types=None,
        references=(
            "Okta System Log query guide: externalSessionId correlates a session's events",
            "Panther Okta.PotentiallyStolenSession; Elastic AiTM session cookie replay",
        ),
    )

    def __init__(self, context: Any, parameters: Any = None) -> None:
        super().__init__(context, parameters)
        self.sessions: OrderedDict[str, _Session] = OrderedDict()

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        keys = ev.session_ids(event)
        if not keys:
            return ()
        address, agent = ev.client_ip(event), ev.user_agent(event)
        if not address or ev.text(event, "client", "id") in INTERNAL_CLIENTS:
            return ()
        if agent.strip().lower() in INTERNAL_AGENTS:
            return ()
        current = (address, agent, str(ev.debug_data(event).get("dtHash") or ""))
        moment = ev.published_ms(event) or 0
        found: Alert | None = None
        for key in keys:
            session = self.sessions.get(key)
            if session is None:
                self._remember(key, _Session(moment, [current]))
                continue
            self.sessions.move_to_end(key)
            session.last_ms = max(session.last_ms, moment)
            if current in session.contexts:
                continue
            earlier = next((c for c in session.contexts if self._elsewhere(c, current)), None)
            if len(session.contexts) < MAX_CONTEXTS:
                session.contexts.append(current)
            if earlier is not None and found is None:
                found = self._raise(event, key, earlier, current)
        return () if found is None else (found,)

    def _elsewhere(self, before: tuple[str, str, str], now: tuple[str, str, str]) -> bool:
        moved = bool(before[0]) and before[0] != now[0]
        other_agent = bool(before[1]) and bool(now[1]) and before[1] != now[1]
        other_device = bool(before[2]) and bool(now[2]) and before[2] != now[2]
        if not (moved and (other_agent or other_device)):
            return False
        if self.params.ignore_moves_within_trusted:
            trusted = self.context.trusted
            return not (trusted.contains(before[0]) and trusted.contains(now[0]))
        return True

    def _raise(
        self,
        event: ev.LogEvent,
        key: str,
        earlier: tuple[str, str, str],
        current: tuple[str, str, str],
    ) -> Alert:
        actor = ev.actor(event)
        who = ev.actor_name(event)
        first_agent, replay_agent = earlier[1] or "no user agent", current[1] or "no user agent"
        return self.alert(
            event,
            f"Session of {who} replayed from {current[0]}",
            f"Session {key} of {who} was first used from {earlier[0]} ({first_agent}) and now "
            f"from {current[0]} ({replay_agent}) in {event.get('eventType')}: another network "
            "and another client.",
            keys=(key, current[0], current[1], current[2]),
            evidence=(
                ("session", key),
                ("first_ip", earlier[0]),
                ("first_user_agent", earlier[1]),
                ("replay_ip", current[0]),
                ("replay_user_agent", current[1]),
                ("replay_as_org", ev.text(event, "securityContext", "asOrg")),
                ("event_type", str(event.get("eventType"))),
            ),
            responses=user_responses(actor),
            correlated=True,
        )

    def _remember(self, key: str, session: _Session) -> None:
        self.sessions[key] = session
        while len(self.sessions) > self.params.max_sessions:
            self.sessions.popitem(last=False)

    def expire(self, now_ms: int) -> None:
        horizon = now_ms - self.params.window_minutes * 60_000
        for key in [k for k, s in self.sessions.items() if s.last_ms < horizon]:
            del self.sessions[key]

    def export_state(self) -> Any:
        return [[k, s.last_ms, [list(c) for c in s.contexts]] for k, s in self.sessions.items()]

    def import_state(self, data: Any) -> None:
        if not isinstance(data, list):
            return
        for entry in data:
            if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[1], int):
                contexts = [
                    (str(c[0]), str(c[1]), str(c[2]))
                    for c in entry[2]
                    if isinstance(c, list) and len(c) == 3
                ]
                self._remember(str(entry[0]), _Session(entry[1], contexts))
