"""Posture: every admin-role holder is covered by our admin session rules, however the role was
granted (directly, through a group, through a custom-role binding).

Covered means: a member of an admin group (our Global Session Policy and, under
`admin_groups` scoping, our Admin Console rules apply), or a break-glass account (exempt by
design). Okta's built-in "Okta Administrators" group holds every admin-role holder (Okta keeps
it so, and does not list it): with it among the admin groups, every holder is covered. Anyone
else holding an active admin role is a CRITICAL finding naming the user, each role and how it
was granted, and the fix. With the Admin Console rules covering every user (the default) such
an admin is still denied the Admin Console outside trusted egress, and the finding
says so; their sign-in is not ours (the session policy is scoped to the admin groups).

OAuth service apps holding roles are listed in the report's notes: no sign-on policy ever
applies to their tokens, so no rule of ours can cover them. Roles that could not be read (no
okta.roles.read) are a note too, as every optional read is: "admin coverage NOT checked".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.drift.findings import Finding
from generator.drift.posture import PostureCheck
from generator.model import DesiredState
from generator.okta.platform import ADMINS_GROUP, is_admins_group
from generator.okta.roles import AdminRoles, RoleGrant, RoleHolder
from generator.okta.snapshot import LiveOrg

CHECK = "admin-role-coverage"
SHOWN_APPS = 10


def covered_ids(state: DesiredState, live: LiveOrg) -> set[str]:
    """Ids and lower-case logins of admin-group members and break-glass accounts."""
    keys = {login.lower() for login in state.break_glass.users}
    keys |= {
        str(live.users[login].get("id")) for login in state.break_glass.users if login in live.users
    }
    groups = [*state.admin_groups, *filter(None, [state.break_glass.group])]
    for group in groups:
        for member in live.group_members.get(group, ()):
            keys.add(str(member.get("id")))
            keys.add(str((member.get("profile") or {}).get("login", "")).lower())
    return keys


def admins_group_covers(state: DesiredState, live: LiveOrg) -> bool:
    """Okta's built-in admins group (every admin-role holder) is one of the admin groups."""
    return any(
        is_admins_group(live.groups[name]) for name in state.admin_groups if name in live.groups
    )


def is_covered(state: DesiredState, live: LiveOrg, holder: RoleHolder, covered: set[str]) -> bool:
    """`holder` is an admin-group member or a break-glass account: as listed (`covered`), as
    Okta's admins group makes every holder, or by the groups read for them (an admin group
    whose members Okta did not list)."""
    if admins_group_covers(state, live):
        return True
    if holder.user_id in covered or holder.login.lower() in covered:
        return True
    wanted = {
        str(live.groups[name].get("id")) for name in state.admin_groups if name in live.groups
    }
    return bool(wanted.intersection(str(g.get("id")) for g in live.groups_of(holder.user_id) or ()))


def grant_text(roles: AdminRoles, grant: RoleGrant) -> str:
    return f"{roles.role(grant)} ({roles.how(grant)})"


def _fix(state: DesiredState, roles: AdminRoles, holder: RoleHolder) -> str:
    groups = ", ".join(f"'{g}'" for g in state.admin_groups)
    steps = [f"add {holder.login} to an admin group ({groups})"]
    via = sorted({roles.name(g.group_id) for g in holder.grants if g.group_id})
    if via:
        steps.append("or add " + ", ".join(f"'{name}'" for name in via) + " to okta.admin_groups")
    steps.append("or remove the role if it was not intended")
    return "; ".join(steps)


def _console(state: DesiredState) -> str:
    console = next((a for a in state.app_policies if a.key == "admin_console"), None)
    if console is not None and console.everyone:
        return (
            "the Admin Console rules (every user but break-glass) still deny them the Admin "
            "Console outside trusted egress"
        )
    return (
        "nor do the Admin Console rules (okta.admin_console.applies_to: admin_groups): they "
        "reach the Admin Console from wherever the org's own rules allow"
    )


def uncovered_message(state: DesiredState, roles: AdminRoles, holder: RoleHolder) -> str:
    """Why `holder` (in no admin group, not break-glass) is not covered, and the fix: the
    finding's message, and what `simulate --live --user` shows."""
    grants = [g for g in holder.grants if g.active]
    held = "; ".join(grant_text(roles, g) for g in grants)
    status = "" if holder.status in ("ACTIVE", "UNKNOWN") else f" (user status {holder.status})"
    return (
        f"admin {holder.login}{status} holds {held} and is not covered by the admin session "
        f"rules: in none of the admin groups, so the Global Session Policy "
        f"'{state.session_policy.name}' does not apply to them; {_console(state)}. "
        f"Fix: {_fix(state, roles, holder)}"
    )


