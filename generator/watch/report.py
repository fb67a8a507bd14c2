"""What one watch run found: the alerts and the facts every format shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import __version__
from generator.errors import InputError
from generator.watch.detection import Alert, rank

REPORT_VERSION = 1


@dataclass
class WatchReport:
    org: str
    alerts: list[Alert] = field(default_factory=list)
    events: int = 0
    duplicates: int = 0
    since: str | None = None
    until: str | None = None
    first_published: str | None = None
    last_published: str | None = None
    detections: tuple[str, ...] = ()
    min_severity: str = "low"
    trusted: str = ""
    config_path: str = ""  # relative to the repository root (SARIF artifact location)
    notes: list[str] = field(default_factory=list)
    error: str | None = None  # set when the read did not complete (exit 1)
    generated_at: str = ""

    @property
    def complete(self) -> bool:
        return self.error is None

    def ordered(self) -> list[Alert]:
        """Most severe first, then in time order."""
        return sorted(self.alerts, key=lambda a: (-rank(a.severity), a.published, a.id))

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for alert in self.ordered():
            found[alert.severity] = found.get(alert.severity, 0) + 1
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "tool": f"egress-guard {__version__}",
            "generated_at": self.generated_at,
            "org": self.org,
            "complete": self.complete,
            "error": self.error,
            "window": {
                "since": self.since,
                "until": self.until,
                "first_published": self.first_published,
                "last_published": self.last_published,
            },
            "events": self.events,
            "duplicates": self.duplicates,
            "detections": list(self.detections),
            "min_severity": self.min_severity,
            "trusted": self.trusted,
            "config_path": self.config_path,
            "counts": self.counts(),
            "alerts": [a.as_dict() for a in self.ordered()],
            "notes": self.notes,
        }


def report_from_dict(data: Any, where: str) -> WatchReport:
    """A report saved by `watch --format json`; InputError naming `where` when it is not one."""
    if not isinstance(data, dict) or data.get("version") != REPORT_VERSION:
        raise InputError(f"{where}: not a watch report (--format json, version {REPORT_VERSION})")
    found = data.get("window")
    window: dict[str, Any] = found if isinstance(found, dict) else {}
    try:
        alerts = [Alert.from_dict(a) for a in data.get("alerts") or ()]
    except (KeyError, TypeError, AttributeError) as error:
        raise InputError(f"{where}: an alert is unreadable ({error})") from None
    return WatchReport(
        org=str(data.get("org") or ""),
        alerts=alerts,
        events=int(data.get("events") or 0),
        duplicates=int(data.get("duplicates") or 0),
        since=window.get("since"),
        until=window.get("until"),
        first_published=window.get("first_published"),
        last_published=window.get("last_published"),
        detections=tuple(data.get("detections") or ()),
        min_severity=str(data.get("min_severity") or "low"),
        trusted=str(data.get("trusted") or ""),
        config_path=str(data.get("config_path") or ""),
        notes=[str(n) for n in data.get("notes") or ()],
        error=data.get("error"),
        generated_at=str(data.get("generated_at") or ""),
    )
