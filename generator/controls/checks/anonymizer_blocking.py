"""anonymizer-blocking (STIG V-279692): requests from anonymizing services (Tor, anonymizing
proxies) are refused, either org-wide by an active blocklist dynamic zone (Okta's
DefaultEnhancedDynamicZone) or by an active deny rule naming an anonymizer zone in the admins'
Global Session Policy and the Admin Console's policy.

A BlockedIpZone holding addresses may be the STIG's other option (the CSSP's list of
anonymizers), which the API cannot tell: that is `unknown`, never a pass.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.controls.base import ControlCheck, ControlResult, Evidence, Stig
from generator.controls.checks.common import dig, names
from generator.controls.context import ControlContext
from generator.okta.platform import BLOCKED_ZONE
from generator.okta.snapshot import JsonObject

ANONYMIZER_CATEGORIES = frozenset(
    {
        "ALL_ANONYMIZERS",
        "ALL_ANONYMIZERS_EXCEPT_TOR",
        "ANONYMIZER_TOR",
        "ALL_IP_SERVICES",
        "ALL_PROXIES_VPNS",
    }
)


def anonymizer_zone(zone: JsonObject) -> bool:
    """An active dynamic zone matching anonymizers (enhanced: IP service categories; legacy
    DYNAMIC: proxy type Tor / any)."""
    if zone.get("status") != "ACTIVE":
        return False
    if zone.get("type") == "DYNAMIC_V2":
        included = dig(zone, "ipServiceCategories", "include") or ()
        return bool(ANONYMIZER_CATEGORIES.intersection(str(c) for c in included))
    if zone.get("type") == "DYNAMIC":
        return str(zone.get("proxyType") or "") in ("Tor", "TorAnonymizer", "Any")
    return False


def _deny_rules(rules: Iterable[JsonObject], zone_ids: set[str], actions: str) -> list[str]:
    found = []
    for rule in rules:
        network = dig(rule, "conditions", "network") or {}
        access = dig(rule, "actions", actions, "access")
        if rule.get("status", "ACTIVE") != "ACTIVE" or access != "DENY":
            continue
        if network.get("connection") == "ZONE" and zone_ids & set(network.get("include") or ()):
            found.append(str(rule.get("name")))
    return found


class AnonymizerBlocking(ControlCheck):
    check_id = "anonymizer-blocking"
    title = "Requests from anonymizers are blocked (blocklist zone or deny rules for admins)"
    severity = "medium"
    stig = (Stig("V-279692", "OKTA-APP-003243"),)
    fix = (
        "Activate DefaultEnhancedDynamicZone (blocks anonymizers org-wide, before any policy; "
        "first check that your SSE egress is not classified as an anonymizer, or exempt your "
        "dedicated egress IPs in DefaultExemptIpZone), or let egress-guard add deny rules for an "
        "anonymizer zone to the admin policies."
    )

    def evaluate(self, context: ControlContext) -> ControlResult:
        zones = [z for z in context.live.zones if anonymizer_zone(z)]
        blocking = [z for z in zones if z.get("usage") == "BLOCKLIST"]
        if blocking:
            return self.result(
                Evidence(
                    f"zone {str(z.get('name'))!r}",
                    "pass",
                    "active blocklist of anonymizer IPs: refused before any policy (if your "
                    "egress is ever classified as an anonymizer, admins are refused too)",
                    str(z.get("id")),
                )
                for z in blocking
            )
        return self.result(self._deny_rules(context, {str(z.get("id")) for z in zones}))

    def _deny_rules(self, context: ControlContext, zone_ids: set[str]) -> list[Evidence]:
        policy = context.live.policy_named(context.state.session_policy.name)
        session_rules = context.live.sign_on_rules.get(str((policy or {}).get("id")), ())
        console = context.live.app("admin_console")
        evidence = [
            self._surface(
                "the admins' Global Session Policy",
                _deny_rules(session_rules, zone_ids, "signon"),
            ),
            self._surface(
                "the Admin Console's authentication policy",
                _deny_rules(console.rules if console else (), zone_ids, "appSignOn"),
            ),
        ]
        blocked = context.live.zone_named(BLOCKED_ZONE)
        if blocked and blocked.get("gateways") and any(e.status == "fail" for e in evidence):
            count = len(blocked.get("gateways") or ())
            evidence.append(
                Evidence(
                    f"zone {BLOCKED_ZONE!r}",
                    "unknown",
                    f"{count} blocked entries: whether they are a list of anonymizers (the "
                    "STIG's CSSP list) cannot be told from the API",
                    str(blocked.get("id")),
                )
            )
        return evidence

    @staticmethod
    def _surface(where: str, rules: list[str]) -> Evidence:
        if rules:
            return Evidence(where, "pass", f"deny rule(s) for anonymizer zones: {names(rules)}")
        return Evidence(
            where, "fail", "no active blocklist of anonymizers and no deny rule for them"
        )
