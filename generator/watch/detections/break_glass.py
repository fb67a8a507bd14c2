"""BRK-001: who the break-glass exemption covers changed through a group membership.

The generated rules exempt the break-glass accounts from the egress deny rules by login
(`okta.break_glass.users`, the rules' `users_excluded`) and by group (`okta.break_glass.group`,
`groups_excluded`). A membership change of that group changes who the rules exempt without
touching a policy, so POL-001 cannot see it:

- a user **added** to the break-glass group can reach the Admin Console from anywhere: the
  egress control no longer applies to them (an attacker's way around it);
- a user **removed** from it is confined again: when the trusted egress is lost (a proxy
  outage, a rotated range) the emergency account is locked out with everyone else, and removing
  the responders' emergency access is a step Okta's own detection content anticipates
  ("revoke all other super administrator privileges to prevent response actions");
- a break-glass account (by login) **removed** from an admin group may lose the admin role it
  needs in an emergency.

Category `policy_or_zone_changed` (the exemption is part of egress-guard's policy); `egress-guard
drift` shows the rules and the group as they are now. Severity high; medium when the removed
user stays exempt by login; info when the actor is one of `watch.automation_actors`. Nothing
is matched unless the config names break-glass accounts (it must: the config requires one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, Severity, user_responses

ADD, REMOVE = "group.user_membership.add", "group.user_membership.remove"


class BreakGlassMembership(Detection):
    info = DetectionInfo(
        id="BRK-001",
        category="policy_or_zone_changed",
        title="Break-glass exemption changed by a group membership",
        severity="high",
        proves="A user joined or left the config's break-glass group (who the egress deny "
        "rules exempt changed), or a break-glass account left an admin group: a way around "
        "the egress controls, or a lockout in waiting.",
        false_positives=(
            "Rotating the break-glass accounts (expected: matched with the change ticket).",
            "Terraform managing the break-glass group's members (list the apply identity in "
            "watch.automation_actors: info).",
        ),
        event_types=frozenset({ADD, REMOVE}),
        references=(
            "Okta event types: group.user_membership.add, group.user_membership.remove",
            "Okta customer-detections new_super_admin_added_or_removed (removing other admins "
            "to prevent response)",
        ),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        bg = self.context.break_glass
        if not (bg.users or bg.group):
            return ()
        added = event.get("eventType") == ADD
        users = ev.targets_of_type(event, "User")
        login = ev.name_of(users[0]) if users else ""
        found: list[Alert] = []
        for group in ev.targets_of_type(event, "UserGroup"):
            name = ev.name_of(group)
            if bg.is_group(name):
                found.append(self._exemption(event, name, login, added, users))
            elif not added and bg.is_user(login) and self._admin_group(group):
                found.append(
                    self._raise(
                        event,
                        f"Break-glass account {login} removed from admin group {name}",
                        f"{login} (okta.break_glass.users) was removed from '{name}', an admin "
                        "group: it may no longer hold the admin role an emergency needs.",
                        "high",
                        (("group", name), ("change", "removed from an admin group")),
                        (),
                    )
                )
        return found

    def _admin_group(self, group: Mapping[str, Any]) -> bool:
        admin = self.context.admin_groups
        group_id = str(group.get("id") or "")
        return admin.named(ev.name_of(group)) is not None or admin.held_roles(group_id) is not None

    def _exemption(
        self,
        event: ev.LogEvent,
        group: str,
        login: str,
        added: bool,
        users: Sequence[Mapping[str, Any]],
    ) -> Alert:
        user = login or "a user"
        if added:
            return self._raise(
                event,
                f"{user} added to the break-glass group {group}",
                f"{user} was added to '{group}' (okta.break_glass.group): the egress deny rules "
                "exempt them now, so they reach the Admin Console from any network.",
                "high",
                (("group", group), ("change", "exempt from the egress deny rules")),
                user_responses(users[0] if users else None),
            )
        by_login = self.context.break_glass.is_user(login)
        still = (
            " They stay exempt by login (okta.break_glass.users)."
            if by_login
            else " If the trusted egress is lost, they are locked out with everyone else."
        )
        return self._raise(
            event,
            f"{user} removed from the break-glass group {group}",
            f"{user} was removed from '{group}' (okta.break_glass.group): the egress deny rules "
            f"no longer exempt them through the group.{still}",
            "medium" if by_login else "high",
            (("group", group), ("change", "no longer exempt through the group")),
            (),
        )

    def _raise(
        self,
        event: ev.LogEvent,
        title: str,
        summary: str,
        severity: Severity,
        evidence: tuple[tuple[str, str], ...],
        responses: Any,
    ) -> Alert:
        automated = self.context.automated(event)
        by = ev.name_of(ev.actor(event)) or "unknown"
        attempted = " (attempt: outcome FAILURE)" if ev.result(event) == "FAILURE" else ""
        return self.alert(
            event,
            title,
            f"{by}: {summary}{attempted}",
            severity="info" if automated else severity,
            evidence=(*evidence, ("by", by), ("automation", str(automated).lower())),
            responses=() if automated else responses,
        )
