"""Posture: the Okta Admin Console's authentication policy is its own.

An authentication policy can be assigned to several apps, and our Admin Console rules then
apply to all of them: with the rules covering every user (the default), every user of those
apps would be confined to the trusted egress too. The finding names the apps and the fixes: a
dedicated policy for the Admin Console (`okta.admin_console.dedicated_policy`), another policy for
those apps, or rules for the admin groups only.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.drift.findings import Finding, Severity
from generator.drift.posture import PostureCheck
from generator.model import DesiredState
from generator.okta.snapshot import JsonObject, LiveOrg

CHECK = "admin-console-policy-shared"
SHOWN = 10


def app_labels(apps: Sequence[JsonObject]) -> str:
    labels = sorted(str(app.get("label") or app.get("id")) for app in apps)
    text = ", ".join(f"'{label}'" for label in labels[:SHOWN])
    return text + (f" (+{len(labels) - SHOWN} more)" if len(labels) > SHOWN else "")


def sharing_message(state: DesiredState, policy_id: str, apps: Sequence[JsonObject]) -> str:
    """What sharing the Admin Console's policy means under this config, and the fix."""
    console = next((a for a in state.app_policies if a.key == "admin_console"), None)
    everyone = console is not None and console.everyone
    who = (
        "every user of those apps (the rules cover every user but break-glass)"
        if everyone
        else "the admin groups' members on those apps too"
    )
    return (
        f"the Okta Admin Console's authentication policy ({policy_id}) is also assigned to "
        f"{app_labels(apps)}: our Admin Console rules restrict {who} to the trusted egress. "
        "Fix: give the Admin Console its own policy (okta.admin_console.dedicated_policy: true; "
        "see docs/terraform.md), or assign those apps another authentication policy"
        + ("" if not everyone else ", or set okta.admin_console.applies_to: admin_groups")
    )


def console_sharing_findings(state: DesiredState, live: LiveOrg) -> list[Finding]:
    console = live.app("admin_console")
    if console is None or not console.shared_with or console.policy_id is None:
        return []
    desired = next((a for a in state.app_policies if a.key == "admin_console"), None)
    severity: Severity = "high" if desired is not None and desired.everyone else "medium"
    return [
        Finding(
            finding_class="posture",
            severity=severity,
            kind="app",
            name=console.label,
            message=sharing_message(state, console.policy_id, console.shared_with),
            object_id=console.policy_id,
            check=CHECK,
        )
    ]


class ConsolePolicySharingCheck(PostureCheck):
    """The Admin Console's authentication policy is assigned to no other app."""

    name = CHECK

    def findings(self, state: DesiredState, live: LiveOrg) -> list[Finding]:
        return console_sharing_findings(state, live)
