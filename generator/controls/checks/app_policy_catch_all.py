"""app-policy-catch-all (STIG V-279693): the Catch-all Rule of the Admin Console's (and every
protected app's) authentication policy denies access."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult, Evidence, Status
from generator.controls.checks.app_policy_network import STIG_V279693
from generator.controls.checks.common import dig, per_protected_app
from generator.controls.context import ControlContext
from generator.okta.platform import CATCH_ALL_RULE
from generator.okta.snapshot import LiveApp


class AppPolicyCatchAll(ControlCheck):
    check_id = "app-policy-catch-all"
    title = "The protected apps' Catch-all Rule denies access"
    severity = "medium"
    stig = (STIG_V279693,)
    fix = (
        "Security > Authentication Policies > the app's policy > Catch-all Rule: Access is "
        "Denied. Break-glass accounts must then be let in by a rule above it (the lockout "
        "preflight shows who would lose access)."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        return self.result(per_protected_app(context, _catch_all))


def _catch_all(app: LiveApp) -> list[Evidence]:
    catch_all = next(
        (r for r in app.rules if r.get("system") or r.get("name") == CATCH_ALL_RULE),
        None,
    )
    subject = f"Catch-all Rule of {app.label!r}"
    if catch_all is None:
        return [Evidence(subject, "unknown", "not found in the policy's rules")]
    access = dig(catch_all, "actions", "appSignOn", "access") or "ALLOW"
    status: Status = "pass" if access == "DENY" else "fail"
    return [Evidence(subject, status, f"access {access}", str(catch_all.get("id")))]
