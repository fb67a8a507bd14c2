"""The interface of a control check and the values it reports.

A check judges one control of the live org (API tokens, ThreatInsight, the Admin Console's
session, ...) and returns a `ControlResult`: a stable id, the DISA Okta STIG ids it maps to (if
any), a severity, a status (`pass`, `fail`, `unknown`), evidence lines (one per object judged)
and the fix. A check never claims what the API cannot prove: when its input could not be read (a
missing scope, an endpoint the org does not have) or does not exist at all (session binding has
no API), the status is `unknown` and `reason` says why.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from generator.drift.findings import Severity

if TYPE_CHECKING:
    from generator.controls.context import ControlContext

Status = Literal["pass", "fail", "unknown"]
STATUSES: tuple[Status, ...] = ("fail", "unknown", "pass")


@dataclass(frozen=True)
class Stig:
    """One requirement of the DISA Okta IDaaS STIG (V1R2, benchmark date 2026-01-05)."""

    vuln_id: str  # e.g. V-279689 (V1R1 and V1R2 ids: the SV rule number)
    stig_id: str  # e.g. OKTA-APP-003240

    def __str__(self) -> str:
        return f"{self.vuln_id} ({self.stig_id})"


@dataclass(frozen=True)
class Evidence:
    """What the check saw on one object: an API token, a rule, a zone, a setting."""

    subject: str  # e.g. "API token 'ci deploy' (00T1a...)"
    status: Status
    detail: str
    object_id: str | None = None
    accepted: str | None = None  # why the failure is accepted (`--ignore`), else None

    @property
    def open_failure(self) -> bool:
        return self.status == "fail" and self.accepted is None


@dataclass(frozen=True)
class ControlResult:
    check_id: str
    title: str
    severity: Severity
    stig: tuple[Stig, ...]
    status: Status
    evidence: tuple[Evidence, ...]
    fix: str
    reason: str | None = None  # unknown: why the check could not decide

    @property
    def accepted(self) -> bool:
        """A failure whose every failing object is accepted by the ignore file."""
        failing = [e for e in self.evidence if e.status == "fail"]
        return self.status == "fail" and bool(failing) and all(e.accepted for e in failing)

    @property
    def is_drift(self) -> bool:
        """Counts against "in sync": a failure not accepted."""
        return self.status == "fail" and not self.accepted

    def with_evidence(self, evidence: tuple[Evidence, ...]) -> ControlResult:
        return replace(self, evidence=evidence)


class ControlCheck(ABC):
    """One control. Subclasses set the class attributes and implement `evaluate`."""

    check_id: str  # stable, kebab-case; the report, the ignore file and SARIF use it
    title: str  # what passing means, one line
    severity: Severity
    stig: tuple[Stig, ...] = ()
    fix: str  # how to fix a failure (shown with it)

    @abstractmethod
    def evaluate(self, context: ControlContext) -> ControlResult:
        """The result for the org in `context`."""

    def result(self, evidence: Iterable[Evidence], reason: str | None = None) -> ControlResult:
        """The result with the status the evidence implies: fail if any object fails, unknown
        if any is unknown (or `reason` is given and nothing fails), else pass. No evidence and
        no reason is a pass (nothing to judge, e.g. no API tokens at all)."""
        items = tuple(evidence)
        if any(e.status == "fail" for e in items):
            status: Status = "fail"
        elif reason is not None or any(e.status == "unknown" for e in items):
            status = "unknown"
            reason = reason or "not every object could be judged (see the evidence)"
        else:
            status = "pass"
        return ControlResult(
            check_id=self.check_id,
            title=self.title,
            severity=self.severity,
            stig=self.stig,
            status=status,
            evidence=items,
            fix=self.fix,
            reason=reason,
        )

    def unknown(self, reason: str, evidence: Iterable[Evidence] = ()) -> ControlResult:
        return self.result(evidence, reason)
