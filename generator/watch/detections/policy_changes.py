"""POL-001: sign-on policies, their rules or network zones changed, deactivated or deleted.

These are the objects egress-guard manages: a change made outside Terraform weakens the egress
controls until the next apply (or for good, when it is a new "allow anywhere" rule above ours).
Exact event types only: `policy.evaluate_sign_on` and other `policy.*` evaluation events are
not changes. Severity: high when the object is one of ours (its name starts with the config's
`output.name_prefix`) or the change removes a control (delete, deactivate, blocklist removal),
medium otherwise, info when the actor is one of `watch.automation_actors` (the Terraform apply
identity: an expected change). `egress-guard drift` shows what differs now.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, Severity, user_responses

POLICY_EVENTS = frozenset(
    {
        "policy.lifecycle.create",
        "policy.lifecycle.update",
        "policy.lifecycle.delete",
        "policy.lifecycle.activate",
        "policy.lifecycle.deactivate",
        "policy.lifecycle.overwrite",
        "policy.rule.add",
        "policy.rule.update",
        "policy.rule.delete",
        "policy.rule.activate",
        "policy.rule.deactivate",
        "policy.rule.invalidate",
        "application.policy.sign_on.update",
        "application.policy.sign_on.rule.create",
        "application.policy.sign_on.rule.delete",
    }
)
ZONE_EVENTS = frozenset(
    {
        "zone.create",
        "zone.update",
        "zone.delete",
        "zone.activate",
        "zone.deactivate",
        "zone.make_blacklist",
        "zone.remove_blacklist",
        "network_zone.rule.disabled",
        "security.zone.make_blacklist",
        "security.zone.remove_blacklist",
    }
)
REMOVING = ("delete", "deactivate", "remove_blacklist", "disabled", "invalidate")


class PolicyOrZoneChanged(Detection):
    info = DetectionInfo(
        id="POL-001",
        category="policy_or_zone_changed",
        title="Sign-on policy, rule or network zone changed",
        severity="medium",
        proves="A policy, policy rule or network zone was created, changed, deactivated or "
        "deleted; for egress-guard's own objects, outside Terraform unless the actor is the "
        "apply identity.",
        false_positives=(
            "Terraform applies by egress-guard (list the apply identity in "
            "watch.automation_actors) and reviewed changes by admins.",
            "Okta creating or updating system objects during a release.",
        ),
        event_types=POLICY_EVENTS | ZONE_EVENTS,
        references=(
            "Sigma okta_policy_modified_or_deleted, okta_policy_rule_modified_or_deleted, "
            "okta_network_zone_deactivated_or_deleted",
            "Elastic defense_evasion_okta_attempt_to_modify_okta_network_zone",
        ),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        event_type = str(event.get("eventType"))
        names = [str(t.get("displayName") or t.get("alternateId") or "") for t in ev.targets(event)]
        prefix = self.context.name_prefix
        ours = bool(prefix) and any(n.startswith(prefix) for n in names)
        actor = ev.actor(event)
        automated = self.context.automated(event)
        severity: Severity = "medium"
        if automated:
            severity = "info"
        elif ours or event_type.endswith(REMOVING):
            severity = "high"
        who = ev.actor_name(event)
        what = ", ".join(n for n in names if n) or "an object"
        note = " (egress-guard manages it: run `egress-guard drift`)" if ours else ""
        return (
            self.alert(
                event,
                f"{event_type}: {what}",
                f"{who} made {event_type} on {what}{note}.",
                severity=severity,
                evidence=(
                    ("event_type", event_type),
                    ("managed", str(ours).lower()),
                    ("automation", str(automated).lower()),
                    ("by", who),
                ),
                responses=() if automated else user_responses(actor),
            ),
        )
