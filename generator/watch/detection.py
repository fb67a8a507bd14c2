"""The interface every detection implements, and the alert it raises.

A detection is a small class with an `info` (id, category, severity, what it proves, false
positives, the event types it reads), a frozen `Parameters` dataclass (its tunables, with
defaults) and `observe(event)`, which returns the alerts one event raises. Per-event detections
look at one event; correlation detections (`correlation = True`) keep bounded state across
events (sessions, counters), which `export_state`/`import_state` persist between runs and
`expire` trims to the replay window. One module per detection lives in `detections/`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from generator.watch import event as ev
from generator.watch.admin_groups import AdminGroups, BreakGlass

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
CATEGORIES = (
    "admin_access_untrusted_ip",
    "session_replay",
    "mfa_weakened",
    "user_created",
    "user_activated",
    "privilege_granted",
    "api_token_created",
    "policy_or_zone_changed",
    "suspicious_activity",
    "brute_force_or_push_fatigue",
)


def rank(severity: str) -> int:
    return SEVERITIES.index(severity)  # type: ignore[arg-type,unused-ignore]


@dataclass(frozen=True)
class DetectionInfo:
    id: str  # e.g. "ADM-001"
    category: str  # one of CATEGORIES
    title: str
    severity: Severity  # the usual severity; an alert may raise or lower it
    proves: str  # what an alert of this detection establishes
    false_positives: tuple[str, ...]
    event_types: frozenset[str] | None  # None: every event
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrustedRanges:
    """The networks admin access is expected from (the config's resolved egress set)."""

    networks: tuple[Network, ...]
    source: str = ""

    def contains(self, address: str) -> bool | None:
        """True inside, False outside, None when `address` is not an IP address."""
        parsed = ev.parse_address(address)
        if parsed is None:
            return None
        return any(parsed.version == n.version and parsed in n for n in self.networks)

    @classmethod
    def of(cls, cidrs: Iterable[str], source: str = "") -> TrustedRanges:
        networks = tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)
        return cls(networks, source)


@dataclass(frozen=True)
class WatchContext:
    """What detections know about the org beyond the log: trusted ranges, the name prefix of
    managed objects, the identities that apply Terraform (their changes are expected), the
    admin groups (configured, built in, read from the org) and the break-glass accounts."""

    trusted: TrustedRanges = field(default_factory=lambda: TrustedRanges(()))
    name_prefix: str = "egress-guard"
    automation_actors: frozenset[str] = frozenset()  # actor ids, logins, client or token ids
    admin_groups: AdminGroups = field(default_factory=AdminGroups)
    break_glass: BreakGlass = field(default_factory=BreakGlass)

    def automated(self, event: ev.LogEvent) -> bool:
        """The event was made by one of `automation_actors` (actor id or login, OAuth client
        id, or API token id)."""
        actor = ev.actor(event)
        identities = {
            str(actor.get("id") or ""),
            str(actor.get("alternateId") or ""),
            ev.text(event, "client", "id"),
            ev.text(event, "transaction", "detail", "requestApiTokenId"),
        } - {""}
        return bool(identities & self.automation_actors)


@dataclass(frozen=True)
class Subject:
    """Who or what an alert is about: the actor or a target (id, type, login/name)."""

    id: str
    type: str
    name: str

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Subject:
        return cls(str(raw.get("id") or ""), str(raw.get("type") or ""), ev.name_of(raw))


@dataclass(frozen=True)
class Response:
    """A response `egress-guard respond` can take: `clear_sessions` / `suspend_user` (a user
    id) or `revoke_token` (an API token id)."""

    action: Literal["clear_sessions", "suspend_user", "revoke_token"]
    subject_id: str
    subject_name: str


