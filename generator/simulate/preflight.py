"""Lockout preflight: prove, over every address, that nobody is locked out and no hole is left.

Assertions (each failure names the principal, the address ranges and the rule responsible):
- break-glass: every break-glass account can sign in and reach the Admin Console from every
  address (checked with and without membership of the admin groups, which offline is unknown);
- admin-outside-trusted: admin-group members are denied sign-in and the Admin Console outside the
  trusted ranges (reported but not enforced in `monitor` mode);
- operator-access: admin-group members keep sign-in and Admin Console access from every
  `operator_ips` range;
- dynamic-zone: none of those must-have-access decisions (break-glass anywhere, admins inside
  the trusted ranges, operator ranges) depends on egress-guard's own dynamic zones (the
  anonymizer zone of controls.anonymizer_deny), whose membership only Okta knows: a rule naming
  one must come after the rules that let those principals in.
- role-holder-outside-trusted: a user holding an admin role outside the admin groups (assigned
  directly, through another group or a custom-role binding) is denied the Admin Console outside
  the trusted ranges (enforced when the Admin Console rules cover every user, the default;
  reported only with `admin_console.applies_to: admin_groups` or in `monitor` mode). Their
  sign-in is not asserted: the Global Session Policy is scoped to the admin groups.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TextIO

from generator.errors import RefusedError
from generator.model import DesiredState
from generator.simulate.addresses import AddressSet, Interval, format_interval, normalise
from generator.simulate.evaluate import Decision
from generator.simulate.from_model import policy_set_from_state
from generator.simulate.policyset import PolicySet, Principal
from generator.simulate.symbolic import Segment, partition, segments_within

Check = Literal[
    "break-glass",
    "admin-outside-trusted",
    "operator-access",
    "dynamic-zone",
    "token-network",
    "role-holder-outside-trusted",
]
Surface = Literal["sign-in", "admin-console"]
MAX_RANGES_SHOWN = 5
BREAK_GLASS_MFA_NOTE = (
    "mfa.everyone: break-glass accounts are exempt from the network rule, not from MFA: they "
    "sign in through the Default Policy's rule {rule!r}, which requires a second factor, so "
    "each needs an active factor enrolled (a security key kept with its password)"
)


@dataclass(frozen=True)
class PreflightFailure:
    check: Check
    principal: str
    ranges: tuple[str, ...]  # the offending address ranges (CIDR or first-last)
    rule: str  # the rule responsible
    message: str
    enforced: bool  # False: reported only (monitor mode)
    surface: Surface = "sign-in"  # which decision failed: Global Session Policy or Admin Console
    rule_id: str | None = None  # Okta id (live) or model key (offline) of the rule responsible


@dataclass(frozen=True)
class PreflightReport:
    failures: tuple[PreflightFailure, ...]
    assumptions: tuple[str, ...]
    checked: tuple[str, ...]

    @property
    def blocking(self) -> tuple[PreflightFailure, ...]:
        return tuple(failure for failure in self.failures if failure.enforced)

    @property
    def ok(self) -> bool:
        return not self.blocking


def session_rule(decision: Decision) -> str:
    session = decision.session
    if session.policy is None:
        return str(session.rule)
    return f"Global Session Policy '{session.policy}', rule '{session.rule}' ({session.access})"


def console_rule(decision: Decision) -> str:
    console = decision.admin_console
    if console.policy is None:
        return str(console.rule)
    return f"'{console.policy}' authentication policy, rule '{console.rule}' ({console.access})"


def break_glass_principals(state: DesiredState) -> tuple[Principal, ...]:
    """Offline: each break-glass user / group member, without and with admin-group membership.

    Only the memberships the config implies are assumed: a listed user is *not* taken to be in
    the break-glass group (so the per-user exclusion must hold on its own), and the group's
    members are a separate principal known by no login (so the group exclusion must hold too).
    """
    admin_variants: list[tuple[str, ...]] = [()]
    admin_variants += [(group,) for group in state.admin_groups]
    if len(state.admin_groups) > 1:
        admin_variants.append(state.admin_groups)
    people: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
        (user, (user,), ()) for user in state.break_glass.users
    ]
    if state.break_glass.group:
        group = state.break_glass.group
        people.append((f"a member of '{group}'", (), (group,)))
    principals = []
    for label, users, own_groups in people:
        for admins in admin_variants:
            groups = tuple(dict.fromkeys(own_groups + admins))
            shown = f"{label} (groups: {', '.join(groups)})" if groups else label
            principals.append(Principal.of(shown, users=users, groups=groups))
    return tuple(principals)


def admin_principals(state: DesiredState) -> tuple[Principal, ...]:
    return tuple(Principal.of(f"a member of '{g}'", groups=(g,)) for g in state.admin_groups)


ROLE_HOLDER = "a user holding an admin role outside the admin groups"


def role_holder_principals() -> tuple[Principal, ...]:
    """Offline: an admin the config does not know of (a role assigned directly, through another
    group or a custom-role binding): in no group but Everyone."""
    return (Principal.of(ROLE_HOLDER),)


def console_covers_everyone(state: DesiredState) -> bool:
    return any(app.key == "admin_console" and app.everyone for app in state.app_policies)


def run_preflight(
    state: DesiredState,
    policy_set: PolicySet | None = None,
    break_glass: Sequence[Principal] | None = None,
    admins: Sequence[Principal] | None = None,
    role_holders: Sequence[Principal] | None = None,
) -> PreflightReport:
    """Evaluate the four assertions; `policy_set` defaults to the desired state (offline)."""
    policies = policy_set if policy_set is not None else policy_set_from_state(state)
    bg = tuple(break_glass) if break_glass is not None else break_glass_principals(state)
    admin = tuple(admins) if admins is not None else admin_principals(state)
    holders = tuple(role_holders) if role_holders is not None else role_holder_principals()
    trusted = AddressSet.parse(state.trusted_gateways)
    ours = frozenset(zone.name for zone in state.dynamic_zones)
    failures: list[PreflightFailure] = []
    uncertain: set[str] = set()
    checked: list[str] = []
    for principal in bg:
        segments = partition(policies, principal)
        uncertain.update(z for s in segments for z in s.decision.uncertain)
        failures += _break_glass(principal, segments)
        failures += _dynamic(principal, segments, ours, "break-glass")
        checked.append(f"break-glass: {principal.label}")
    for principal in admin:
        segments = partition(policies, principal)
        uncertain.update(z for s in segments for z in s.decision.uncertain)
        failures += _outside_trusted(principal, segments, trusted, state.mode == "enforce")
        inside = [
            clipped
            for first, last in trusted.intervals
            for clipped in segments_within(segments, first, last)
        ]
        failures += _dynamic(principal, inside, ours, "admin")
        checked.append(f"admins outside trusted ranges: {principal.label}")
        for cidr in state.operator_ips:
            failures += _operator(principal, segments, cidr)
            checked.append(f"operator range {cidr}: {principal.label}")
    confined = state.mode == "enforce" and console_covers_everyone(state)
    for principal in holders:
        segments = partition(policies, principal)
        uncertain.update(z for s in segments for z in s.decision.uncertain)
        failures += _role_holder_outside(principal, segments, trusted, confined)
        checked.append(f"admin role holders outside trusted ranges: {principal.label}")
    notes = list(policies.assumptions)
    if state.mfa is not None and state.mfa.everyone_rule is not None:
        notes.append(BREAK_GLASS_MFA_NOTE.format(rule=state.mfa.everyone_rule.name))
    if uncertain:
        notes.append(
            "dynamic zones are not decidable by IP and were treated as not matching: "
            + ", ".join(sorted(uncertain))
        )
    return PreflightReport(tuple(failures), tuple(notes), tuple(checked))


@dataclass(frozen=True)
class _Probe:
    surface: Surface
    what: str  # e.g. "cannot sign in"
    bad: Callable[[Decision], bool]


def _responsible(decision: Decision, surface: Surface) -> tuple[str, str | None]:
    if surface == "sign-in":
        return session_rule(decision), decision.session.rule_id
    return console_rule(decision), decision.admin_console.rule_id


LOCKED_OUT = (
    _Probe("sign-in", "cannot sign in", lambda d: not d.can_sign_in),
    _Probe(
        "admin-console",
        "cannot reach the Admin Console",
        lambda d: d.can_sign_in and d.admin_console.access != "ALLOW",
    ),
)
LET_IN = (
    _Probe("sign-in", "can sign in", lambda d: d.can_sign_in),
    _Probe(
        "admin-console", "can reach the Admin Console", lambda d: d.admin_console.access == "ALLOW"
    ),
)


def _failures(
    check: Check,
    principal: Principal,
    segments: Sequence[Segment],
    probes: Sequence[_Probe],
    describe: Callable[[str, str, str], str],
    enforced: bool = True,
) -> list[PreflightFailure]:
    """One failure per (probe, responsible rule): the offending ranges merged."""
    failures = []
    for probe in probes:
        by_rule: dict[tuple[str, str | None], list[Interval]] = {}
        for segment in segments:
            if probe.bad(segment.decision):
                responsible = _responsible(segment.decision, probe.surface)
                by_rule.setdefault(responsible, []).append((segment.first, segment.last))
        for (rule, rule_id), intervals in by_rule.items():
            labels = _labels(normalise(intervals))
            message = describe(probe.what, _shown(labels), rule)
            failures.append(
                PreflightFailure(
                    check, principal.label, labels, rule, message, enforced, probe.surface, rule_id
                )
            )
    return failures


def _labels(intervals: Sequence[Interval]) -> tuple[str, ...]:
    return tuple(format_interval(first, last) for first, last in intervals)


def _shown(labels: Sequence[str]) -> str:
    text = ", ".join(labels[:MAX_RANGES_SHOWN])
    if len(labels) > MAX_RANGES_SHOWN:
        text += f" (+{len(labels) - MAX_RANGES_SHOWN} more)"
    return text


def _break_glass(principal: Principal, segments: Sequence[Segment]) -> list[PreflightFailure]:
    return _failures(
        "break-glass",
        principal,
        segments,
        LOCKED_OUT,
        lambda what, ranges, rule: f"break-glass {principal.label} {what} from {ranges}: {rule}",
    )


def _outside(segments: Sequence[Segment], trusted: AddressSet) -> list[Segment]:
    """The parts of `segments` outside the trusted ranges, each with its decision."""
    return [
        Segment(first, last, segment.decision)
        for segment in segments
        for first, last in trusted.minus(segment.first, segment.last)
    ]


def _outside_trusted(
    principal: Principal, segments: Sequence[Segment], trusted: AddressSet, enforced: bool
) -> list[PreflightFailure]:
    outside = _outside(segments, trusted)
    suffix = "" if enforced else " (monitor mode: reported, not enforced)"
    return _failures(
        "admin-outside-trusted",
        principal,
        outside,
        LET_IN,
        lambda what, ranges, rule: (
            f"admin {principal.label} {what} from outside the trusted ranges: "
            f"{ranges}: {rule}{suffix}"
        ),
        enforced,
    )


def _dynamic(
    principal: Principal, segments: Sequence[Segment], ours: frozenset[str], who: str
) -> list[PreflightFailure]:
    """Must-have-access decisions that depend on one of egress-guard's dynamic zones."""
    by_zone: dict[str, list[Interval]] = {}
    for segment in segments:
        for zone in ours.intersection(segment.decision.uncertain):
            by_zone.setdefault(zone, []).append((segment.first, segment.last))
    failures = []
    for zone, intervals in sorted(by_zone.items()):
        labels = _labels(normalise(intervals))
        failures.append(
            PreflightFailure(
                "dynamic-zone",
                principal.label,
                labels,
                f"a rule naming the dynamic zone '{zone}'",
                f"{who} {principal.label}: from {_shown(labels)} access depends on whether Okta "
                f"classifies the address as in '{zone}' (a rule naming it is evaluated before "
                "the one that lets them in)",
                True,
            )
        )
    return failures


