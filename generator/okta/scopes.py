"""OAuth scopes per Management API endpoint (for the "probably missing scope" hint)."""

from __future__ import annotations

LOGS_SCOPE = "okta.logs.read"
ROLES_SCOPE = "okta.roles.read"  # also every admin-role holder (drift's admin coverage)
# Read by the control checks (API tokens and their owners' roles, ThreatInsight).
CONTROL_SCOPES: tuple[str, ...] = (
    "okta.apiTokens.read",
    "okta.roles.read",
    "okta.threatInsights.read",
)
# Read by MFA coverage (`drift --mfa-coverage`): which authenticators are recovery-only.
AUTHENTICATORS_SCOPE = "okta.authenticators.read"
READ_SCOPES: tuple[str, ...] = (
    "okta.networkZones.read",
    "okta.policies.read",
    "okta.apps.read",
    "okta.groups.read",
    "okta.users.read",
    LOGS_SCOPE,
    *CONTROL_SCOPES,
    AUTHENTICATORS_SCOPE,
)
# Scopes drift can do without (System Log events are a bonus; a control whose read is not
# granted is reported `unknown`): an OAuth app not granted them gets its token without them,
# and the report says what is missing.
OPTIONAL_SCOPES: frozenset[str] = frozenset({LOGS_SCOPE, *CONTROL_SCOPES, AUTHENTICATORS_SCOPE})

_RESOURCE_SCOPES = {
    "zones": "okta.networkZones",
    "policies": "okta.policies",
    "apps": "okta.apps",
    "groups": "okta.groups",
    "users": "okta.users",
    "logs": "okta.logs",
    "api-tokens": "okta.apiTokens",
    "threats": "okta.threatInsights",
    "first-party-app-settings": "okta.apps",
    "authenticators": "okta.authenticators",
}


def resource_of(path: str) -> str:
    """The collection an API path belongs to: `/api/v1/policies/x/rules` -> `policies`."""
    parts = [part for part in path.split("?", 1)[0].split("/") if part]
    if len(parts) >= 3 and parts[0] == "api" and parts[1] == "v1":
        return parts[2]
    return parts[0] if parts else ""


def scope_for(method: str, path: str) -> str | None:
    """The scope an endpoint needs: `.read` for GET, `.manage` for writes; None if unknown."""
    parts = [part for part in path.split("?", 1)[0].split("/") if part]
    if "roles" in parts[3:] or parts[:3] in (["oauth2", "v1", "clients"], ["api", "v1", "iam"]):
        base: str | None = "okta.roles"  # /users/{id}/roles, /groups/{id}/roles, iam, clients
    else:
        base = _RESOURCE_SCOPES.get(resource_of(path))
    if base is None:
        return None
    if base == "okta.logs":
        return "okta.logs.read"
    return f"{base}.read" if method.upper() == "GET" else f"{base}.manage"
