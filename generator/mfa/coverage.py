"""MFA enrolment coverage: the values a coverage read produces, and the drift findings they
raise (`drift --mfa-coverage`; read by `generator.mfa.coverage_read`).

Findings (class `posture`, so the ignore file accepts them only as `posture:<check>`):
- `mfa-removed` (critical): users who can sign in, have no MFA factor now, and whose factor
  was removed (unenrolled or reset) within the System Log look-back: "a user no longer has MFA";
- `mfa-none` (high): users who can sign in with no MFA factor at all.
Users whose only factors are weak (SMS, voice, email, security question) are counted and listed
in the coverage section, not a finding. Finding messages carry counts, never names: names live
in the section, whose renderers cap them (`names_limit`) where the text can end up public.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.drift.findings import Finding
from generator.mfa.factors import GRADES, Grade

SOURCE = "GET /api/v1/users/{id}/factors"
DEFAULT_NAMES_LIMIT = 50
CHECK_NONE = "mfa-none"
CHECK_REMOVED = "mfa-removed"


@dataclass(frozen=True)
class CoveredUser:
    user_id: str
    login: str
    status: str
    factors: tuple[str, ...] = ()  # the factor types that count (weak-only users)


@dataclass(frozen=True)
class FactorRemoval:
    """A user without MFA now, and the latest System Log record of a factor of theirs being
    removed."""

    user: CoveredUser
    when: str  # ISO 8601
    actor: str  # alternateId of who did it
    event_type: str  # user.mfa.factor.deactivate | user.mfa.factor.reset_all


@dataclass(frozen=True)
class MfaCoverage:
    checked: int  # users whose factors were read
    counts: Mapping[str, int]  # by grade (GRADES)
    without_mfa: tuple[CoveredUser, ...]
    weak_only: tuple[CoveredUser, ...]
    last_removed: tuple[FactorRemoval, ...]
    complete: bool  # every user that can sign in was read (not stopped by --max-users)
    statuses: tuple[str, ...]  # the user statuses read (those that can sign in)
    names_limit: int = DEFAULT_NAMES_LIMIT
    source: str = SOURCE
    requests: int = 0  # made by this run (a resumed run: since it resumed)
    log_days: int | None = None  # None: the System Log was not read
    authenticators_read: bool = False  # False: recovery-only authenticators not known
    resumed: bool = False
    notes: tuple[str, ...] = field(default=())

    def count(self, grade: Grade) -> int:
        return int(self.counts.get(grade, 0))


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(GRADES, 0)


def _shown(users: Sequence[CoveredUser], limit: int) -> str:
    return f" (the MFA coverage section lists up to {limit} of them)" if users else ""


def coverage_findings(coverage: MfaCoverage) -> list[Finding]:
    findings = []
    scope = "" if coverage.complete else f" among the {coverage.checked} users read so far"
    if coverage.last_removed:
        count = len(coverage.last_removed)
        findings.append(
            Finding(
                "posture",
                "critical",
                "user",
                "users whose last MFA factor was removed",
                f"[{CHECK_REMOVED}] {count} user(s) who can sign in have had their MFA factors "
                f"removed in the last {coverage.log_days} day(s) and have none now{scope}: "
                "re-enrol them (or suspend them until they are), and check who removed the "
                "factors" + _shown([r.user for r in coverage.last_removed], coverage.names_limit),
                check=CHECK_REMOVED,
            )
        )
    if coverage.without_mfa:
        count = len(coverage.without_mfa)
        findings.append(
            Finding(
                "posture",
                "high",
                "user",
                "users without MFA",
                f"[{CHECK_NONE}] {count} of {coverage.checked} user(s) who can sign in have no "
                f"active MFA factor{scope}: an authentication policy that asks for a second "
                "factor makes them enrol one at their next sign-in, so anyone with their "
                "password enrols it first; enrol them or require MFA (mfa.everyone)"
                + _shown(coverage.without_mfa, coverage.names_limit),
                check=CHECK_NONE,
            )
        )
    return findings
