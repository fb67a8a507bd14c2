"""Lockout preflight: prove, over every address, that nobody is locked out and no hole is left.

Assertions (each failure names the principal, the address ranges and the rule responsible):
- break-glass: every break-glass account can sign in and reach the Admin Console from every
  address (checked with and without membership of the admin groups, which offline is unknown);
- admin-outside-trusted: admin-group members are denied sign-in and the Admin Console outside the
  trusted ranges (reported but not enforced in `monitor` mode);
- operator-access: admin-group members keep sign-in and Admin Console access from every
  `operator_ips` range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from generator.errors import RefusedError
from generator.model import DesiredState
from generator.simulate.addresses import AddressSet, Interval, format_interval, normalise
from generator.simulate.evaluate import Decision
from generator.simulate.from_model import policy_set_from_state
from generator.simulate.policyset import PolicySet, Principal
from generator.simulate.symbolic import Segment, partition, segments_within

Check = Literal["break-glass", "admin-outside-trusted", "operator-access"]
MAX_RANGES_SHOWN = 5


@dataclass(frozen=True)
class PreflightFailure:
    check: Check
    principal: str
    ranges: tuple[str, ...]  # the offending address ranges (CIDR or first-last)
    rule: str  # the rule responsible
    message: str
    enforced: bool  # False: reported only (monitor mode)


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
    """Offline: each break-glass user / group member, without and with admin-group membership."""
    bg_group = (state.break_glass.group,) if state.break_glass.group else ()
    admin_variants: list[tuple[str, ...]] = [()]
    admin_variants += [(group,) for group in state.admin_groups]
    if len(state.admin_groups) > 1:
        admin_variants.append(state.admin_groups)
    people: list[tuple[str, tuple[str, ...]]] = [
        (user, (user,)) for user in state.break_glass.users
    ]
    if state.break_glass.group:
        people.append((f"a member of '{state.break_glass.group}'", ()))
    principals = []
    for label, users in people:
        for admins in admin_variants:
            groups = tuple(dict.fromkeys(bg_group + admins))
            shown = f"{label} (groups: {', '.join(groups)})" if groups else label
            principals.append(Principal.of(shown, users=users, groups=groups))
    return tuple(principals)


def admin_principals(state: DesiredState) -> tuple[Principal, ...]:
    return tuple(Principal.of(f"a member of '{g}'", groups=(g,)) for g in state.admin_groups)


def run_preflight(
    state: DesiredState,
    policy_set: PolicySet | None = None,
    break_glass: Sequence[Principal] | None = None,
    admins: Sequence[Principal] | None = None,
) -> PreflightReport:
    """Evaluate the three assertions; `policy_set` defaults to the desired state (offline)."""
    policies = policy_set if policy_set is not None else policy_set_from_state(state)
    bg = tuple(break_glass) if break_glass is not None else break_glass_principals(state)
    admin = tuple(admins) if admins is not None else admin_principals(state)
    trusted = AddressSet.parse(state.trusted_gateways)
    failures: list[PreflightFailure] = []
    uncertain: set[str] = set()
    checked: list[str] = []
    for principal in bg:
        segments = partition(policies, principal)
        uncertain.update(z for s in segments for z in s.decision.uncertain)
        failures += _break_glass(principal, segments)
        checked.append(f"break-glass: {principal.label}")
    for principal in admin:
        segments = partition(policies, principal)
        uncertain.update(z for s in segments for z in s.decision.uncertain)
        failures += _outside_trusted(principal, segments, trusted, state.mode == "enforce")
        checked.append(f"admins outside trusted ranges: {principal.label}")
        for cidr in state.operator_ips:
            failures += _operator(principal, segments, cidr)
            checked.append(f"operator range {cidr}: {principal.label}")
    notes = list(policies.assumptions)
    if uncertain:
        notes.append(
            "dynamic zones are not decidable by IP and were treated as not matching: "
            + ", ".join(sorted(uncertain))
        )
    return PreflightReport(tuple(failures), tuple(notes), tuple(checked))


def _grouped(
    segments: Sequence[Segment],
    bad: Callable[[Decision], bool],
    rule_of: Callable[[Decision], str],
) -> dict[str, tuple[Interval, ...]]:
    by_rule: dict[str, list[Interval]] = {}
    for segment in segments:
        if bad(segment.decision):
            by_rule.setdefault(rule_of(segment.decision), []).append((segment.first, segment.last))
    return {rule: normalise(intervals) for rule, intervals in by_rule.items()}


def _labels(intervals: Sequence[Interval]) -> tuple[str, ...]:
    return tuple(format_interval(first, last) for first, last in intervals)


def _shown(labels: Sequence[str]) -> str:
    text = ", ".join(labels[:MAX_RANGES_SHOWN])
    if len(labels) > MAX_RANGES_SHOWN:
        text += f" (+{len(labels) - MAX_RANGES_SHOWN} more)"
    return text


def _break_glass(principal: Principal, segments: Sequence[Segment]) -> list[PreflightFailure]:
    failures = []
    cannot_sign_in = _grouped(segments, lambda d: not d.can_sign_in, session_rule)
    for rule, intervals in cannot_sign_in.items():
        labels = _labels(intervals)
        message = f"break-glass {principal.label} cannot sign in from {_shown(labels)}: {rule}"
        failures.append(
            PreflightFailure("break-glass", principal.label, labels, rule, message, True)
        )
    no_console = _grouped(
        segments,
        lambda d: d.can_sign_in and d.admin_console.access != "ALLOW",
        console_rule,
    )
    for rule, intervals in no_console.items():
        labels = _labels(intervals)
        message = (
            f"break-glass {principal.label} cannot reach the Admin Console from "
            f"{_shown(labels)}: {rule}"
        )
        failures.append(
            PreflightFailure("break-glass", principal.label, labels, rule, message, True)
        )
    return failures


def _outside_trusted(
    principal: Principal, segments: Sequence[Segment], trusted: AddressSet, enforced: bool
) -> list[PreflightFailure]:
    outside: list[Segment] = []
    for segment in segments:
        outside += [
            Segment(first, last, segment.decision)
            for first, last in trusted.minus(segment.first, segment.last)
        ]
    checks: tuple[tuple[str, Callable[[Decision], bool], Callable[[Decision], str]], ...] = (
        ("can sign in", lambda d: d.can_sign_in, session_rule),
        ("can reach the Admin Console", lambda d: d.admin_console.access == "ALLOW", console_rule),
    )
    failures = []
    suffix = "" if enforced else " (monitor mode: reported, not enforced)"
    for what, bad, rule_of in checks:
        for rule, intervals in _grouped(outside, bad, rule_of).items():
            labels = _labels(intervals)
            message = (
                f"admin {principal.label} {what} from outside the trusted ranges: "
                f"{_shown(labels)}: {rule}{suffix}"
            )
            failures.append(
                PreflightFailure(
                    "admin-outside-trusted", principal.label, labels, rule, message, enforced
                )
            )
    return failures


def _operator(
    principal: Principal, segments: Sequence[Segment], cidr: str
) -> list[PreflightFailure]:
    failures = []
    for first, last in AddressSet.parse([cidr]).intervals:
        inside = segments_within(segments, first, last)
        for what, bad, rule_of in (
            ("cannot sign in", lambda d: not d.can_sign_in, session_rule),
            (
                "cannot reach the Admin Console",
                lambda d: d.can_sign_in and d.admin_console.access != "ALLOW",
                console_rule,
            ),
        ):
            for rule, intervals in _grouped(inside, bad, rule_of).items():
                labels = _labels(intervals)
                message = (
                    f"operator range {cidr}: admin {principal.label} {what} from "
                    f"{_shown(labels)}: {rule}"
                )
                failures.append(
                    PreflightFailure(
                        "operator-access", principal.label, labels, rule, message, True
                    )
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
