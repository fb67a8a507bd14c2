"""The control checks as a drift posture check: their results go to the report's `controls`
section (not to its findings); a failure not accepted by the ignore file makes the run drift."""

from __future__ import annotations

from generator.controls.base import ControlResult
from generator.controls.context import ControlContext
from generator.controls.registry import all_checks, run_checks
from generator.drift.findings import Finding
from generator.drift.posture import PostureCheck
from generator.model import DesiredState
from generator.okta.snapshot import LiveOrg

NOT_READ = "the control reads were not made (drift read the org without them)"


class ControlsCheck(PostureCheck):
    """Okta's own post-breach controls (generator/controls/), each one result."""

    name = "controls"
    reads_controls = True

    def findings(self, state: DesiredState, live: LiveOrg) -> list[Finding]:
        return []

    def controls(self, state: DesiredState, live: LiveOrg) -> list[ControlResult]:
        checks = all_checks()
        if live.controls is None:
            return [check.unknown(NOT_READ) for check in checks]
        return run_checks(checks, ControlContext(state, live, live.controls))
