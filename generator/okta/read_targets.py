"""What a live read fetches, by name (`ReadTargets`), derived from the desired state: the
session policy, the groups and users its rules name, the protected apps, and whose members and
admin roles are needed. `generator.okta.reads` reads a `LiveOrg` for them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.model import DesiredState


@dataclass(frozen=True)
class AppTarget:
    key: str
    label: str
    name: str | None  # Okta app name (saasure) when known: exact filter instead of label search
    dedicated_policy: str | None = None  # our own policy's name: the app's policy is read too


@dataclass(frozen=True)
class ReadTargets:
    """What to read, by name: derived from the desired state (`targets_from_state`)."""

    session_policy_name: str
    session_policy_id: str | None  # from a Terraform plan/state, when given
    groups: tuple[str, ...]  # names (admin groups, break-glass group, rule groups)
    member_groups: tuple[str, ...]  # names whose members are needed
    users: tuple[str, ...]  # logins
    apps: tuple[AppTarget, ...]
    # Of `member_groups`, those whose members rules exclude one by one (the break-glass group):
    # their members are required, a refused listing fails the read.
    excluded_member_groups: tuple[str, ...] = ()
    # Groups whose members are principals of the posture check (admins, break-glass): every
    # member's own groups are read, and the rules of every sign-on policy for any of them.
    principal_groups: tuple[str, ...] = ()
    # Read every admin-role holder (`generator.okta.role_reads`; those outside the principal
    # groups become principals too) and which apps share the Admin Console's authentication
    # policy: drift does.
    admin_roles: bool = False
    # List the OAuth service apps for their roles (False: the caller lists them itself).
    list_service_apps: bool = True


def targets_from_state(state: DesiredState, session_policy_id: str | None = None) -> ReadTargets:
    groups = list(state.group_names) + list(state.session_policy.groups_included)
    principal_groups = [*state.admin_groups, *filter(None, [state.break_glass.group])]
    members: list[str] = list(principal_groups)
    excluded: list[str] = []
    users = list(state.break_glass.users)
    for rule in state.session_policy.rules:
        excluded += rule.groups_members_excluded
        users += rule.users_excluded
    members += excluded
    for app in state.app_policies:
        for app_rule in app.rules:
            groups += app_rule.groups_included + app_rule.groups_excluded
            users += app_rule.users_excluded + app_rule.users_included
    return ReadTargets(
        session_policy_name=state.session_policy.name,
        session_policy_id=session_policy_id,
        groups=tuple(dict.fromkeys([*groups, *members])),
        member_groups=tuple(dict.fromkeys(members)),
        excluded_member_groups=tuple(dict.fromkeys(excluded)),
        users=tuple(dict.fromkeys(users)),
        apps=tuple(
            AppTarget(a.key, a.app_label, a.app_name, a.dedicated_policy)
            for a in state.app_policies
        ),
        principal_groups=tuple(dict.fromkeys(principal_groups)),
    )


def with_admin_roles(targets: ReadTargets) -> ReadTargets:
    """`targets` plus every admin-role holder and the Admin Console policy's other apps."""
    return replace(targets, admin_roles=True)