@dataclass(frozen=True)
class Alert:
    id: str
    detection: str
    category: str
    severity: Severity
    title: str
    summary: str
    published: str  # of the event that raised it
    event_uuids: tuple[str, ...]
    actor: Subject | None
    client_ip: str = ""
    session_id: str = ""
    targets: tuple[Subject, ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()
    responses: tuple[Response, ...] = ()
    correlated: bool = False  # a conclusion from several events (replay, thresholds)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Alert:
        actor = data.get("actor")
        return cls(
            id=str(data["id"]),
            detection=str(data["detection"]),
            category=str(data["category"]),
            severity=data["severity"],
            title=str(data["title"]),
            summary=str(data["summary"]),
            published=str(data["published"]),
            event_uuids=tuple(data["event_uuids"]),
            actor=Subject(**actor) if isinstance(actor, Mapping) else None,
            client_ip=str(data.get("client_ip") or ""),
            session_id=str(data.get("session_id") or ""),
            targets=tuple(Subject(**t) for t in data.get("targets") or ()),
            evidence=tuple((str(k), str(v)) for k, v in data.get("evidence") or ()),
            responses=tuple(Response(**r) for r in data.get("responses") or ()),
            correlated=bool(data.get("correlated", False)),
        )


def alert_id(detection: str, *keys: str) -> str:
    """A stable id: the same detection on the same events gives the same id on every run."""
    digest = hashlib.sha256("\x1f".join((detection, *keys)).encode("utf-8")).hexdigest()
    return f"EGW-{digest[:12]}"


@dataclass(frozen=True)
class NoParameters:
    pass


class Detection(ABC):
    info: ClassVar[DetectionInfo]
    Parameters: ClassVar[type[Any]] = NoParameters
    correlation: ClassVar[bool] = False

    def __init__(self, context: WatchContext, parameters: Any = None) -> None:
        self.context = context
        self.params = parameters if parameters is not None else self.Parameters()

    @abstractmethod
    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        """The alerts `event` raises (usually none)."""

    def alert(
        self,
        event: ev.LogEvent,
        title: str,
        summary: str,
        *,
        keys: Sequence[str] = (),
        severity: Severity | None = None,
        evidence: Sequence[tuple[str, str]] = (),
        responses: Sequence[Response] = (),
        uuids: Sequence[str] = (),
        correlated: bool = False,
    ) -> Alert:
        """An alert about `event` (and the events `uuids`), with the usual fields filled in."""
        actor = ev.actor(event)
        uuid = ev.text(event, "uuid")
        all_uuids = tuple(dict.fromkeys((*uuids, uuid))) if uuid else tuple(uuids)
        sessions = ev.session_ids(event)
        return Alert(
            id=alert_id(self.info.id, *(keys or all_uuids)),
            detection=self.info.id,
            category=self.info.category,
            severity=severity or self.info.severity,
            title=title,
            summary=summary,
            published=ev.text(event, "published"),
            event_uuids=all_uuids,
            actor=Subject.of(actor) if actor else None,
            client_ip=ev.client_ip(event),
            session_id=sessions[0] if sessions else "",
            targets=tuple(Subject.of(t) for t in ev.targets(event)),
            evidence=tuple(evidence),
            responses=tuple(responses),
            correlated=correlated,
        )


class CorrelationDetection(Detection):
    """A detection that keeps state across events (sessions, counters), bounded by its window
    and persisted between runs."""

    correlation: ClassVar[bool] = True

    @abstractmethod
    def export_state(self) -> Any:
        """The state to persist between runs (JSON-serialisable)."""

    @abstractmethod
    def import_state(self, data: Any) -> None:
        """Restore what `export_state` returned (ignoring anything unreadable)."""

    @abstractmethod
    def expire(self, now_ms: int) -> None:
        """Forget state older than the detection's window, as of `now_ms`."""


def user_responses(subject: Mapping[str, Any] | Subject | None) -> tuple[Response, ...]:
    """Clear the sessions of, or suspend, a user (an actor or target of type User)."""
    if subject is None:
        return ()
    found = subject if isinstance(subject, Subject) else Subject.of(subject)
    if found.type != "User" or not found.id or found.id == "unknown":
        return ()
    return (
        Response("clear_sessions", found.id, found.name),
        Response("suspend_user", found.id, found.name),
    )
