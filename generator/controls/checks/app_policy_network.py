"""app-policy-network (STIG V-279693): every active rule (other than the Catch-all) of the
protected apps' authentication policies has a network-zone condition."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Evidence, Stig
from generator.controls.checks.common import active_rules, dig, per_protected_app
from generator.controls.context import ControlContext
from generator.okta.snapshot import LiveApp

STIG_V279693 = Stig("V-279693", "OKTA-APP-003244")


class AppPolicyNetwork(ControlCheck):
    check_id = "app-policy-network"
    title = "Every rule of the protected apps' authentication policies names network zones"
    severity = "medium"
    stig = (STIG_V279693,)
    fix = (
        "Security > Authentication Policies > the app's policy: give each rule a network "
        "condition (In zone / Not in zone), or deactivate it."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        return self.result(per_protected_app(context, _zoned_rules))


def _zoned_rules(app: LiveApp) -> list[Evidence]:
    evidence = []
    for rule in active_rules(app.rules):
        if rule.get("system"):
            continue
        subject = f"rule {str(rule.get('name'))!r} of {app.label!r}"
        network = dig(rule, "conditions", "network") or {}
        zoned = network.get("connection") == "ZONE" and bool(
            network.get("include") or network.get("exclude")
        )
        detail = "names network zones" if zoned else "applies from any network (no zone)"
        evidence.append(Evidence(subject, "pass" if zoned else "fail", detail, str(rule.get("id"))))
    return evidence
