"""Admin-role holders outside the admin groups as principals of the effective-access posture
check (`generator.simulate.posture.EffectiveAccessCheck`): every one is evaluated with every
group it belongs to, so what Okta really lets them do from outside the trusted egress is a
finding naming them and how their role was granted.

Read by drift only (`LiveOrg.admin_roles`, with each holder's groups in `LiveOrg.user_groups`):
elsewhere (the gated apply's preflight) this source names nobody.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.drift.principals import AdminGrant, AdminPrincipal, OrgUser, PrincipalSource
from generator.model import DesiredState
from generator.okta.roles import AdminRoles, RoleGrant
from generator.okta.snapshot import LiveOrg


def admin_grant(roles: AdminRoles, grant: RoleGrant) -> AdminGrant:
    """A role assignment as a reason to be an admin (`direct role SUPER_ADMIN`, ...)."""
    if grant.kind == "direct-role":
        return AdminGrant("direct-role", grant.role_type)
    if grant.kind == "group-role":
        return AdminGrant("group-role", f"{grant.role_type} {roles.how(grant)}")
    return AdminGrant("custom-role", f"'{roles.name(grant.custom_role)}' {roles.how(grant)}")


class AdminRoleHolders(PrincipalSource):
    """Every admin-role holder the org lists outside the admin groups, however granted."""

    name = "admin-role-holders"

    def admins(self, state: DesiredState, live: LiveOrg) -> Iterable[AdminPrincipal]:
        roles = live.admin_roles
        if roles is None or not roles.readable:
            return
        for holder in roles.holders:
            grants = tuple(admin_grant(roles, g) for g in holder.grants if g.active)
            if not grants:
                continue
            groups = live.groups_of(holder.user_id) or ()
            user = OrgUser(
                user_id=holder.user_id,
                login=holder.login,
                group_ids=tuple(str(g.get("id")) for g in groups),
                group_names=tuple(
                    str((g.get("profile") or {}).get("name") or g.get("id")) for g in groups
                ),
            )
            yield AdminPrincipal(user, tuple(dict.fromkeys(grants)))
