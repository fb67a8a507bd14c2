"""The coverage read's checkpoint (`drift --mfa-cursor FILE`): where the users listing stands
(the `next` link of the last page whose users were all read) and everything tallied before it,
so an interrupted run resumes there instead of starting over.

Written atomically (a temporary file renamed over it): a crash mid-write leaves the previous
checkpoint whole. A checkpoint of another org, another set of user statuses or another version
is refused, naming the file, rather than silently mixed in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.atomic import write_text_atomic
from generator.errors import InputError
from generator.mfa.coverage import CoveredUser, empty_counts

CURSOR_VERSION = 1


@dataclass
class Tally:
    """What has been read so far (mutable while a read runs; checkpointed as JSON)."""

    org_url: str
    statuses: tuple[str, ...]
    next_url: str | None = None  # None before the first page, and after the last
    started: bool = False  # the first page was read
    done: bool = False  # the last page was read
    checked: int = 0
    counts: dict[str, int] = field(default_factory=empty_counts)
    without_mfa: list[CoveredUser] = field(default_factory=list)
    weak_only: list[CoveredUser] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": CURSOR_VERSION,
            "org_url": self.org_url,
            "statuses": list(self.statuses),
            "next_url": self.next_url,
            "started": self.started,
            "done": self.done,
            "checked": self.checked,
            "counts": self.counts,
            "without_mfa": [_user(u) for u in self.without_mfa],
            "weak_only": [_user(u) for u in self.weak_only],
        }


def _user(user: CoveredUser) -> list[Any]:
    return [user.user_id, user.login, user.status, list(user.factors)]


def _covered(raw: Any) -> CoveredUser:
    user_id, login, status, factors = raw
    return CoveredUser(str(user_id), str(login), str(status), tuple(str(f) for f in factors))


def save(path: Path, tally: Tally) -> None:
    write_text_atomic(path, json.dumps(tally.to_json(), separators=(",", ":")) + "\n")


def load(path: Path, org_url: str, statuses: tuple[str, ...]) -> Tally | None:
    """The checkpoint in `path` for this org, None when there is none yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise InputError(f"--mfa-cursor {path}: cannot read it: {error.strerror}") from None
    try:
        raw = json.loads(text)
        if raw.get("version") != CURSOR_VERSION:
            raise ValueError(f"version {raw.get('version')!r}, expected {CURSOR_VERSION}")
        tally = Tally(
            org_url=str(raw["org_url"]),
            statuses=tuple(str(s) for s in raw["statuses"]),
            next_url=raw["next_url"] if raw["next_url"] is None else str(raw["next_url"]),
            started=bool(raw["started"]),
            done=bool(raw["done"]),
            checked=int(raw["checked"]),
            counts={str(k): int(v) for k, v in raw["counts"].items()},
            without_mfa=[_covered(u) for u in raw["without_mfa"]],
            weak_only=[_covered(u) for u in raw["weak_only"]],
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(
            f"--mfa-cursor {path}: not a coverage checkpoint of this egress-guard ({error}); "
            "remove it to start over"
        ) from None
    if tally.org_url != org_url or tally.statuses != statuses:
        raise InputError(
            f"--mfa-cursor {path}: a checkpoint of another read ({tally.org_url}, statuses "
            f"{', '.join(tally.statuses)}); remove it or name another file"
        )
    return tally


def discard(path: Path) -> None:
    path.unlink(missing_ok=True)
