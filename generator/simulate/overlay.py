"""The org as it will be after an apply: the live policy set with egress-guard's own objects
replaced by the desired state's.

Used by the gated `terraform apply` to run the lockout preflight against the real tenant before
anything changes: every policy and rule outside ours (a policy for another group an admin belongs
to, one for Everyone above ours, the Admin Console's own rules) is real, not a fresh org's
default. Placement follows Okta: our policy takes its configured priority and the others shift
down; our Admin Console rules take theirs above the org's own rules; system rules (the Catch-all
Rule, priority 99) stay where they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from generator.simulate.policyset import AppPolicy, AppRule, PolicySet, SignOnPolicy, SignOnRule

OVERLAY_ASSUMPTION = (
    "live + desired: the tenant as read, with egress-guard's zones, policy and rules replaced by "
    "the ones this apply writes"
)

Ranked = TypeVar("Ranked", SignOnPolicy, AppRule, SignOnRule)


def _placed(others: Sequence[Ranked], ours: Sequence[Ranked]) -> tuple[Ranked, ...]:
    """`ours` at their priorities among `others` (kept in order, shifted down), renumbered
    1..n; system objects keep their own priority (Okta never moves them)."""
    movable = sorted((o for o in others if not getattr(o, "system", False)), key=_rank)
    fixed = [o for o in others if getattr(o, "system", False)]
    merged: list[Ranked] = list(movable)
    for item in sorted(ours, key=_rank):
        merged.insert(min(max(item.priority - 1, 0), len(merged)), item)
    placed = [replace(item, priority=index) for index, item in enumerate(merged, start=1)]
    last = len(placed)
    return tuple(placed) + tuple(  # a system object stays below everything it was below
        replace(item, priority=max(item.priority, last + index))
        for index, item in enumerate(sorted(fixed, key=_rank), start=1)
    )


def _rank(item: SignOnPolicy | AppRule | SignOnRule) -> tuple[int, str]:
    return item.priority, item.name


def overlay(live: PolicySet, desired: PolicySet) -> PolicySet:
    zones = tuple(z for z in live.zones if z.id not in {d.id for d in desired.zones})
    live_zone_names = {d.name for d in desired.zones}
    zones = tuple(z for z in zones if z.name not in live_zone_names) + desired.zones
    ours = [p for p in desired.signon_policies if p.managed]
    others = [p for p in live.signon_policies if not p.managed]
    policies = _placed(others, ours)
    console = live.admin_console
    desired_console = desired.admin_console
    if console is not None and desired_console is not None:
        keep = [r for r in console.rules if not r.managed]
        mine = [r for r in desired_console.rules if r.managed]
        console = AppPolicy(console.id, console.name, _placed(keep, mine), console.status)
    return PolicySet(
        zones=zones,
        signon_policies=policies,
        admin_console=console,
        source="live",
        assumptions=(*live.assumptions, OVERLAY_ASSUMPTION),
    )
