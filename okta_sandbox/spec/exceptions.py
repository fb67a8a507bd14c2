"""The only places where the sandbox may differ from Okta's OpenAPI spec: where real Okta itself
answers differently from its spec. Each entry is narrow (the operations, the field, the values)
and says why; every other mismatch is a violation. Keep this list short and sourced."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from okta_sandbox.facts import FIRST_PARTY_APPS

ZONE_PATHS = (
    "/api/v1/zones",
    "/api/v1/zones/{zoneId}",
    "/api/v1/zones/{zoneId}/lifecycle/activate",
    "/api/v1/zones/{zoneId}/lifecycle/deactivate",
)
POLICY_LIST = ("/api/v1/policies",)
RULE_PATHS = ("/api/v1/policies/{policyId}/rules", "/api/v1/policies/{policyId}/rules/{ruleId}")
APP_PATHS = ("/api/v1/apps", "/api/v1/apps/{appId}")


@dataclass(frozen=True)
class Tolerated:
    """`field` (dotted, inside each object an operation of `paths` returns or takes; `*` stands
    for any list index) may hold a value the spec's schema refuses, when `allows(object, value)`
    is true."""

    paths: tuple[str, ...]
    field: str
    allows: Callable[[dict[str, Any], Any], bool]
    reason: str
    requests: bool = False  # also tolerated in request bodies (clients send back what they read)
    # where real Okta shows it: "" (the default org needs it) or a recorded interaction,
    # "<cassette>#<index>" under ../shared/okta/recordings/terraform-provider-okta/idaas/
    evidence: str = ""

    def matches(self, template: str, field: str, obj: Any, value: Any) -> bool:
        return (
            template in self.paths
            and _same_field(self.field, field)
            and isinstance(obj, dict)
            and self.allows(obj, value)
        )


def _same_field(pattern: str, field: str) -> bool:
    """`pattern` names `field`; a `*` segment stands for any list index (`target.*.detailEntry`)."""
    wanted, actual = pattern.split("."), field.split(".")
    return len(wanted) == len(actual) and all(
        w == a or (w == "*" and a.isdigit()) for w, a in zip(wanted, actual, strict=True)
    )


def _empty_system_ip_zone(zone: dict[str, Any], value: Any) -> bool:
    return value is None and zone.get("type") == "IP" and zone.get("system") is True


def _catch_all(rule: dict[str, Any], value: Any) -> bool:
    return value is None and rule.get("system") is True and rule.get("type") == "ACCESS_POLICY"


def _recorded_proxy_type(zone: dict[str, Any], value: Any) -> bool:
    return zone.get("type") == "DYNAMIC" and value in ("", "TorAnonymizer")


def _lowercase_knowledge_type(rule: dict[str, Any], value: Any) -> bool:
    return isinstance(value, str) and value in ("password", "security_key", "phone", "email")


def _null_os_expression(rule: dict[str, Any], value: Any) -> bool:
    return value is None and rule.get("type", "ACCESS_POLICY") == "ACCESS_POLICY"


def _iso_duration(rule: dict[str, Any], value: Any) -> bool:
    return (
        isinstance(value, str) and re.fullmatch(r"P(\d+[YMWD])*(T(\d+[HMS])+)?", value) is not None
    )


def _unknown_region(zone: dict[str, Any], value: Any) -> bool:
    """A list of locations (the validator reports the list) whose only flaw is a null region."""
    if zone.get("type") not in ("DYNAMIC", "DYNAMIC_V2") or not isinstance(value, list):
        return False
    cleaned = [
        {k: v for k, v in entry.items() if not (k == "region" and v is None)}
        if isinstance(entry, dict)
        else entry
        for entry in value
    ]
    return cleaned != value and all(
        isinstance(e, dict) and isinstance(e.get("country"), str) for e in cleaned
    )


def _app_resource_type(policy: dict[str, Any], value: Any) -> bool:
    return value == "APP" and policy.get("type") == "ACCESS_POLICY"


def _first_party_name(app: dict[str, Any], value: Any) -> bool:
    return value in FIRST_PARTY_APPS and app.get("signOnMode") == "OPENID_CONNECT"


def _unset_vpn_text(app: dict[str, Any], value: Any) -> bool:
    return value is None and app.get("signOnMode") == "OPENID_CONNECT"


def _null(_: dict[str, Any], value: Any) -> bool:
    return value is None


# LogEvent members Okta sends as JSON null that the spec's schema does not declare nullable: all
# of them are null in the spec's own examples ListLogs and ListLogsWithAdditionalSecurityContext.
LOG_NULLS = (
    "actor.detailEntry",
    "client.id",
    "authenticationContext.authenticationProvider",
    "authenticationContext.credentialProvider",
    "authenticationContext.credentialType",
    "authenticationContext.issuer",
    "authenticationContext.interface",
    "outcome.reason",
    "transaction.detail",
    "request.ipChain.*.source",
    "target.*.detailEntry",
)


RECORDED = "../shared/okta/recordings/terraform-provider-okta/idaas/"
TOLERATED: tuple[Tolerated, ...] = (
    Tolerated(
        ZONE_PATHS,
        "proxyType",
        _recorded_proxy_type,
        'Okta accepts and returns a dynamic zone\'s `proxyType` "" and "TorAnonymizer" '
        f"(recorded: {RECORDED}TestAccResourceOktaNetworkZone_crud, POST/PUT 200); the spec "
        "enumerates only null, Any, Tor, NotTorAnonymizer.",
        requests=True,
        evidence="TestAccResourceOktaNetworkZone_crud/oie-00#2",
    ),
    *(
        Tolerated(
            ZONE_PATHS,
            field,
            _unknown_region,
            "A location given without a region comes back with `region: null` (recorded: "
            f"{RECORDED}TestAccResourceOktaNetworkZone_crud #2, #3); the spec says string.",
            evidence=evidence,
        )
        for field, evidence in (
            ("locations", "TestAccResourceOktaNetworkZone_crud/oie-00#2"),
            ("locations.include", "TestAccResourceOktaNetworkZone_crud/oie-00#3"),
        )
    ),
    Tolerated(
        POLICY_LIST,
        "_embedded.resourceType",
        _app_resource_type,
        "Authentication policies are listed with `_embedded: {resourceType: APP}` (recorded: "
        f"every GET /api/v1/policies?type=ACCESS_POLICY under {RECORDED}); the spec's "
        "`_embedded` holds objects only.",
        evidence="TestAccDataSourceOktaAppSignOnPolicyRule_read/oie-00#2",
    ),
    Tolerated(
        RULE_PATHS,
        "actions.appSignOn.verificationMethod.constraints.*.knowledge.types.*",
        _lowercase_knowledge_type,
        'Okta accepts and returns lower-case knowledge constraint types such as "password" '
        f"(recorded: {RECORDED}TestAccResourceOktaAppSignOnPolicyRule_crud #61, "
        "..._issue_1059814 #6: 200); the spec enumerates upper-case values only.",
        requests=True,
        evidence="TestAccResourceOktaAppSignOnPolicyRule_crud/oie-00#61",
    ),
    Tolerated(
        RULE_PATHS,
        "actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency",
        _iso_duration,
        'Okta accepts and returns ISO 8601 durations such as "PT168H" (recorded: '
        f"{RECORDED}TestAccResourceOktaAppSignOnPolicyRule_keep_me_signed_in #9: 200); the "
        "spec's pattern for it matches no duration with hours.",
        requests=True,
        evidence="TestAccResourceOktaAppSignOnPolicyRule_keep_me_signed_in/oie-00#9",
    ),
    Tolerated(
        RULE_PATHS,
        "conditions.platform.include.*.os.expression",
        _null_os_expression,
        "The provider sends `os.expression: null` and Okta accepts it, dropping the key "
        f"(recorded: {RECORDED}TestAccResourceOktaAppSignOnPolicyRules_Issue2774 #10); the "
        "spec says string.",
        requests=True,
        evidence="TestAccResourceOktaAppSignOnPolicyRules_Issue2774/oie-00#10",
    ),
    Tolerated(
        ZONE_PATHS,
        "gateways",
        _empty_system_ip_zone,
        "Empty system IP zones return `gateways: null` (the spec's own examples "
        "DefaultIpNetworkZone and DefaultIpBlocklistNetworkZone); the schema has no nullable.",
        requests=True,
    ),
    Tolerated(
        RULE_PATHS,
        "conditions",
        _catch_all,
        "An authentication policy's Catch-all Rule has `conditions: null` (the spec's example "
        "list-all-access-policy-rule-response); AccessPolicyRuleConditions is not nullable.",
        requests=True,
    ),
    Tolerated(
        APP_PATHS,
        "name",
        _first_party_name,
        "The first-party OIDC apps are named `saasure` (Okta Admin Console) and `okta_enduser` "
        "(Okta Dashboard); OpenIdConnectApplication enumerates only `oidc_client`.",
    ),
    *(
        Tolerated(
            APP_PATHS,
            f"settings.notifications.vpn.{field}",
            _unset_vpn_text,
            f"OIDC apps without a VPN notification return `{field}: null` (the spec's example "
            "OpenidConnectResponseEx); the schema says string.",
        )
        for field in ("message", "helpUrl")
    ),
    *(
        Tolerated(
            ("/api/v1/logs",),
            field,
            _null,
            f"System Log events carry `{field}: null` (the spec's examples ListLogs and "
            "ListLogsWithAdditionalSecurityContext); the schema says it is not nullable.",
        )
        for field in LOG_NULLS
    ),
    Tolerated(
        ("/api/v1/logs",),
        "outcome",
        _null,
        "Some events carry `outcome: null` (the example event of Okta's rate-limit best "
        "practices page, developer.okta.com/docs/reference/rl-best-practices; an admin "
        "disabling an MFA factor, `system.mfa.factor.deactivate`, in Panther's Okta rule tests); "
        "LogOutcome is not nullable.",
    ),
)


@dataclass(frozen=True)
class EmptyBody:
    """A response the spec documents with a body that Okta sends without one."""

    status: int
    header: str
    contains: str
    reason: str

    def matches(self, status: int, headers: dict[str, str]) -> bool:
        value = next((v for k, v in headers.items() if k.lower() == self.header.lower()), "")
        return status == self.status and self.contains in value


EMPTY_BODIES: tuple[EmptyBody, ...] = (
    EmptyBody(
        403,
        "WWW-Authenticate",
        'error="insufficient_scope"',
        "A token missing a scope gets 403 with an empty body and the reason in "
        "WWW-Authenticate (design.md: Okta API behaviour the client must handle).",
    ),
)


@dataclass(frozen=True)
class BodyOfOtherStatus:
    """A success status the spec documents without a body (or not at all) that Okta answers
    with one: the body is checked against the schema the spec gives another status of the same
    operation."""

    template: str
    method: str
    status: int
    schema_of: int
    reason: str


BODIES_OF_OTHER_STATUS: tuple[BodyOfOtherStatus, ...] = (
    BodyOfOtherStatus(
        "/api/v1/groups/{groupId}/roles",
        "POST",
        201,
        200,
        "assignRoleToGroup documents the assignment body on 200 and an empty 201; Okta answers "
        "201 with the body (recording TestAccResourceOktaGroupRole_admin_crud/oie-00.yaml, "
        "interaction 5).",
    ),
    BodyOfOtherStatus(
        "/oauth2/v1/clients/{clientId}/roles",
        "POST",
        201,
        200,
        "assignRoleToClient documents the assignment body on 200; Okta answers 201 with the "
        "body (recording TestAccResourceOktaAppOAuthRoleAssignment_basic/oie-00.yaml, "
        "interactions 6 and 15).",
    ),
)

# Sandbox routes the Management API spec does not describe (checked by the fidelity tests).
UNDOCUMENTED_PATHS = {
    "/oauth2/v1/token": "the org authorization server's token endpoint (Okta's OAuth spec)",
}
CONTROL_PREFIX = "/__sandbox/"  # the sandbox's own control endpoints, never Okta API
