"""Who can sign in with one factor, where, and to which apps: the simulator over every Global
Session Policy and every active app's authentication policy.

For a principal (every group it is in, Everyone included), over the whole IPv4 + IPv6 space cut
where a zone begins or ends (`symbolic.zone_sets`), Okta's decisions are taken once per distinct
set of zones:
- a one-factor **session**: the Global Session Policy rule that applies allows sign-in without
  requiring MFA (`requireFactor` false: the session is established with one factor);
- a one-factor **app**: that, and the rule of the app's authentication policy that applies
  allows access with `factorMode` 1FA (the Catch-all Rule included). When the session already
  required MFA, the app gets two factors whatever its policy says; when the app asks for two,
  the user must give a second one.
Each path is (principal, policy, rule[, apps]) with the address ranges it holds for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from generator.mfa.org import MfaOrg
from generator.okta.platform import EVERYONE_GROUP
from generator.simulate.addresses import (
    SPACE_END,
    V6_OFFSET,
    Interval,
    format_interval,
    normalise,
)
from generator.simulate.evaluate import ConsoleDecision, Decision, app_decision, decide
from generator.simulate.from_okta import app_policy_from_okta, policy_set_from_okta
from generator.simulate.policyset import AppPolicy, PolicySet, Principal
from generator.simulate.symbolic import zone_sets

Surface = Literal["session", "app"]
WhoKind = Literal["everyone", "group", "user"]
EVERYWHERE: tuple[Interval, ...] = ((0, V6_OFFSET - 1), (V6_OFFSET, SPACE_END))
MAX_RANGES_SHOWN = 5


@dataclass(frozen=True)
class Who:
    label: str  # e.g. "every user (Everyone)", "members of group 'Contractors'"
    kind: WhoKind
    principal: Principal


@dataclass(frozen=True)
class OneFactorPath:
    who: Who
    surface: Surface
    policy: str
    policy_id: str
    rule: str
    rule_id: str
    intervals: tuple[Interval, ...]
    apps: tuple[str, ...] = ()  # app labels (surface "app")

    @property
    def key(self) -> tuple[str, str, str]:
        return self.surface, self.policy_id, self.rule_id

    @property
    def everywhere(self) -> bool:
        return self.intervals == EVERYWHERE

    @property
    def ranges(self) -> tuple[str, ...]:
        return tuple(format_interval(first, last) for first, last in self.intervals)

    def where(self) -> str:
        if self.everywhere:
            return "from anywhere"
        shown = ", ".join(self.ranges[:MAX_RANGES_SHOWN])
        extra = len(self.ranges) - MAX_RANGES_SHOWN
        return "from " + shown + (f" (+{extra} more ranges)" if extra > 0 else "")


@dataclass(frozen=True)
class AppGroup:
    """An authentication policy and the active apps that use it."""

    policy: AppPolicy
    apps: tuple[str, ...]  # labels


@dataclass(frozen=True)
class OrgPolicies:
    policy_set: PolicySet  # zones and Global Session Policies
    apps: tuple[AppGroup, ...]
    notes: tuple[str, ...] = field(default=())


def org_policies(org: MfaOrg) -> OrgPolicies:
    policy_set = policy_set_from_okta(
        org.zones, org.sign_on_policies, org.rules, None, group_names=org.group_names
    )
    groups: list[AppGroup] = []
    used = sorted({pid for app in org.apps if (pid := org.app_policy_id(app))})
    for policy_id in used:
        policy = app_policy_from_okta(
            org.access_policy(policy_id), org.rules.get(policy_id, ()), org.group_names
        )
        labels = sorted(str(app.get("label") or app.get("name")) for app in org.apps_of(policy_id))
        groups.append(AppGroup(policy, tuple(labels)))
    without = sorted(
        str(app.get("label") or app.get("name")) for app in org.apps if not org.app_policy_id(app)
    )
    notes = []
    if without:
        notes.append(
            "apps without an authentication policy link (Classic Engine apps?) were not "
            "evaluated: " + ", ".join(without)
        )
    return OrgPolicies(policy_set, tuple(groups), tuple(notes))


class _Hits:
    def __init__(self) -> None:
        self.intervals: dict[tuple[str, str, str], list[Interval]] = {}
        self.names: dict[tuple[str, str, str], tuple[str, str, tuple[str, ...]]] = {}

    def add(
        self,
        key: tuple[str, str, str],
        names: tuple[str, str, tuple[str, ...]],
        first: int,
        last: int,
    ) -> None:
        self.intervals.setdefault(key, []).append((first, last))
        self.names.setdefault(key, names)

    def paths(self, who: Who) -> list[OneFactorPath]:
        found = []
        for key, spans in self.intervals.items():
            surface, policy_id, rule_id = key
            policy, rule, apps = self.names[key]
            found.append(
                OneFactorPath(
                    who,
                    "session" if surface == "session" else "app",
                    policy,
                    policy_id,
                    rule,
                    rule_id,
                    normalise(spans),
                    apps,
                )
            )
        return sorted(found, key=lambda p: (p.surface != "session", p.policy, p.rule))


def one_factor_paths(policies: OrgPolicies, who: Who) -> list[OneFactorPath]:
    """Every way `who` gets a session, or reaches an app, with a single factor."""
    sessions: dict[frozenset[str], Decision] = {}
    apps: dict[tuple[frozenset[str], str], ConsoleDecision] = {}
    hits = _Hits()
    for first, last, inside in zone_sets(policies.policy_set):
        decision = sessions.get(inside)
        if decision is None:
            decision = sessions[inside] = decide(policies.policy_set, who.principal, inside)
        session = decision.session
        if session.access != "ALLOW" or session.mfa_required:
            continue
        names = (str(session.policy), str(session.rule), ())
        hits.add(("session", str(session.policy_id), str(session.rule_id)), names, first, last)
        for group in policies.apps:
            cache_key = (inside, group.policy.id)
            app = apps.get(cache_key)
            if app is None:
                app = apps[cache_key] = app_decision(
                    policies.policy_set, group.policy, who.principal, inside
                )
            if app.access == "ALLOW" and app.factor_mode == "1FA":
                key = ("app", group.policy.id, str(app.rule_id))
                hits.add(key, (group.policy.name, str(app.rule), group.apps), first, last)
    return hits.paths(who)


def everyone() -> Who:
    return Who("every user (Everyone)", "everyone", Principal.of("Everyone"))


def group_principal(name: str, extra_keys: Iterable[str] = ()) -> Who:
    return Who(
        f"members of group '{name}'",
        "group",
        Principal.of(f"a member of '{name}'", groups=(name, *extra_keys)),
    )


def user_principal(login: str, user_id: str, groups: Sequence[str]) -> Who:
    return Who(
        f"user '{login}'", "user", Principal.of(login, users=(login, user_id), groups=tuple(groups))
    )


def principals(
    org: MfaOrg,
    skip_groups: Iterable[str],
    user_groups: Mapping[str, Sequence[str]] = {},
) -> list[Who]:
    """Everyone; every group a policy or rule names (but `skip_groups`: the admin and
    break-glass groups, checked by the effective-access posture); every user a rule includes by
    name, with `user_groups` (user id -> group names) when read."""
    skipped = {name.casefold() for name in skip_groups} | {EVERYONE_GROUP.casefold()}
    found = [everyone()]
    for name in sorted(set(org.group_names.values())):
        if name.casefold() not in skipped:
            found.append(group_principal(name))
    for user_id, login in sorted(org.user_logins.items(), key=lambda item: item[1]):
        if user_id in user_groups:
            found.append(user_principal(login, user_id, user_groups[user_id]))
    return found


def org_paths(policies: OrgPolicies, whos: Sequence[Who]) -> list[OneFactorPath]:
    """The paths of every principal; a group's or user's only where it differs from Everyone
    (what Everyone gets is reported once, for Everyone)."""
    base: set[tuple[str, str, str]] = set()
    found: list[OneFactorPath] = []
    for who in whos:
        paths = one_factor_paths(policies, who)
        if who.kind == "everyone":
            base = {path.key for path in paths}
            found += paths
        else:
            found += [path for path in paths if path.key not in base]
    return found
