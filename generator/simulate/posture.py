"""Posture for drift: the preflight assertions evaluated on the live tenant.

Only enforced assertions become findings: in `monitor` mode admins are expected to get in from
anywhere, and reporting that on every run would make drift never clean.
"""

from __future__ import annotations

from generator.drift.findings import Finding, ObjectKind
from generator.drift.posture import PostureCheck
from generator.model import DesiredState
from generator.okta.snapshot import LiveOrg
from generator.simulate.live import live_break_glass_principals, policy_set_from_live
from generator.simulate.preflight import PreflightFailure, PreflightReport, run_preflight


def posture_report(state: DesiredState, live: LiveOrg) -> PreflightReport:
    policy_set = policy_set_from_live(live, state.name_prefix)
    return run_preflight(state, policy_set, live_break_glass_principals(state, live))


def _finding(failure: PreflightFailure) -> Finding:
    kind: ObjectKind = "session_rule" if failure.surface == "sign-in" else "app_rule"
    return Finding(
        finding_class="posture",
        severity="critical",
        kind=kind,
        name=failure.rule,
        message=f"[{failure.check}] {failure.message}",
        object_id=failure.rule_id,
        check=failure.check,
    )


def posture_findings(state: DesiredState, live: LiveOrg) -> list[Finding]:
    """One `posture` finding per failed enforced assertion (principal, ranges, rule)."""
    report = posture_report(state, live)
    return [_finding(failure) for failure in report.blocking]


class EffectiveAccessCheck(PostureCheck):
    """The lockout preflight's assertions evaluated with the simulator on the live org."""

    name = "effective-access"

    def findings(self, state: DesiredState, live: LiveOrg) -> list[Finding]:
        return posture_findings(state, live)