def holder_finding(state: DesiredState, roles: AdminRoles, holder: RoleHolder) -> Finding:
    return Finding(
        finding_class="posture",
        severity="critical",
        kind="user",
        name=holder.login,
        message=uncovered_message(state, roles, holder),
        object_id=holder.user_id,
        check=CHECK,
    )


@dataclass(frozen=True)
class Coverage:
    """One user's admin roles and whether the admin session rules cover them."""

    roles: tuple[str, ...]  # "<role> (<how granted>)", active ones
    covered: bool
    text: str


def user_coverage(
    state: DesiredState,
    roles: AdminRoles,
    holder: RoleHolder,
    group_names: Sequence[str],
    break_glass_member: bool = False,
    admins_group: bool = False,
) -> Coverage:
    """`holder` (whose groups are `group_names`) against the admin session rules;
    `admins_group`: Okta's built-in group of every admin-role holder is an admin group."""
    grants = tuple(grant_text(roles, g) for g in holder.grants if g.active)
    if not grants:
        return Coverage((), True, "holds no admin role")
    admin_groups = [g for g in state.admin_groups if g in group_names]
    if holder.login.lower() in {u.lower() for u in state.break_glass.users} or break_glass_member:
        return Coverage(grants, True, "break-glass account: exempt from the admin rules by design")
    if admins_group:
        return Coverage(
            grants,
            True,
            f"covered: member of admin group '{ADMINS_GROUP}' (Okta keeps every admin-role "
            "holder in it)",
        )
    if admin_groups:
        groups = ", ".join(f"'{g}'" for g in admin_groups)
        return Coverage(grants, True, f"covered: member of admin group {groups}")
    return Coverage(grants, False, uncovered_message(state, roles, holder))


def admin_coverage_findings(state: DesiredState, live: LiveOrg) -> list[Finding]:
    roles = live.admin_roles
    if roles is None:
        return []
    if not roles.readable:
        return []  # said in the notes (admin_role_notes), as every optional read is
    covered = covered_ids(state, live)
    return [
        holder_finding(state, roles, holder)
        for holder in roles.holders
        if any(g.active for g in holder.grants) and not is_covered(state, live, holder, covered)
    ]


def admin_role_notes(state: DesiredState, live: LiveOrg) -> tuple[str, ...]:
    """What the report says about admin roles besides findings: how many holders, how covered,
    how the read went, and the service apps holding roles."""
    roles = live.admin_roles
    if roles is None:
        return ()
    if not roles.readable:
        return (
            f"admin coverage NOT checked: admin-role holders could not be read ({roles.problem});"
            " grant okta.roles.read to the OAuth service app (or use a token of an admin allowed"
            " to read roles) so that every admin, however granted, is checked",
        )
    covered = covered_ids(state, live)
    uncovered = [h for h in roles.holders if not is_covered(state, live, h, covered)]
    notes = [
        f"admin roles: {len(roles.holder_ids)} user(s) hold an admin role; "
        f"{len(roles.holder_ids) - len(uncovered)} covered (admin-group members or break-glass), "
        f"{len(uncovered)} not"
    ]
    if admins_group_covers(state, live):
        notes.append(
            f"admin roles: '{ADMINS_GROUP}' (an admin group) is Okta's built-in group of every "
            "admin-role holder: each of them is covered by the admin session rules, however "
            "the role was granted (its members are the holders read, Okta does not list them)"
        )
    notes += [f"admin roles: {note}" for note in roles.notes]
    if roles.service_apps:
        shown = [
            f"{app.label} ({', '.join(roles.role(g) for g in app.grants)})"
            for app in roles.service_apps[:SHOWN_APPS]
        ]
        more = len(roles.service_apps) - SHOWN_APPS
        notes.append(
            "admin roles held by OAuth service apps, whose tokens no sign-on policy applies to "
            "(restrict them by network and scopes instead): "
            + ", ".join(shown)
            + (f" (+{more} more)" if more > 0 else "")
        )
    return tuple(notes)


class AdminCoverageCheck(PostureCheck):
    """Every admin-role holder, however granted, is covered by the admin session rules."""

    name = CHECK

    def findings(self, state: DesiredState, live: LiveOrg) -> list[Finding]:
        return admin_coverage_findings(state, live)
