"""The interface of `posture` checks: analyses of the live org beyond declared-vs-live.

A check reads the desired state and the live org and returns findings with
`finding_class="posture"`. The drift run calls every check in POSTURE_CHECKS after the
comparison; their findings get the same ignore filtering, System Log events and formatting as
the others. A check that raises fails the run (exit 1): a posture check that could not run must
not be mistaken for "in sync".
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

from generator.controls.base import ControlResult
from generator.drift.findings import Finding
from generator.model import DesiredState
from generator.okta.snapshot import LiveOrg


class PostureCheck(ABC):
    """One posture analysis of the live org."""

    name: str  # stable id, shown with -v and in docs
    # Needs the reads of Okta's own controls (LiveOrg.controls): drift makes them only then.
    reads_controls: bool = False

    @abstractmethod
    def findings(self, state: DesiredState, live: LiveOrg) -> Iterable[Finding]:
        """The findings of this check (empty when the org passes it)."""

    def controls(self, state: DesiredState, live: LiveOrg) -> Iterable[ControlResult]:
        """Results for the report's `controls` section (pass, fail or unknown each); only the
        controls check (generator.controls.posture) has any."""
        return ()

    def report_notes(self) -> Sequence[str]:
        """Notes for the report once `findings` ran (what was assumed or left out)."""
        return ()


def default_posture_checks() -> list[PostureCheck]:
    """Every posture check drift runs, in report order."""
    from generator.controls.posture import ControlsCheck
    from generator.drift.admin_coverage import AdminCoverageCheck
    from generator.drift.console_policy import ConsolePolicySharingCheck
    from generator.simulate.posture import EffectiveAccessCheck

    return [
        EffectiveAccessCheck(),
        AdminCoverageCheck(),
        ConsolePolicySharingCheck(),
        ControlsCheck(),
    ]


def run_posture_checks(
    checks: Iterable[PostureCheck], state: DesiredState, live: LiveOrg
) -> list[Finding]:
    return [finding for check in checks for finding in check.findings(state, live)]


def run_control_checks(
    checks: Iterable[PostureCheck], state: DesiredState, live: LiveOrg
) -> list[ControlResult]:
    return [result for check in checks for result in check.controls(state, live)]
