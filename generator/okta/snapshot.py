"""`LiveOrg`: a frozen snapshot of the parts of a live Okta org that egress-guard manages or
depends on, as the raw JSON the Management API returned (nothing defaulted or re-shaped).

Consumers (drift, the simulator's posture checks) must treat the JSON objects as read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.controls.reads import ControlData

from generator.okta.roles import AdminRoles

JsonObject = Mapping[str, Any]


def frozen_map(items: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(items))


def included_groups(policy: JsonObject) -> tuple[str, ...]:
    """The group ids a policy's people condition includes; empty: no group condition, so the
    policy applies to everyone (as Okta, and the simulator, evaluate it)."""
    groups = ((policy.get("conditions") or {}).get("people") or {}).get("groups") or {}
    return tuple(str(g) for g in groups.get("include") or ())


@dataclass(frozen=True)
class LiveApp:
    """A protected app (Admin Console or an extra app by label) and its authentication policy."""

    key: str  # the model's AppPolicyRules.key
    label: str
    app: JsonObject | None  # None: no such (active) app
    policy_id: str | None  # from `_links.accessPolicy.href`
    rules: tuple[JsonObject, ...] = ()  # the policy's rules, by priority
    # Other apps the same authentication policy is assigned to (None: not read).
    shared_with: tuple[JsonObject, ...] | None = None
    policy: JsonObject | None = None  # the policy itself (read when it should be our own)


@dataclass(frozen=True)
class LiveOrg:
    org_url: str
    zones: tuple[JsonObject, ...]
    sign_on_policies: tuple[JsonObject, ...]  # every OKTA_SIGN_ON policy, by priority
    # Rules of the relevant sign-on policies (ours and those that can apply to admins or
    # break-glass users), by policy id; a policy absent here had its rules not read.
    sign_on_rules: Mapping[str, tuple[JsonObject, ...]]
    apps: tuple[LiveApp, ...]
    groups: Mapping[str, JsonObject]  # by exact name; only groups that exist
    users: Mapping[str, JsonObject]  # by login (case-insensitive match, keyed as configured)
    # By group name: the groups whose members were read (Okta's built-in admins group: every
    # admin-role holder, `generator.okta.members`).
    group_members: Mapping[str, tuple[JsonObject, ...]]
    read_at: str = ""  # ISO 8601 UTC
    # Other users that rules of the read policies name (to show logins instead of ids).
    referenced_users: tuple[JsonObject, ...] = ()
    # The reads of Okta's own controls (API tokens, ThreatInsight, ...); None: not read.
    controls: ControlData | None = None
    # Every group of every principal of the posture check (admin-group and break-glass-group
    # members, break-glass users, admin-role holders outside them), by user id: what Okta
    # matches policies against.
    user_groups: Mapping[str, tuple[JsonObject, ...]] = field(default_factory=dict)
    # Every admin-role holder, however granted (None: not read; drift reads them).
    admin_roles: AdminRoles | None = None
    # Groups whose members were wanted but are not known, by name: why (Okta refused the
    # listing, or the admin-role holders that make up its admins group could not be read).
    # Such a group is absent from `group_members`: it is never taken for an empty one.
    unknown_members: Mapping[str, str] = field(default_factory=dict)
    _index: dict[str, dict[str, str]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._index["zone"] = {str(z.get("id")): str(z.get("name")) for z in self.zones}
        groups = {
            str(g.get("id")): str((g.get("profile") or {}).get("name") or g.get("id"))
            for found in self.user_groups.values()
            for g in found
        }
        groups.update({str(g.get("id")): name for name, g in self.groups.items()})
        self._index["group"] = groups
        users = {str(u.get("id")): login for login, u in self.users.items()}
        for members in (*self.group_members.values(), self.referenced_users):
            for member in members:
                login = (member.get("profile") or {}).get("login")
                users.setdefault(str(member.get("id")), str(login or member.get("id")))
        self._index["user"] = users

    def zone_named(self, name: str) -> JsonObject | None:
        return next((z for z in self.zones if z.get("name") == name), None)

    def zone_by_id(self, zone_id: str) -> JsonObject | None:
        return next((z for z in self.zones if z.get("id") == zone_id), None)

    def policy_named(self, name: str) -> JsonObject | None:
        return next((p for p in self.sign_on_policies if p.get("name") == name), None)

    def app(self, key: str) -> LiveApp | None:
        return next((a for a in self.apps if a.key == key), None)

    def display_name(self, kind: str, object_id: str) -> str:
        """The name (zone, group) or login (user) behind an id, else the id itself."""
        return self._index.get(kind, {}).get(object_id, object_id)

    def groups_of(self, user_id: str) -> tuple[JsonObject, ...] | None:
        """Every group the user belongs to; None when they were not read."""
        return self.user_groups.get(user_id)

    def member_ids(self, group_name: str) -> tuple[str, ...]:
        return tuple(str(m.get("id")) for m in self.group_members.get(group_name, ()))
