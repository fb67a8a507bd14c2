"""Seam for `posture` findings (the simulator's lockout/bypass analysis of the live org).

Each module named in POSTURE_CHECK_MODULES exposes

    def posture_findings(state: DesiredState, live: LiveOrg) -> Iterable[Finding]

returning findings with `finding_class="posture"`. The drift run calls every check after the
declared-vs-live comparison; their findings get the same ignore filtering, System Log events and
formatting as the others. A check that raises fails the run (exit 1): a posture check that could
not run must not be mistaken for "in sync".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from generator.drift.findings import Finding
from generator.model import DesiredState
from generator.okta.snapshot import LiveOrg

PostureCheck = Callable[[DesiredState, LiveOrg], Iterable[Finding]]

# Append "package.module" names here (one line each), like cli.COMMAND_MODULES.
POSTURE_CHECK_MODULES: tuple[str, ...] = ("generator.simulate.posture",)


def load_posture_checks(modules: Iterable[str] = POSTURE_CHECK_MODULES) -> list[PostureCheck]:
    checks: list[PostureCheck] = []
    for name in modules:
        check: PostureCheck = importlib.import_module(name).posture_findings
        checks.append(check)
    return checks


def run_posture_checks(
    checks: Iterable[PostureCheck], state: DesiredState, live: LiveOrg
) -> list[Finding]:
    return [finding for check in checks for finding in check(state, live)]
