"""One drift run: read the live org, compare, add posture findings, filter, add log events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.drift.checker import find_drift
from generator.drift.expected import address
from generator.drift.findings import DriftReport, sort_findings
from generator.drift.ignore import IgnoreRule, apply_ignores
from generator.drift.plan import PlanIndex
from generator.drift.posture import PostureCheck, run_posture_checks
from generator.drift.syslog import attach_events
from generator.model import DesiredState
from generator.okta.client import OktaClient
from generator.okta.reads import read_live_org, targets_from_state
from generator.okta.scopes import LOGS_SCOPE
from generator.okta.snapshot import LiveOrg
from generator.render import addresses as tf


@dataclass(frozen=True)
class DriftOptions:
    plan: PlanIndex | None = None
    ignore: tuple[IgnoreRule, ...] = ()
    posture_checks: Sequence[PostureCheck] = field(default=())
    with_events: bool = True
    log_days: int = 7
    config_path: str = ""
    notes: tuple[str, ...] = ()
    generated_dir: str | None = None  # repository-relative, for the report (SARIF)


def read_live(client: OktaClient, state: DesiredState, plan: PlanIndex | None) -> LiveOrg:
    policy_address = address(tf.SESSION_POLICY, state.session_policy.key)
    policy_id = plan.id_of(policy_address) if plan else None
    return read_live_org(client, targets_from_state(state, policy_id))


def run_drift(client: OktaClient, state: DesiredState, options: DriftOptions) -> DriftReport:
    """Raises an OktaError if any required read fails: an incomplete read is never "in sync"."""
    live = read_live(client, state, options.plan)
    findings = find_drift(state, live, options.plan)
    findings += run_posture_checks(options.posture_checks, state, live)
    findings, suppressed = apply_ignores(findings, options.ignore)
    notes = list(options.notes)
    logs_readable = LOGS_SCOPE not in client.missing_scopes
    if not logs_readable:
        notes.append(
            f"System Log events not included: the OAuth service app is not granted {LOGS_SCOPE} "
            "(the access token was requested without it)"
        )
    if options.with_events and findings and logs_readable:
        findings, event_notes = attach_events(client, findings, options.log_days)
        notes += event_notes
    return DriftReport(
        org_url=live.org_url,
        config_path=options.config_path,
        generated_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        findings=sort_findings(findings),
        ignored=suppressed,
        notes=tuple(notes),
        plan_path=options.plan.path if options.plan else None,
        generated_dir=options.generated_dir,
    )
