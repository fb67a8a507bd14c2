"""PRV-002: a user added to an admin group — admin privileges with no privilege event.

Joining a group that holds an admin role gives the user its role, and Okta logs only
`group.user_membership.add` (targets: the `User` and the `UserGroup`); `user.account.privilege.
grant` fires when a user's *own* roles change, `group.privilege.grant` when the group's do.
Public rule sets leave this event alone because it fires for every group (Elastic's maintainers
on detection-rules PR #1166; issue #1159 asking for it is still open); joined with the admin
groups it is precise. The admin groups (`generator/watch/admin_groups.py`): the config's
`okta.admin_groups` and Okta's built-in "Okta Administrators" by name, always; the groups that
hold an admin role, read from the org when watch may read roles (`okta.roles.read`), by id;
and the groups the log itself shows given a role (`group.privilege.grant`, a custom-role binding
to a group) or stripped of all of them (`group.privilege.revoke`, which Okta's catalogue says
means "the group has no more admin privileges"), remembered between runs.

Severity: critical when the group holds Super or Organization administrator, high otherwise,
medium when the actor is one of `watch.automation_actors` (an access-request or provisioning
flow that grants admin access on purpose). A refused change (outcome FAILURE) is still an
attempt. Okta's help: only super admins may change the membership of groups holding admin
roles (group membership admins cannot), and group rules cannot assign users to them: the actor
is a super admin, or someone holding a super admin's session or API token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.watch import event as ev
from generator.watch.admin_groups import TOP_ROLES
from generator.watch.detection import (
    Alert,
    CorrelationDetection,
    DetectionInfo,
    Severity,
    user_responses,
)

MEMBERSHIP_ADD = "group.user_membership.add"
GROUP_GRANTS = frozenset({"group.privilege.grant", "iam.resourceset.bindings.add"})
GROUP_REVOKE = "group.privilege.revoke"
LEARNED_DAYS = 90  # Okta keeps 90 days of System Log: older grants are the read's business
MAX_LEARNED = 10_000
DAY_MS = 86_400_000
TOP_LABELS = ("super administrator", "organization administrator", "super_admin", "org_admin")


@dataclass(frozen=True)
class Parameters:
    refresh_hours: int = 24  # how often the role-holding groups are read again (state file)
    scan_all_groups: bool = False  # read every group's roles, not only the holders' groups


@dataclass
class Learned:
    """What the log said about a group's roles, and when."""

    published_ms: int
    holds: bool
    privileges: str  # `privilegeGranted` of the grant ("" when unknown or revoked)


