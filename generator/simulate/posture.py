"""Effective access on the live org: the preflight assertions evaluated with the simulator for
real principals — every admin (from the `PrincipalSource`s: today the members of the admin
groups, each with every group it belongs to) and every break-glass account — over all the
org's policies and rules, so a policy for another of an admin's groups, or for Everyone, above
ours counts as Okta counts it.

`EffectiveAccessCheck` (drift posture) evaluates the org as it is; `apply_preflight` (the gated
`terraform apply`) the org as it will be once the desired state is applied (`overlay`).
Only enforced assertions become findings: in `monitor` mode admins are expected to get in from
anywhere, and reporting that on every run would make drift never clean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from generator.drift.findings import Finding, ObjectKind
from generator.drift.posture import PostureCheck
from generator.drift.principals import (
    AdminGroupMembers,
    AdminPrincipal,
    OrgUser,
    PrincipalSource,
    collect_admins,
)
from generator.drift.role_principals import AdminRoleHolders
from generator.model import DesiredState
from generator.okta.platform import is_admins_group
from generator.okta.snapshot import LiveOrg
from generator.simulate.from_model import policy_set_from_state
from generator.simulate.live import live_break_glass_principals, policy_set_from_live
from generator.simulate.overlay import overlay
from generator.simulate.policyset import Principal
from generator.simulate.preflight import (
    PreflightFailure,
    PreflightReport,
    admin_principals,
    run_preflight,
)

# The admin groups' members, and every admin-role holder outside them (read by drift only).
DEFAULT_SOURCES: tuple[PrincipalSource, ...] = (AdminGroupMembers(), AdminRoleHolders())


def user_principal(user: OrgUser, label: str) -> Principal:
    """A live user as the simulator matches it: login and id; group names and ids."""
    return Principal.of(
        label,
        users=(user.login, user.user_id),
        groups=tuple(dict.fromkeys((*user.group_names, *user.group_ids))),
    )


def admin_label(admin: AdminPrincipal) -> str:
    return f"{admin.user.login} ({admin.why})"


def live_admin_principals(
    state: DesiredState, live: LiveOrg, sources: Sequence[PrincipalSource] = DEFAULT_SOURCES
) -> tuple[Principal, ...]:
    """Every admin with its real groups, then each admin group's bare membership (what any
    future member gets, whatever else they belong to). Break-glass accounts are left out:
    they are exempt from the restriction by design (checked as break-glass instead)."""
    exempt = break_glass_keys(state, live)
    real = tuple(
        user_principal(admin.user, admin_label(admin))
        for admin in collect_admins(sources, state, live)
        if not exempt.intersection({admin.user.user_id, admin.user.login.lower()})
    )
    return real + admin_principals(state)


def break_glass_keys(state: DesiredState, live: LiveOrg) -> set[str]:
    """Ids and lower-case logins of the break-glass users and the break-glass group's members."""
    keys = {login.lower() for login in state.break_glass.users}
    keys |= {str(user.get("id")) for user in live.users.values()}
    group = state.break_glass.group
    for member in live.group_members.get(group, ()) if group else ():
        keys.add(str(member.get("id")))
        keys.add(str((member.get("profile") or {}).get("login", "")).lower())
    return keys


def posture_report(
    state: DesiredState,
    live: LiveOrg,
    *,
    after_apply: bool = False,
    sources: Sequence[PrincipalSource] = DEFAULT_SOURCES,
) -> PreflightReport:
    policy_set = policy_set_from_live(live, state.name_prefix)
    if after_apply:
        policy_set = overlay(policy_set, policy_set_from_state(state))
    report = run_preflight(
        state,
        policy_set,
        live_break_glass_principals(state, live),
        live_admin_principals(state, live, sources),
    )
    unknown = unknown_members_notes(state, live)
    return replace(report, assumptions=(*report.assumptions, *unknown)) if unknown else report


MEMBERS_CHECK = "admin-group-members"


