"""Drift findings and the report that carries them (pure values, shared by every formatter)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from generator.controls.base import ControlResult
    from generator.mfa.coverage import MfaCoverage

# stale-declaration: the generated Terraform or its lock is not what the config declares (a
# config edited without regenerating, a hand edit): never "in sync".
FindingClass = Literal["missing", "changed", "unmanaged", "posture", "stale-declaration"]
# critical: posture findings (the live org's effective policy breaks a guarantee); the others
# grade declared-vs-live differences.
Severity = Literal["critical", "high", "medium", "low"]
ObjectKind = Literal[
    "zone",
    "session_policy",
    "session_rule",
    "app",
    "app_rule",
    "group",
    "user",
    "policy",
    "declaration",
]
SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "high", "medium", "low")
FINDING_CLASSES: tuple[FindingClass, ...] = (
    "missing",
    "changed",
    "unmanaged",
    "posture",
    "stale-declaration",
)

Value = str | int | bool | None | tuple[str, ...]


@dataclass(frozen=True)
class AttributeDiff:
    """One attribute: `expected` is what the repository declares, `actual` what Okta has."""

    path: str  # e.g. "gateways", "conditions.network.include", "status"
    expected: Value
    actual: Value
    added: tuple[str, ...] = ()  # for set-valued attributes: present live, not declared
    removed: tuple[str, ...] = ()  # declared, absent live
    weakens: bool = False  # the live value weakens the control


@dataclass(frozen=True)
class LogEvent:
    published: str
    event_type: str
    actor: str
    client_ip: str | None
    outcome: str | None
    display_message: str | None = None


@dataclass(frozen=True)
class Finding:
    finding_class: FindingClass
    severity: Severity
    kind: ObjectKind
    name: str
    message: str
    object_id: str | None = None
    address: str | None = None  # Terraform address, when the object is managed by Terraform
    key: str | None = None  # the model key (zone key, rule key...)
    diffs: tuple[AttributeDiff, ...] = ()
    events: tuple[LogEvent, ...] = ()
    check: str | None = None  # posture findings: the failed assertion (e.g. "break-glass")

    @property
    def rule_id(self) -> str:
        """A stable identifier of the kind of finding (SARIF ruleId, grouping)."""
        return f"egress-guard/{self.finding_class}/{self.kind}"

    def with_events(self, events: tuple[LogEvent, ...]) -> Finding:
        return replace(self, events=events)


@dataclass(frozen=True)
class DriftReport:
    org_url: str
    config_path: str
    generated_at: str
    findings: tuple[Finding, ...]
    ignored: int = 0  # findings (or diffs) suppressed by the ignore file
    notes: tuple[str, ...] = field(default=())  # e.g. "System Log not readable: ..."
    plan_path: str | None = None
    # The generated Terraform directory (relative to the repository root when known): where
    # SARIF results point.
    generated_dir: str | None = None
    # Okta's own post-breach controls (pass, fail or unknown each), in check order.
    controls: tuple[ControlResult, ...] = ()
    # MFA enrolment coverage (`drift --mfa-coverage`); its findings are among `findings`.
    mfa_coverage: MfaCoverage | None = None

    @property
    def in_sync(self) -> bool:
        """No finding, and no failed control that the ignore file does not accept."""
        return not self.findings and not any(c.is_drift for c in self.controls)

    def control_counts(self) -> dict[str, int]:
        totals = {"pass": 0, "fail": 0, "unknown": 0, "accepted": 0}
        for control in self.controls:
            totals[control.status] += 1
            totals["accepted"] += int(control.accepted)
        return totals

    def counts(self) -> dict[str, int]:
        totals: dict[str, int] = {severity: 0 for severity in SEVERITY_ORDER}
        for finding in self.findings:
            totals[finding.severity] += 1
        return totals

    def class_counts(self) -> dict[str, int]:
        totals: dict[str, int] = {name: 0 for name in FINDING_CLASSES}
        for finding in self.findings:
            totals[finding.finding_class] += 1
        return totals

    def by_severity(self) -> list[tuple[Severity, list[Finding]]]:
        return [
            (severity, [f for f in self.findings if f.severity == severity])
            for severity in SEVERITY_ORDER
            if any(f.severity == severity for f in self.findings)
        ]


COSMETIC_ATTRIBUTES = frozenset({"name", "description"})


def diff_severity(diffs: tuple[AttributeDiff, ...]) -> Severity:
    """A weakened control is high; any other functional difference medium; cosmetic low."""
    if any(d.weakens for d in diffs):
        return "high"
    if any(d.path not in COSMETIC_ATTRIBUTES for d in diffs):
        return "medium"
    return "low"


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    order = {severity: index for index, severity in enumerate(SEVERITY_ORDER)}
    classes = {name: index for index, name in enumerate(FINDING_CLASSES)}
    return tuple(
        sorted(
            findings,
            key=lambda f: (order[f.severity], classes[f.finding_class], f.kind, f.name),
        )
    )
