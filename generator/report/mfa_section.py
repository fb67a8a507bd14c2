"""The MFA coverage section shared by every drift format: which names a published report may
show. Names go out in this order, until `names_limit` (config `mfa.report_max_names`) is
used up: users whose last factor was removed, users with no factor, users with weak factors
only. The JSON report lists every user; the others show at most the limit, saying how many
more there are."""

from __future__ import annotations

from dataclasses import dataclass

from generator.mfa.coverage import CoveredUser, FactorRemoval, MfaCoverage
from generator.mfa.factors import Grade

GRADE_LABELS: tuple[tuple[Grade, str], ...] = (
    ("none", "no MFA factor"),
    ("weak", "weak factors only (SMS, voice call, email, security question)"),
    ("possession", "a possession factor (Okta Verify, TOTP, hardware token)"),
    ("phishing_resistant", "a phishing-resistant factor (FIDO2 WebAuthn, FastPass)"),
)


@dataclass(frozen=True)
class Shown:
    removed: tuple[FactorRemoval, ...]
    without_mfa: tuple[CoveredUser, ...]  # not already shown as removed
    weak_only: tuple[CoveredUser, ...]
    hidden: tuple[int, int, int]  # names left out of each list


def shown(coverage: MfaCoverage) -> Shown:
    budget = coverage.names_limit
    removed = coverage.last_removed[:budget]
    budget -= len(removed)
    removed_ids = {r.user.user_id for r in coverage.last_removed}
    others = tuple(u for u in coverage.without_mfa if u.user_id not in removed_ids)
    without = others[: max(budget, 0)]
    budget -= len(without)
    weak = coverage.weak_only[: max(budget, 0)]
    hidden = (
        len(coverage.last_removed) - len(removed),
        len(others) - len(without),
        len(coverage.weak_only) - len(weak),
    )
    return Shown(removed, without, weak, hidden)


def scope(coverage: MfaCoverage) -> str:
    where = "complete" if coverage.complete else "partial"
    statuses = ", ".join(coverage.statuses)
    return f"{coverage.checked} user(s) who can sign in ({statuses}) read, {where}"


def more(count: int) -> str:
    return f" (+{count} more; the JSON report lists every user)" if count > 0 else ""


def without_count(coverage: MfaCoverage) -> str:
    count = len(coverage.without_mfa)
    return f"{count} in all, the users above included" if coverage.last_removed else str(count)