def _unknown(state: DesiredState, live: LiveOrg) -> list[tuple[str, str]]:
    """(admin group, note) for each admin group whose members are not known: which admins were
    not evaluated with their real groups, and why. Never read as "the group has no members"."""
    return [
        (
            name,
            f"the members of admin group '{name}' are unknown ({live.unknown_members[name]}): "
            "they were NOT evaluated with their real groups; any member of the group (with no "
            "other group) still is",
        )
        for name in state.admin_groups
        if name in live.unknown_members
    ]


def unknown_members_notes(state: DesiredState, live: LiveOrg) -> tuple[str, ...]:
    return tuple(note for _, note in _unknown(state, live))


def _optional_read(live: LiveOrg, name: str) -> bool:
    """Okta's admins group's members are the admin-role holders: unknown only when those
    could not be read (okta.roles.read, optional like every read drift can do without)."""
    group = live.groups.get(name)
    return group is not None and is_admins_group(group)


def unknown_members_findings(state: DesiredState, live: LiveOrg) -> list[Finding]:
    """A high `posture` finding per admin group whose members Okta would not list: the
    effective access of its members is not proven, so drift does not read as in sync. (Okta's
    admins group, unknown for want of an optional scope, is a note: `unknown_members_notes`.)"""
    return [
        Finding(
            finding_class="posture",
            severity="high",
            kind="group",
            name=name,
            message=f"[{MEMBERS_CHECK}] {note}",
            object_id=str((live.groups.get(name) or {}).get("id") or "") or None,
            check=MEMBERS_CHECK,
        )
        for name, note in _unknown(state, live)
        if not _optional_read(live, name)
    ]


def apply_preflight(state: DesiredState, live: LiveOrg) -> PreflightReport:
    """The lockout preflight on the org as it will be after applying `state`."""
    return posture_report(state, live, after_apply=True)


MAX_PRINCIPALS_SHOWN = 5


def _finding(failures: Sequence[PreflightFailure]) -> Finding:
    """One finding per failed assertion and responsible rule, naming every principal it hits
    (each admin by login, with why they are an admin)."""
    first = failures[0]
    kind: ObjectKind = "session_rule" if first.surface == "sign-in" else "app_rule"
    shown = [failure.message for failure in failures[:MAX_PRINCIPALS_SHOWN]]
    if len(failures) > MAX_PRINCIPALS_SHOWN:
        shown.append(f"(+{len(failures) - MAX_PRINCIPALS_SHOWN} more principals)")
    return Finding(
        finding_class="posture",
        severity="critical",
        kind=kind,
        name=first.rule,
        message=f"[{first.check}] " + " | ".join(shown),
        object_id=first.rule_id,
        check=first.check,
    )


def posture_findings(
    state: DesiredState, live: LiveOrg, sources: Sequence[PrincipalSource] = DEFAULT_SOURCES
) -> list[Finding]:
    """One `posture` finding per failed enforced assertion and rule responsible."""
    report = posture_report(state, live, sources=sources)
    grouped: dict[tuple[str, str, str], list[PreflightFailure]] = {}
    for failure in report.blocking:
        key = (failure.check, failure.surface, failure.rule_id or failure.rule)
        grouped.setdefault(key, []).append(failure)
    return [_finding(failures) for failures in grouped.values()]


class EffectiveAccessCheck(PostureCheck):
    """The lockout preflight's assertions evaluated with the simulator on the live org, for
    every admin the principal sources name and every break-glass account."""

    name = "effective-access"

    def __init__(self, sources: Sequence[PrincipalSource] = DEFAULT_SOURCES) -> None:
        self.sources = tuple(sources)
        self.notes: list[str] = []

    def findings(self, state: DesiredState, live: LiveOrg) -> list[Finding]:
        self.notes = [
            f"effective access: {note}"
            for name, note in _unknown(state, live)
            if _optional_read(live, name)
        ]
        return unknown_members_findings(state, live) + posture_findings(state, live, self.sources)

    def report_notes(self) -> Sequence[str]:
        return tuple(self.notes)
