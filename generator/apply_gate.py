"""The gate in front of `egress-guard terraform apply`: what must hold before Terraform may
change the org.

Refused (exit 1, each reason named) when
- a generated file was edited by hand: its sha256 differs from the one `egress-guard.lock.json`
  recorded (or the lock lists a file that is gone);
- the generated output is stale against the config: what `generate --check --locked-sources`
  reports (the config, a file feed or the bundled snapshot changed and nobody regenerated;
  URL sources are taken from the lock, nothing is fetched);
- the lockout preflight fails. With an org to talk to (always, for apply) it runs against the
  live tenant as it will be after this apply (`generator.simulate.posture.apply_preflight`): the
  org's own policies and rules, every admin-group member and break-glass account with their
  real groups; without one, against the desired state alone (a fresh org's defaults).
`--force` applies anyway after printing every reason as a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError
from generator.okta.client import OktaClient
from generator.okta.read_targets import targets_from_state
from generator.okta.reads import read_live_org
from generator.pipeline import Generation, declaration_problems, generation
from generator.simulate.posture import apply_preflight
from generator.simulate.preflight import PreflightReport, format_report, run_preflight


@dataclass(frozen=True)
class GateReport:
    refusals: tuple[str, ...]
    preflight: PreflightReport | None
    evaluated_on: str  # "the live org https://..." or "the desired state only (offline)"
    generation: Generation | None

    @property
    def ok(self) -> bool:
        return not self.refusals


def _command(config_path: Path) -> str:
    return f"egress-guard generate --config {config_path}"


def evaluate_gate(config_path: Path, org_env: Mapping[str, str] | None) -> GateReport:
    """Every reason not to apply; `org_env` (OKTA_ORG_URL + token or OAuth variables) makes
    the preflight read the live org."""
    try:
        gen = generation(config_path, offline=True, locked=True)
    except InputError as error:
        reason = f"the config does not resolve as generate would (--locked-sources): {error}"
        return GateReport((reason,), None, "", None)
    problems = declaration_problems(gen)
    refusals: list[str] = []
    if problems.hand_edited:
        refusals.append(
            "hand-edited generated files (the lock's sha256 no longer matches): "
            f"{', '.join(problems.hand_edited)}; put the change in the config and run "
            f"`{_command(config_path)}` (it replaces them)"
        )
    edited = {entry.split(" ", 1)[0] for entry in problems.hand_edited}
    stale = [entry for entry in problems.stale if entry.split(" ", 1)[0] not in edited]
    if stale:
        refusals.append(
            f"generated output in {gen.out_dir} is stale against {config_path}: "
            f"{', '.join(stale)}; run `{_command(config_path)}`, review, commit"
        )
    if org_env is not None:
        with OktaClient.from_env(org_env) as client:
            live = read_live_org(client, targets_from_state(gen.state))
        report = apply_preflight(gen.state, live)
        where = f"the live org {live.org_url} as this apply leaves it"
    else:
        report = run_preflight(gen.state)
        where = "the desired state only (offline: the org's other policies are not known)"
    if report.blocking:
        details = "\n".join(f"    - {failure.message}" for failure in report.blocking)
        refusals.append(
            f"lockout preflight failed on {where} ({len(report.blocking)} problem(s)):\n{details}"
        )
    return GateReport(tuple(refusals), report, where, gen)


def format_gate(report: GateReport) -> str:
    lines = []
    if report.preflight is not None:
        lines.append(f"apply gate: lockout preflight on {report.evaluated_on}")
        lines.append(format_report(report.preflight))
    if report.ok:
        lines.append("apply gate: ok (generated output current, no hand edits, preflight passed)")
    return "\n".join(lines)
