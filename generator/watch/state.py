"""The watch state file: where the System Log cursor stands, what was already seen, the
correlation state, and the alerts not yet delivered.

Written atomically (temporary file + rename, `generator/atomic.py`) after every page, in this
order of facts: the page's events were run through the detections; their alerts are in
`pending` (an outbox) together with the new cursor, the seen uuids and the correlation state.
The sinks then deliver `pending` and it is cleared (written again). A restart therefore
neither misses events (the cursor only moves past processed pages) nor repeats them (the same
page read again is de-duplicated by uuid); an alert whose delivery was interrupted is delivered
on the next run (sinks get stable alert ids). One process at a time: `FILE.lock` is held with
an exclusive `flock` while watch runs. The file also keeps the last read of the groups holding
an admin role (`role_groups`: PRV-002, BRK-001), read again after its refresh interval.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.atomic import write_text_atomic
from generator.errors import EgressGuardError
from generator.watch.detection import Alert

STATE_VERSION = 1
RECENT_ALERTS = 1000  # kept for `egress-guard respond ALERT_ID`


class StateError(EgressGuardError):
    """The state file is unusable (unreadable, another format, another org, locked)."""


@dataclass
class WatchState:
    org: str
    next_url: str | None = None
    last_published: str | None = None
    engine: dict[str, Any] = field(default_factory=dict)
    pending: list[dict[str, Any]] = field(default_factory=list)
    recent: list[dict[str, Any]] = field(default_factory=list)
    events: int = 0
    role_groups: dict[str, Any] | None = None  # the last read of the role-holding groups

    def remember(self, alerts: list[Alert]) -> None:
        self.recent = (self.recent + [a.as_dict() for a in alerts])[-RECENT_ALERTS:]

    def to_json(self) -> str:
        document = {
            "version": STATE_VERSION,
            "org": self.org,
            "next_url": self.next_url,
            "last_published": self.last_published,
            "events": self.events,
            "engine": self.engine,
            "pending": self.pending,
            "recent": self.recent,
            "role_groups": self.role_groups,
        }
        return json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n"


def load_state(path: Path, org: str | None) -> WatchState | None:
    """The state in `path` (None when the file does not exist yet); `org` must match when
    given (a state file follows one org's log)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StateError(f"{path}: cannot read the watch state: {error.strerror}") from None
    try:
        document = json.loads(text)
    except ValueError:
        raise StateError(f"{path}: not a watch state file (invalid JSON)") from None
    if not isinstance(document, dict) or document.get("version") != STATE_VERSION:
        raise StateError(f"{path}: not a watch state file (version {STATE_VERSION})")
    saved_org = str(document.get("org") or "")
    if org is not None and saved_org and saved_org != org:
        raise StateError(
            f"{path}: the state follows {saved_org}, not {org}; use another --state file"
        )
    next_url, last, engine, roles = (
        document.get("next_url"),
        document.get("last_published"),
        document.get("engine"),
        document.get("role_groups"),
    )
    return WatchState(
        org=saved_org,
        next_url=next_url if isinstance(next_url, str) else None,
        last_published=last if isinstance(last, str) else None,
        engine=engine if isinstance(engine, dict) else {},
        pending=[a for a in document.get("pending") or [] if isinstance(a, dict)],
        recent=[a for a in document.get("recent") or [] if isinstance(a, dict)],
        events=int(document.get("events") or 0),
        role_groups=roles if isinstance(roles, dict) else None,
    )


def save_state(path: Path, state: WatchState) -> None:
    try:
        write_text_atomic(path, state.to_json())
    except OSError as error:
        raise StateError(f"{path}: cannot write the watch state: {error.strerror}") from None


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold `path`.lock exclusively; another watch on the same state is refused."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StateError(f"{lock_path}: cannot create the lock: {error.strerror}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StateError(
                f"{path}: another egress-guard watch is using this state file"
            ) from None
        yield
    finally:
        os.close(handle)


def find_alert(state: WatchState, alert_id: str) -> Alert | None:
    for data in reversed(state.recent + state.pending):
        if data.get("id") == alert_id:
            return Alert.from_dict(data)
    return None
