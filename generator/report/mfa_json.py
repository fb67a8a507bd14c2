"""The `mfa_coverage` section of the JSON drift report (every user listed), and back."""

from __future__ import annotations

from typing import Any

from generator.mfa.coverage import CoveredUser, FactorRemoval, MfaCoverage


def _user(user: CoveredUser) -> dict[str, Any]:
    return {
        "id": user.user_id,
        "login": user.login,
        "status": user.status,
        "factors": list(user.factors),
    }


def _parse_user(raw: dict[str, Any]) -> CoveredUser:
    return CoveredUser(raw["id"], raw["login"], raw["status"], tuple(raw["factors"]))


def coverage_dict(coverage: MfaCoverage | None) -> dict[str, Any] | None:
    if coverage is None:
        return None
    return {
        "source": coverage.source,
        "complete": coverage.complete,
        "resumed": coverage.resumed,
        "statuses": list(coverage.statuses),
        "checked": coverage.checked,
        "counts": dict(coverage.counts),
        "requests": coverage.requests,
        "log_days": coverage.log_days,
        "authenticators_read": coverage.authenticators_read,
        "names_limit": coverage.names_limit,
        "without_mfa": [_user(u) for u in coverage.without_mfa],
        "weak_only": [_user(u) for u in coverage.weak_only],
        "last_removed": [
            {"user": _user(r.user), "when": r.when, "actor": r.actor, "event_type": r.event_type}
            for r in coverage.last_removed
        ],
        "notes": list(coverage.notes),
    }


def parse_coverage(raw: dict[str, Any] | None) -> MfaCoverage | None:
    if raw is None:
        return None
    return MfaCoverage(
        checked=raw["checked"],
        counts=dict(raw["counts"]),
        without_mfa=tuple(_parse_user(u) for u in raw["without_mfa"]),
        weak_only=tuple(_parse_user(u) for u in raw["weak_only"]),
        last_removed=tuple(
            FactorRemoval(_parse_user(r["user"]), r["when"], r["actor"], r["event_type"])
            for r in raw["last_removed"]
        ),
        complete=raw["complete"],
        statuses=tuple(raw["statuses"]),
        names_limit=raw["names_limit"],
        source=raw["source"],
        requests=raw["requests"],
        log_days=raw["log_days"],
        authenticators_read=raw["authenticators_read"],
        resumed=raw["resumed"],
        notes=tuple(raw["notes"]),
    )
