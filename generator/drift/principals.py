"""Who the effective-access posture evaluates, and why each of them is an admin.

The posture check (`generator.simulate.posture.EffectiveAccessCheck`) evaluates Okta's real
decision for real users: every group they belong to, so a policy for another of their groups or
for Everyone above ours counts. *Who* is evaluated, and *why they are an admin*, is a separate,
typed input: a `PrincipalSource` turns the live snapshot into `AdminPrincipal`s, each carrying
the `AdminGrant`s that make it an admin. `AdminGroupMembers` (the members of the config's admin
groups) is the one source today; others (admin-role holders however granted: direct, via a
group, a custom role) plug in beside it without changing the check.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from generator.model import DesiredState
from generator.okta.snapshot import JsonObject, LiveOrg

GrantKind = Literal["admin-group", "direct-role", "group-role", "custom-role"]


@dataclass(frozen=True)
class AdminGrant:
    """One reason a user is an admin."""

    kind: GrantKind
    via: str  # the group, or the role (and the group it is assigned through)

    def describe(self) -> str:
        if self.kind == "admin-group":
            return f"member of admin group '{self.via}'"
        return f"{self.kind.replace('-', ' ')} {self.via}"


@dataclass(frozen=True)
class OrgUser:
    """A live user with every group it belongs to (ids and names)."""

    user_id: str
    login: str
    group_ids: tuple[str, ...]
    group_names: tuple[str, ...]

    @classmethod
    def from_live(cls, user: JsonObject, groups: Sequence[JsonObject]) -> OrgUser:
        login = str((user.get("profile") or {}).get("login") or user.get("id"))
        return cls(
            user_id=str(user.get("id")),
            login=login,
            group_ids=tuple(str(g.get("id")) for g in groups),
            group_names=tuple(
                str((g.get("profile") or {}).get("name") or g.get("id")) for g in groups
            ),
        )


@dataclass(frozen=True)
class AdminPrincipal:
    user: OrgUser
    grants: tuple[AdminGrant, ...]

    @property
    def why(self) -> str:
        return "; ".join(grant.describe() for grant in self.grants)


def org_user(live: LiveOrg, user: JsonObject, *known_groups: str) -> OrgUser:
    """`user` with the groups the snapshot read for it; when they were not read, only the
    `known_groups` (names) it is known to be in."""
    groups = live.groups_of(str(user.get("id")))
    if groups is not None:
        return OrgUser.from_live(user, groups)
    ids = tuple(str(live.groups[name].get("id")) for name in known_groups if name in live.groups)
    found = OrgUser.from_live(user, ())
    return OrgUser(found.user_id, found.login, ids, tuple(known_groups))


class PrincipalSource(ABC):
    """Where admins come from (read from the live org)."""

    name: str

    @abstractmethod
    def admins(self, state: DesiredState, live: LiveOrg) -> Iterable[AdminPrincipal]:
        """Every admin this source knows, with why."""


class AdminGroupMembers(PrincipalSource):
    """The members of the config's admin groups (as the org lists them)."""

    name = "admin-group-members"

    def admins(self, state: DesiredState, live: LiveOrg) -> Iterable[AdminPrincipal]:
        for group in state.admin_groups:
            for member in live.group_members.get(group, ()):
                user = with_group(org_user(live, member, group), live, group)
                yield AdminPrincipal(user, (AdminGrant("admin-group", group),))


def with_group(user: OrgUser, live: LiveOrg, name: str) -> OrgUser:
    """`user` known to be a member of group `name`, that group among theirs even where their
    own group list lacks it (Okta's admins group, whose members are the role holders, may not
    show in a user's groups; a listing read moments apart may disagree)."""
    group_id = str((live.groups.get(name) or {}).get("id") or "")
    if not group_id or group_id in user.group_ids:
        return user
    return OrgUser(user.user_id, user.login, (*user.group_ids, group_id), (*user.group_names, name))


def collect_admins(
    sources: Iterable[PrincipalSource], state: DesiredState, live: LiveOrg
) -> tuple[AdminPrincipal, ...]:
    """Every admin once (by user id), with the grants of every source that names it."""
    merged: dict[str, AdminPrincipal] = {}
    for source in sources:
        for admin in source.admins(state, live):
            known = merged.get(admin.user.user_id)
            if known is None:
                merged[admin.user.user_id] = admin
            else:
                grants = tuple(dict.fromkeys(known.grants + admin.grants))
                merged[admin.user.user_id] = AdminPrincipal(known.user, grants)
    return tuple(sorted(merged.values(), key=lambda a: a.user.login.lower()))