class AdminGroupJoined(CorrelationDetection):
    info = DetectionInfo(
        id="PRV-002",
        category="privilege_granted",
        title="User added to an admin group",
        severity="high",
        proves="A user was added to a group whose members are Okta admins (a group holding an "
        "admin role, one of okta.admin_groups, or Okta Administrators): they now hold its admin "
        "privileges, and Okta logs no privilege event for them.",
        false_positives=(
            "Onboarding an admin through their group (the usual way; check the change ticket).",
            "Access-request or provisioning flows that add admins to a group for a while "
            "(list their identity in watch.automation_actors: medium).",
            "Okta adding a newly granted admin to Okta Administrators itself: the grant's "
            "PRV-001 alert comes with it.",
        ),
        event_types=frozenset({MEMBERSHIP_ADD, *GROUP_GRANTS, GROUP_REVOKE}),
        references=(
            "Okta event types: group.user_membership.add, group.privilege.grant, "
            "group.privilege.revoke",
            "Elastic detection-rules issue #1159 / PR #1166 (group.user_membership.add alone "
            "fires for every group)",
            "Panther Okta.Group.AdminRoleAssigned (high); Datadog Okta administrator role "
            "assigned to group (review the group's members)",
        ),
    )
    Parameters = Parameters

    def __init__(self, context: Any, parameters: Any = None) -> None:
        super().__init__(context, parameters)
        self.learned: dict[str, Learned] = {}  # group id -> what the log said last

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        event_type = event.get("eventType")
        if event_type == MEMBERSHIP_ADD:
            return self._joined(event)
        if ev.result(event) != "FAILURE":  # a refused grant changed nothing
            self._learn(event, event_type == GROUP_REVOKE)
        return ()

    # ---- learning from grants and revocations ---------------------------------------------------

    def _learn(self, event: ev.LogEvent, revoked: bool) -> None:
        moment = ev.published_ms(event) or 0
        privileges = "" if revoked else str(ev.debug_data(event).get("privilegeGranted") or "")
        for group in ev.targets_of_type(event, "UserGroup"):
            group_id = str(group.get("id") or "")
            known = self.learned.get(group_id)
            if not group_id or (known is not None and known.published_ms > moment):
                continue  # polling may deliver an older event after a newer one
            self.learned[group_id] = Learned(moment, not revoked, privileges)
        if len(self.learned) > MAX_LEARNED:
            oldest = sorted(self.learned, key=lambda g: self.learned[g].published_ms)
            for group_id in oldest[: len(self.learned) - MAX_LEARNED]:
                del self.learned[group_id]

    # ---- the join ------------------------------------------------------------------------------

    def _why(self, group: Mapping[str, Any]) -> tuple[list[str], bool]:
        """Why the group is an admin group (empty: it is not) and whether it grants a top
        role (Super or Organization administrator)."""
        admin = self.context.admin_groups
        group_id, name = str(group.get("id") or ""), ev.name_of(group)
        reasons: list[str] = []
        top = False
        configured = admin.named(name)
        if configured is not None:
            reasons.append(f"'{configured}' is an admin group of the config or Okta's")
        learned = self.learned.get(group_id)
        held = admin.held_roles(group_id)
        if learned is not None:
            if learned.holds:
                what = learned.privileges or "an admin role"
                reasons.append(f"it was given {what} (seen in the log)")
                top = any(label in learned.privileges.lower() for label in TOP_LABELS)
        elif held is not None:
            reasons.append(f"it holds {', '.join(held) or 'an admin role'}")
            top = bool(TOP_ROLES & set(held))
        return reasons, top

    def _joined(self, event: ev.LogEvent) -> Sequence[Alert]:
        users = ev.targets_of_type(event, "User")
        user = ev.name_of(users[0]) if users else "a user"
        actor = ev.actor(event)
        by = ev.name_of(actor) or "unknown"
        automated = self.context.automated(event)
        attempted = " (attempt: outcome FAILURE)" if ev.result(event) == "FAILURE" else ""
        found: list[Alert] = []
        for group in ev.targets_of_type(event, "UserGroup"):
            reasons, top = self._why(group)
            if not reasons:
                continue
            name = ev.name_of(group) or str(group.get("id") or "?")
            severity: Severity = "critical" if top else "high"
            if automated:
                severity = "medium"
            found.append(
                self.alert(
                    event,
                    f"{user} added to admin group {name}",
                    f"{by} added {user} to '{name}': {'; '.join(reasons)}. {user} now holds the "
                    f"group's admin privileges; Okta logs no privilege event for it{attempted}.",
                    keys=(ev.text(event, "uuid"), str(group.get("id") or name)),
                    severity=severity,
                    evidence=(
                        ("group", name),
                        ("why", "; ".join(reasons)),
                        ("role_groups", self._coverage()),
                        ("by", by),
                        ("automation", str(automated).lower()),
                    ),
                    responses=user_responses(users[0] if users else None),
                )
            )
        return found

    def _coverage(self) -> str:
        roles = self.context.admin_groups.roles
        if roles.read:
            return f"read {roles.read_at} ({len(roles.groups)} role-holding group(s), {roles.how})"
        return f"not read ({roles.problem or 'no credentials'}): named groups and the log only"

    # ---- state ---------------------------------------------------------------------------------

    def export_state(self) -> Any:
        return {g: [e.published_ms, e.holds, e.privileges] for g, e in self.learned.items()}

    def import_state(self, data: Any) -> None:
        """The grants and revocations of earlier runs, except those a newer read of the
        role-holding groups already reflects."""
        if not isinstance(data, dict):
            return
        read_ms = self.context.admin_groups.roles.read_at_ms
        for group_id, entry in data.items():
            if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], int)):
                continue
            if read_ms is not None and self.context.admin_groups.roles.read and entry[0] < read_ms:
                continue
            self.learned[str(group_id)] = Learned(entry[0], bool(entry[1]), str(entry[2]))

    def expire(self, now_ms: int) -> None:
        horizon = now_ms - LEARNED_DAYS * DAY_MS
        for group_id in [g for g, e in self.learned.items() if e.published_ms < horizon]:
            del self.learned[group_id]
