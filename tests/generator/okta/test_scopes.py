"""Which OAuth scope an endpoint needs (named in "probably missing scope" errors and in the
controls' `unknown` reasons), and the scopes drift asks for by default."""

from __future__ import annotations

import pytest

from generator.okta.scopes import OPTIONAL_SCOPES, READ_SCOPES, scope_for


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("GET", "/api/v1/zones", "okta.networkZones.read"),
        ("GET", "/api/v1/api-tokens", "okta.apiTokens.read"),
        ("PUT", "/api/v1/api-tokens/00T1", "okta.apiTokens.manage"),
        ("GET", "/api/v1/threats/configuration", "okta.threatInsights.read"),
        ("POST", "/api/v1/threats/configuration", "okta.threatInsights.manage"),
        ("GET", "/api/v1/first-party-app-settings/admin-console", "okta.apps.read"),
        ("PUT", "/api/v1/first-party-app-settings/admin-console", "okta.apps.manage"),
        ("GET", "/api/v1/users/00u1/roles", "okta.roles.read"),
        ("GET", "/api/v1/groups/00g1/roles", "okta.roles.read"),
        ("GET", "/oauth2/v1/clients/0oa1/roles", "okta.roles.read"),
        ("GET", "/api/v1/users/00u1", "okta.users.read"),
        ("GET", "/api/v1/logs", "okta.logs.read"),
    ],
)
def test_scope_for_each_endpoint_drift_reads(method: str, path: str, scope: str) -> None:
    assert scope_for(method, path) == scope


def test_the_control_scopes_are_requested_by_default_but_optional() -> None:
    controls = {"okta.apiTokens.read", "okta.roles.read", "okta.threatInsights.read"}
    assert controls <= set(READ_SCOPES)
    mfa = {"okta.authenticators.read"}  # MFA coverage: which authenticators are recovery-only
    assert mfa <= set(READ_SCOPES)
    assert controls | mfa | {"okta.logs.read"} == OPTIONAL_SCOPES
