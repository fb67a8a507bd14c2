"""Helpers the checks share: network conditions, and the rules that let admins in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.controls.base import ControlCheck, ControlResult, Evidence
from generator.controls.context import ControlContext
from generator.okta.snapshot import JsonObject, LiveApp
from generator.simulate.symbolic import Segment

ALL_IP_ZONES = ("ALL_IP_ZONES", "ALL_ZONES")
MAX_NAMES = 6
NOBODY = "no rule lets admin-group members reach the Admin Console"


def names(values: Iterable[str], limit: int = MAX_NAMES) -> str:
    items = list(values)
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


def zone_names(context: ControlContext, zone_ids: Iterable[str]) -> list[str]:
    return [
        "any IP zone" if zone_id in ALL_IP_ZONES else repr(context.zone_name(zone_id))
        for zone_id in zone_ids
    ]


def network_restriction(context: ControlContext, network: Any) -> tuple[bool, str]:
    """(restricted, description) of an API token's or OAuth client's network condition: only
    `ZONE` with included zones confines its use; `ZONE` with only excluded zones means
    "anywhere except", and a missing condition is unrestricted."""
    if not isinstance(network, Mapping) or not network:
        return False, "no network condition: usable from any IP"
    connection = network.get("connection")
    include = [str(z) for z in network.get("include") or ()]
    exclude = [str(z) for z in network.get("exclude") or ()]
    if connection in (None, "ANYWHERE"):
        return False, "network ANYWHERE: usable from any IP"
    if connection != "ZONE":
        return False, f"network connection {connection!r}: not a zone restriction"
    if not include:
        excluded = names(zone_names(context, exclude)) or "none"
        return (
            False,
            f"network ZONE, only excluded zones ({excluded}): usable from anywhere else",
        )
    trusted = context.trusted_zone_ids
    text = f"usable only from {names(zone_names(context, include))}"
    if exclude:
        text += f", except {names(zone_names(context, exclude))}"
    if trusted and not set(include) <= trusted and not set(include) & set(ALL_IP_ZONES):
        text += " (not all of them are egress-guard's trusted zones)"
    return True, text


@dataclass(frozen=True)
class LettingIn:
    """A rule that lets admin-group members in, where and for whom."""

    rule_id: str | None
    rule: str
    policy: str | None
    groups: tuple[str, ...]
    ranges: tuple[str, ...]

    @property
    def subject(self) -> str:
        where = f" of '{self.policy}'" if self.policy else ""
        return f"rule '{self.rule}'{where}"

    def who(self) -> str:
        sample = names(self.ranges, 3)
        return f"lets members of {names(repr(g) for g in self.groups)} in from {sample}"


def _collect(items: Iterable[tuple[str, Segment, str | None, str, str | None]]) -> list[LettingIn]:
    found: dict[tuple[str | None, str], tuple[str | None, list[str], list[str]]] = {}
    for group, segment, rule_id, rule, policy in items:
        key = (rule_id, rule)
        entry = found.setdefault(key, (policy, [], []))
        if group not in entry[1]:
            entry[1].append(group)
        if len(entry[2]) < 4 and segment.label not in entry[2]:
            entry[2].append(segment.label)
    return [
        LettingIn(rule_id, rule, policy, tuple(groups), tuple(ranges))
        for (rule_id, rule), (policy, groups, ranges) in found.items()
    ]


def sign_in_rules(context: ControlContext) -> list[LettingIn]:
    """Every Global Session Policy rule that lets an admin-group member sign in, from any
    address (the simulator's exact partition of the address space over the live policies)."""
    return _collect(
        (access.group, segment, decision.rule_id, str(decision.rule), decision.policy)
        for access in context.admin_access
        for segment, decision in access.sign_ins()
    )


def console_rules(context: ControlContext) -> list[LettingIn]:
    """Every Admin Console authentication-policy rule that lets an admin-group member in."""
    return _collect(
        (access.group, segment, decision.rule_id, str(decision.rule), decision.policy)
        for access in context.admin_access
        for segment, decision in access.console_access()
    )


def judge_console_rules(
    check: ControlCheck,
    context: ControlContext,
    judge: Callable[[JsonObject | None], tuple[bool, str]],
) -> ControlResult:
    """`check`'s result over every Admin Console rule that lets admin-group members in: `judge`
    says of each rule (None when it is not among the policy's rules) whether it passes, and
    what it saw."""
    console = context.live.app("admin_console")
    if console is None or console.app is None:
        return check.unknown("the Okta Admin Console app was not found")
    evidence = []
    for found in console_rules(context):
        ok, detail = judge(context.app_rule(console, found.rule_id))
        evidence.append(
            Evidence(
                found.subject, "pass" if ok else "fail", f"{detail}; {found.who()}", found.rule_id
            )
        )
    if not evidence:
        return check.unknown(NOBODY)
    return check.result(evidence)


def per_protected_app(
    context: ControlContext, judge: Callable[[LiveApp], list[Evidence]]
) -> list[Evidence]:
    """`judge`'s evidence for each protected app found in the org, in order; an `unknown` line
    for each one not found."""
    evidence: list[Evidence] = []
    for app in context.live.apps:
        if app.app is None:
            evidence.append(Evidence(f"app {app.label!r}", "unknown", "no such active app"))
        else:
            evidence += judge(app)
    return evidence


def dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def active_rules(rules: Sequence[JsonObject]) -> list[JsonObject]:
    return [r for r in rules if r.get("status", "ACTIVE") == "ACTIVE"]
