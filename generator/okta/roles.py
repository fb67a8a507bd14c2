"""Admin roles as read from the org: who holds one, which, and how it was granted.

Values only (the reader is `generator.okta.role_reads`). Okta facts relied on (Okta's spec
`management-minimal.yaml`, listAssignedRolesForUser and its example
StandardAndCustomRolesListResponse; research notes okta-api.md §A):

- a user's role list includes the roles of their groups: `assignmentType: GROUP`, the group in
  `_links.assignee.href`; a custom role (type CUSTOM) names its `role` and `resource-set`, and is
  a membership of that binding (through a group when `assignmentType` is GROUP);
- assignment ids repeat across assignees (a standard role's id is the base32 of its type), so
  an assignment is identified by (assignee, id), never by id alone;
- labels differ between the API and the docs ("Super Administrator" vs "Super administrator"):
  roles are told apart by `type`, never by `label`; unknown types are still admin roles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

AssignmentType = Literal["USER", "GROUP", "CLIENT"]
GrantKind = Literal["direct-role", "group-role", "custom-role"]
_ASSIGNMENT_TYPES: dict[str, AssignmentType] = {
    "USER": "USER",
    "GROUP": "GROUP",
    "CLIENT": "CLIENT",
}


def _last_segment(href: Any) -> str | None:
    text = str(href or "").split("?", 1)[0].rstrip("/")
    return text.rsplit("/", 1)[-1] if text else None


@dataclass(frozen=True)
class RoleGrant:
    """One role assignment a principal holds, as its role list shows it."""

    role_type: str  # SUPER_ADMIN, ORG_ADMIN, ..., CUSTOM
    label: str  # as Okta shows it (for people, never for logic)
    assignment_id: str
    assignment_type: AssignmentType
    group_id: str | None = None  # GROUP: the group it is assigned to
    custom_role: str | None = None  # CUSTOM: the custom role's id (cr0...)
    resource_set: str | None = None  # CUSTOM: the resource set's id (iam...)
    status: str = "ACTIVE"

    @property
    def kind(self) -> GrantKind:
        if self.role_type == "CUSTOM":
            return "custom-role"
        return "group-role" if self.assignment_type == "GROUP" else "direct-role"

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"

    @classmethod
    def from_json(cls, role: Mapping[str, Any]) -> RoleGrant:
        links = role.get("_links") or {}
        kind = _ASSIGNMENT_TYPES.get(str(role.get("assignmentType")), "USER")
        href = (links.get("assignee") or {}).get("href")
        group = _last_segment(href) if kind == "GROUP" else None
        return cls(
            role_type=str(role.get("type") or "UNKNOWN"),
            label=str(role.get("label") or role.get("type") or "?"),
            assignment_id=str(role.get("id")),
            assignment_type=kind,
            group_id=group,
            custom_role=str(role["role"]) if role.get("role") else None,
            resource_set=str(role["resource-set"]) if role.get("resource-set") else None,
            status=str(role.get("status") or "ACTIVE"),
        )


@dataclass(frozen=True)
class RoleHolder:
    """A user holding at least one admin role."""

    user_id: str
    login: str
    status: str  # the user's status (ACTIVE, SUSPENDED, ...)
    grants: tuple[RoleGrant, ...]


@dataclass(frozen=True)
class ServiceAppRoles:
    """An OAuth service app holding admin roles (assignmentType CLIENT): its tokens are never
    subject to sign-on or authentication policies."""

    app_id: str
    label: str
    grants: tuple[RoleGrant, ...]


@dataclass(frozen=True)
class AdminRoles:
    """Every admin-role holder of the org, as far as drift needs them.

    `holder_ids`: every user the org lists as holding a role (however granted). `holders`: the
    ones whose grants were read: every holder not already known to be an admin-group member or
    a break-glass account (those are covered whatever their roles). `names` resolves the group,
    custom role and resource set ids the grants name.
    """

    holder_ids: tuple[str, ...] = ()
    holders: tuple[RoleHolder, ...] = ()
    service_apps: tuple[ServiceAppRoles, ...] = ()
    names: Mapping[str, str] | None = None  # group / custom role / resource set id -> name
    notes: tuple[str, ...] = ()  # how the read went (self-check, fallbacks)
    problem: str | None = None  # why the roles could not be read (then nothing else is set)

    @property
    def readable(self) -> bool:
        return self.problem is None

    def name(self, object_id: str | None) -> str:
        if object_id is None:
            return "?"
        return (self.names or {}).get(object_id, object_id)

    def holder(self, user_id: str) -> RoleHolder | None:
        return next((h for h in self.holders if h.user_id == user_id), None)

    def how(self, grant: RoleGrant) -> str:
        """How `grant` was granted, in the words reports use: direct, via group X, via
        binding Y (a custom role on a resource set, to the user or through group X)."""
        if grant.kind == "direct-role":
            return "direct"
        if grant.kind == "group-role":
            return f"via group '{self.name(grant.group_id)}'"
        binding = (
            f"via binding '{self.name(grant.custom_role)}' on resource set "
            f"'{self.name(grant.resource_set)}'"
        )
        if grant.assignment_type == "GROUP":
            return f"{binding} through group '{self.name(grant.group_id)}'"
        return f"{binding} (direct)"

    def role(self, grant: RoleGrant) -> str:
        """The role in the words reports use: its type (and the custom role's label)."""
        if grant.role_type == "CUSTOM":
            return f"custom role '{self.name(grant.custom_role)}'"
        return grant.role_type
