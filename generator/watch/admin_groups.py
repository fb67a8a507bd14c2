"""The groups whose members are Okta admins, and the break-glass accounts, as `watch` knows them.

Values only (the read is `generator/watch/role_groups.py`). A user gains admin privileges by
joining a group that holds an admin role, and Okta then logs only `group.user_membership.add`:
no privilege event names the user (Okta's event catalogue: `user.account.privilege.grant`
lists a user's privileges when *their* roles change; the group's were granted before). The
admin groups are therefore:

- always: the config's `okta.admin_groups` (the groups the policy confines as admins) and
  Okta's built-in "Okta Administrators";
- with `okta.roles.read`: every group holding an admin role, read from the org (the groups
  through which the role holders hold their roles, `RoleGroups`), cached in the state file;
- learned from the log itself: a group given a role (`group.privilege.grant`, a custom-role
  binding) or stripped of every role (`group.privilege.revoke`) while watch reads.

Groups are named in LogEvent targets by `displayName` (a `UserGroup` target's `alternateId` is
"unknown"), so the config's groups are matched by name, case-insensitively, and the read
groups by id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

BUILT_IN_ADMINS = "Okta Administrators"  # Okta's own group of every administrator (BUILT_IN)
TOP_ROLES = frozenset({"SUPER_ADMIN", "ORG_ADMIN"})


def folded(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class RoleGroups:
    """The groups holding an admin role, read from the org at `read_at`, or why they were not.

    `how`: "holders" (the groups the role holders hold their roles through: one request for
    the holder list and one per holder) or "all groups" (every group's roles: one request per
    group). `groups`: group id -> the role types it holds.
    """

    read_at: str | None = None  # ISO 8601 UTC
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    holders: int = 0
    how: str = ""
    problem: str | None = None  # why they could not be read (then `groups` is empty)

    @property
    def read(self) -> bool:
        return self.read_at is not None and self.problem is None

    @property
    def read_at_ms(self) -> int | None:
        if self.read_at is None:
            return None
        moment = datetime.fromisoformat(self.read_at.replace("Z", "+00:00"))
        return int(moment.timestamp() * 1000)

    def to_json(self) -> dict[str, Any]:
        return {
            "read_at": self.read_at,
            "groups": {g: list(roles) for g, roles in sorted(self.groups.items())},
            "holders": self.holders,
            "how": self.how,
            "problem": self.problem,
        }

    @classmethod
    def from_json(cls, data: Any) -> RoleGroups | None:
        """What `to_json` wrote (None when unreadable: the groups are read again)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("read_at"), str):
            return None
        groups = data.get("groups")
        problem = data.get("problem")
        try:
            datetime.fromisoformat(str(data["read_at"]).replace("Z", "+00:00"))
        except ValueError:
            return None
        return cls(
            read_at=str(data["read_at"]),
            groups={
                str(g): tuple(str(r) for r in roles)
                for g, roles in (groups.items() if isinstance(groups, Mapping) else ())
                if isinstance(roles, list)
            },
            holders=int(data.get("holders") or 0),
            how=str(data.get("how") or ""),
            problem=str(problem) if problem else None,
        )


@dataclass(frozen=True)
class AdminGroups:
    """The admin groups: named ones (the config's and Okta Administrators) and read ones."""

    names: tuple[str, ...] = (BUILT_IN_ADMINS,)
    roles: RoleGroups = field(default_factory=RoleGroups)

    @classmethod
    def of(cls, config_groups: tuple[str, ...], roles: RoleGroups | None = None) -> AdminGroups:
        names = tuple(dict.fromkeys((*config_groups, BUILT_IN_ADMINS)))
        return cls(names, roles or RoleGroups())

    def named(self, name: str) -> str | None:
        """The configured name `name` matches (case and spacing ignored), if any."""
        wanted = folded(name)
        return next((n for n in self.names if folded(n) == wanted), None) if wanted else None

    def held_roles(self, group_id: str) -> tuple[str, ...] | None:
        """The roles the read says the group holds (None: not a role-holding group)."""
        return self.roles.groups.get(group_id)


@dataclass(frozen=True)
class BreakGlass:
    """The config's break-glass accounts (`okta.break_glass`): logins and the group name."""

    users: tuple[str, ...] = ()
    group: str | None = None

    def is_user(self, login: str) -> bool:
        return bool(login) and folded(login) in {folded(u) for u in self.users}

    def is_group(self, name: str) -> bool:
        return bool(self.group) and bool(name) and folded(name) == folded(self.group or "")
