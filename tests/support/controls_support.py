"""Helpers for the control-check tests: run drift on a sandbox and get its controls by id."""

from __future__ import annotations

from typing import Any

from drift_support import make_client

from generator.controls.base import ControlResult
from generator.drift.posture import default_posture_checks
from generator.drift.run import DriftOptions, run_drift
from generator.model import DesiredState
from okta_sandbox import Sandbox


def controls_of(sandbox: Sandbox, state: DesiredState, **options: Any) -> dict[str, ControlResult]:
    """The controls section of a drift run against `sandbox`, by check id."""
    options.setdefault("posture_checks", default_posture_checks())
    with make_client(sandbox) as client:
        report = run_drift(client, state, DriftOptions(**options))
    return {control.check_id: control for control in report.controls}


def failing(control: ControlResult) -> list[str]:
    """`subject: detail` of each failing evidence line."""
    return [f"{e.subject}: {e.detail}" for e in control.evidence if e.status == "fail"]
