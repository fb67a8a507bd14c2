"""PRV-001: admin privileges granted to a user, group or service app.

`user.account.privilege.grant` lists in `debugData.privilegeGranted` every admin privilege the
user now holds (Okta's catalogue: direct and group-derived), `group.privilege.grant` a group's;
`iam.resourceset.bindings.add` is a custom-role assignment, `app.oauth2.client.privilege.grant`
a role given to an OAuth service app. Granting Super or Organization administrator is the
attacker's persistence step of choice; any grant is worth a look. The outcome is not required
(a refused grant is still an attempt).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, user_responses

GRANT_EVENTS = frozenset(
    {
        "user.account.privilege.grant",
        "group.privilege.grant",
        "iam.resourceset.bindings.add",
        "app.oauth2.client.privilege.grant",
    }
)
TOP_ROLES = ("super administrator", "organization administrator", "super_admin", "org_admin")


class PrivilegeGranted(Detection):
    info = DetectionInfo(
        id="PRV-001",
        category="privilege_granted",
        title="Admin privileges granted",
        severity="medium",
        proves="A user, group or service app was given an Okta admin role.",
        false_positives=(
            "Onboarding an admin; the event also fires when a user's list of privileges "
            "changes for any reason (it lists the current privileges).",
            "Roles given to service apps by Terraform (list its identity in "
            "watch.automation_actors).",
        ),
        event_types=GRANT_EVENTS,
        references=(
            "Sigma okta_admin_role_assigned_to_user_or_group",
            "Panther Okta.AdminRoleAssigned, Okta.Group.AdminRoleAssigned",
        ),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        granted = str(ev.debug_data(event).get("privilegeGranted") or "")
        top = any(role in granted.lower() for role in TOP_ROLES)
        subjects = ev.targets(event)
        subject = subjects[0] if subjects else {}
        name = ev.name_of(subject) or "?"
        by = ev.actor_name(event)
        outcome = ev.result(event)
        attempted = " (attempt: outcome FAILURE)" if outcome == "FAILURE" else ""
        users = ev.targets_of_type(event, "User")
        return (
            self.alert(
                event,
                f"Admin privileges granted to {name}",
                f"{by} granted {granted or 'admin privileges'} to {name} "
                f"({event.get('eventType')}){attempted}.",
                severity="high" if top else "medium",
                evidence=(
                    ("privileges", granted),
                    ("by", by),
                    ("event_type", str(event.get("eventType"))),
                ),
                responses=user_responses(users[0] if users else None),
            ),
        )
