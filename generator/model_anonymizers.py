"""The desired state's anonymizer deny rules (`controls.anonymizer_deny`): an enhanced dynamic
zone of Okta's anonymizer categories, denied right after the allow-trusted rules. Part of the
desired-state model (`generator.model`, whose `build_desired_state` calls `with_anonymizer_deny`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from generator.model import AppRule, DesiredState, DynamicZone, SessionRule, Status

ANONYMIZER_CATEGORIES = ("ALL_ANONYMIZERS",)


def with_anonymizer_deny(state: DesiredState, status: Status) -> DesiredState:
    """A deny rule for anonymizers (an enhanced dynamic zone of ALL_ANONYMIZERS) at priority 2,
    right after the allow-trusted rule (so the trusted egress never reaches it, whatever Okta
    classifies as an anonymizer: the lockout preflight proves it), break-glass accounts
    excluded: in the admins' session policy; on the Admin Console for everyone reaching it (it
    serves only admins; the admin groups under `admin_console.applies_to: admin_groups`); on the
    extra apps for the admin groups (their other users' access is
    not egress-guard's). The deny rules after it move down one priority."""
    zone = DynamicZone("anonymizers", f"{state.name_prefix}-anonymizers", ANONYMIZER_CATEGORIES)
    name = f"{state.name_prefix} deny anonymizers"
    bg_groups = (state.break_glass.group,) if state.break_glass.group else ()
    session = state.session_policy
    session_rule = SessionRule(
        key=f"{session.key}_deny_anonymizers",
        name=name,
        priority=2,
        access="DENY",
        network_connection="ZONE",
        network_includes=(zone.key,),
        users_excluded=state.break_glass.users,
        groups_members_excluded=bg_groups,
        status=status,
    )
    session = replace(session, rules=_inserted(session.rules, session_rule))
    apps = []
    for app in state.app_policies:
        app_rule = AppRule(
            key=f"{app.key}_deny_anonymizers",
            name=name,
            priority=2,
            access="DENY",
            network_connection="ZONE",
            network_includes=(zone.key,),
            groups_included=() if app.everyone else state.admin_groups,
            groups_excluded=bg_groups,
            users_excluded=state.break_glass.users,
            status=status,
        )
        apps.append(replace(app, rules=_inserted(app.rules, app_rule)))
    return replace(state, dynamic_zones=(zone,), session_policy=session, app_policies=tuple(apps))


RuleT = TypeVar("RuleT", SessionRule, AppRule)


def _inserted(rules: tuple[RuleT, ...], new: RuleT) -> tuple[RuleT, ...]:
    moved: list[RuleT] = [
        replace(rule, priority=rule.priority + 1) if rule.priority >= new.priority else rule
        for rule in rules
    ]
    moved.append(new)
    return tuple(sorted(moved, key=lambda rule: rule.priority))
