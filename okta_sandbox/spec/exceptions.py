"""The only places where the sandbox may differ from Okta's OpenAPI spec: where real Okta itself
answers differently from its spec. Each entry is narrow (the operations, the field, the values)
and says why; every other mismatch is a violation. Keep this list short and sourced."""

from __future__ import annotations

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
RULE_PATHS = ("/api/v1/policies/{policyId}/rules", "/api/v1/policies/{policyId}/rules/{ruleId}")
APP_PATHS = ("/api/v1/apps", "/api/v1/apps/{appId}")


@dataclass(frozen=True)
class Tolerated:
    """`field` (dotted, inside each object an operation of `paths` returns or takes) may hold a
    value the spec's schema refuses, when `allows(object, value)` is true."""

    paths: tuple[str, ...]
    field: str
    allows: Callable[[dict[str, Any], Any], bool]
    reason: str
    requests: bool = False  # also tolerated in request bodies (clients send back what they read)

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


TOLERATED: tuple[Tolerated, ...] = (
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
    """A success status the spec documents without a body that Okta answers with one: the body
    is checked against the schema the spec gives another status of the same operation."""

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
)

# Sandbox routes the Management API spec does not describe (checked by the fidelity tests).
UNDOCUMENTED_PATHS = {
    "/oauth2/v1/token": "the org authorization server's token endpoint (Okta's OAuth spec)",
}
CONTROL_PREFIX = "/__sandbox/"  # the sandbox's own control endpoints, never Okta API