def _role_holder_outside(
    principal: Principal, segments: Sequence[Segment], trusted: AddressSet, enforced: bool
) -> list[PreflightFailure]:
    outside = _outside(segments, trusted)
    suffix = (
        ""
        if enforced
        else " (reported, not enforced: the Admin Console rules cover the admin groups only, "
        "or monitor mode)"
    )
    return _failures(
        "role-holder-outside-trusted",
        principal,
        outside,
        LET_IN[1:],  # the Admin Console only: their sign-in is not ours to restrict
        lambda what, ranges, rule: (
            f"{principal.label} {what} from outside the trusted ranges: {ranges}: {rule}{suffix}"
        ),
        enforced,
    )


def _operator(
    principal: Principal, segments: Sequence[Segment], cidr: str
) -> list[PreflightFailure]:
    failures = []
    for first, last in AddressSet.parse([cidr]).intervals:
        failures += _failures(
            "operator-access",
            principal,
            segments_within(segments, first, last),
            LOCKED_OUT,
            lambda what, ranges, rule: (
                f"operator range {cidr}: admin {principal.label} {what} from {ranges}: {rule}"
            ),
        )
    return failures


def format_report(report: PreflightReport) -> str:
    lines = []
    for failure in report.failures:
        marker = "FAIL" if failure.enforced else "WARN"
        lines.append(f"preflight {marker} [{failure.check}] {failure.message}")
    if not report.failures:
        lines.append(f"preflight ok: {len(report.checked)} checks passed")
    lines += [f"preflight note: {note}" for note in report.assumptions]
    return "\n".join(lines)


def enforce(report: PreflightReport, *, force: bool) -> None:
    """Raise RefusedError (exit 1) when an enforced assertion fails, unless `force`."""
    if report.ok or force:
        return
    details = "\n".join(f"  - {failure.message}" for failure in report.blocking)
    raise RefusedError(
        f"lockout preflight failed ({len(report.blocking)} problem(s)); nothing was written. "
        f"Fix the config or pass --force:\n{details}"
    )


def check_before_write(state: DesiredState, *, force: bool, stream: TextIO | None = None) -> None:
    """The one call `generate` makes before writing: report to stderr, refuse unless forced."""
    from generator.controls.token_preflight import token_network_failures, token_network_notes

    report = run_preflight(state)
    report = PreflightReport(
        (*report.failures, *token_network_failures(state)),
        (*report.assumptions, *token_network_notes(state)),
        report.checked,
    )
    out = stream if stream is not None else sys.stderr
    print(format_report(report), file=out)
    if report.blocking and force:
        print("preflight: --force given, writing despite the failures above", file=out)
    enforce(report, force=force)
