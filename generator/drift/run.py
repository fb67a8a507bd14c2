"""One drift run: read the live org, compare, add posture findings, filter, add log events (read
while the posture checks run)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from generator.controls.accept import accept_controls
from generator.controls.reads import ControlReadOptions, read_control_data
from generator.drift.admin_coverage import admin_role_notes
from generator.drift.checker import find_drift
from generator.drift.expected import address
from generator.drift.findings import DriftReport, Finding, sort_findings
from generator.drift.ignore import IgnoreRule, apply_ignores
from generator.drift.plan import PlanIndex
from generator.drift.posture import PostureCheck, run_control_checks, run_posture_checks
from generator.drift.syslog import EventLookup
from generator.mfa.coverage import coverage_findings
from generator.mfa.coverage_read import CoverageOptions, read_coverage
from generator.mfa.posture import mfa_posture_checks
from generator.mfa.progress import Progress
from generator.model import DesiredState
from generator.okta.client import OktaClient
from generator.okta.read_targets import targets_from_state, with_admin_roles
from generator.okta.reads import read_live_org
from generator.okta.role_reads import service_app_roles
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
    # stale-declaration findings (the declaration on disk is not the config's): never
    # ignorable, so a stale repository can never read as "in sync"
    declaration: tuple[Finding, ...] = ()
    mfa_coverage: CoverageOptions | None = None  # --mfa-coverage: read every user's factors
    progress: Progress | None = None  # of the coverage read (on a terminal)


def read_live(
    client: OktaClient,
    state: DesiredState,
    plan: PlanIndex | None,
    controls: ControlReadOptions | None = None,
) -> LiveOrg:
    """The live org as drift needs it: what the state manages, every admin-role holder however
    granted, and the apps sharing the Admin Console's policy; with `controls`, also the reads of
    Okta's own controls, made at the same time (they depend on nothing drift reads)."""
    policy_address = address(tf.SESSION_POLICY, state.session_policy.key)
    policy_id = plan.id_of(policy_address) if plan else None
    targets = with_admin_roles(targets_from_state(state, policy_id))
    if controls is None:
        return read_live_org(client, targets)
    with ThreadPoolExecutor(max_workers=1) as pool:
        data_f = pool.submit(read_control_data, client, controls)
        # the control reads list the OAuth service apps: their roles are added from that list
        live = read_live_org(client, replace(targets, list_service_apps=False))
        data = data_f.result()
    roles = live.admin_roles
    if roles is not None and roles.readable and isinstance(data.service_apps, tuple):
        roles = replace(roles, service_apps=service_app_roles(client, data.service_apps))
    return replace(live, controls=data, admin_roles=roles)


def run_drift(client: OktaClient, state: DesiredState, options: DriftOptions) -> DriftReport:
    """Raises an OktaError if any required read fails: an incomplete read is never "in sync"."""
    control_reads = None
    if any(check.reads_controls for check in options.posture_checks):
        control_reads = ControlReadOptions(options.with_events, options.log_days)
    live = read_live(client, state, options.plan, control_reads)
    notes = [*options.notes, *admin_role_notes(state, live)]
    logs_readable = LOGS_SCOPE not in client.missing_scopes
    if not logs_readable:
        notes.append(
            f"System Log events not included: the OAuth service app is not granted {LOGS_SCOPE} "
            "(the access token was requested without it)"
        )
    declared, suppressed = apply_ignores(find_drift(state, live, options.plan), options.ignore)
    coverage = None
    if options.mfa_coverage is not None:
        coverage = read_coverage(client, options.mfa_coverage, options.progress)
        notes += coverage.notes
    with EventLookup(client, options.log_days, options.with_events and logs_readable) as events:
        events.start(declared)  # the System Log is read while the posture checks run
        checks = [*options.posture_checks, *mfa_posture_checks(client, state, live)]
        posture, more = apply_ignores(
            run_posture_checks(checks, state, live)
            + (coverage_findings(coverage) if coverage else []),
            options.ignore,
        )
        notes += [note for check in checks for note in check.report_notes()]
        events.start(posture)
        controls = accept_controls(
            run_control_checks(options.posture_checks, state, live), options.ignore
        )
        findings, event_notes = events.attach(declared + posture)
    return DriftReport(
        org_url=live.org_url,
        config_path=options.config_path,
        generated_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        findings=sort_findings([*findings, *options.declaration]),
        ignored=suppressed + more,
        notes=(*notes, *event_notes),
        plan_path=options.plan.path if options.plan else None,
        generated_dir=options.generated_dir,
        controls=tuple(controls),
        mfa_coverage=coverage,
    )
