"""The route table: every Okta API path the sandbox serves, and its rate-limit buckets.

Route modules (one folder per API area) only define handlers; this module is the one place that
assembles them, so nothing in `core/` imports an API area and the server imports only this table.
"""

from __future__ import annotations

from collections.abc import Callable

from okta_sandbox.apps.lifecycle import ROUTES as APP_LIFECYCLE_ROUTES
from okta_sandbox.apps.routes import ROUTES as APP_ROUTES
from okta_sandbox.authenticators.routes import ROUTES as AUTHENTICATOR_ROUTES
from okta_sandbox.core import oauth
from okta_sandbox.core.routing import Request, Route, State
from okta_sandbox.directory.deletion import ROUTES as DELETION_ROUTES
from okta_sandbox.directory.factor_enroll import ROUTES as ENROLL_ROUTES
from okta_sandbox.directory.factors import ROUTES as FACTOR_ROUTES
from okta_sandbox.directory.lifecycle import ROUTES as LIFECYCLE_ROUTES
from okta_sandbox.directory.replace import ROUTES as REPLACE_ROUTES
from okta_sandbox.directory.roles import ROUTES as ROLE_ROUTES
from okta_sandbox.directory.routes import ROUTES as DIRECTORY_ROUTES
from okta_sandbox.iam.assignees import ROUTES as ASSIGNEE_ROUTES
from okta_sandbox.iam.clients import ROUTES as CLIENT_ROLE_ROUTES
from okta_sandbox.iam.custom import ROUTES as IAM_ROUTES
from okta_sandbox.logs.routes import ROUTES as LOG_ROUTES
from okta_sandbox.policies.routes import ROUTES as POLICY_ROUTES
from okta_sandbox.security.admin_console import ROUTES as ADMIN_CONSOLE_ROUTES
from okta_sandbox.security.threats import ROUTES as THREAT_ROUTES
from okta_sandbox.tokens import network as token_network
from okta_sandbox.tokens.routes import ROUTES as TOKEN_ROUTES
from okta_sandbox.zones.routes import ROUTES as ZONE_ROUTES

ROUTES: list[Route] = [
    *ZONE_ROUTES,
    *POLICY_ROUTES,
    *APP_ROUTES,
    *APP_LIFECYCLE_ROUTES,
    *DIRECTORY_ROUTES,
    *LIFECYCLE_ROUTES,
    *DELETION_ROUTES,
    *REPLACE_ROUTES,
    *FACTOR_ROUTES,
    *ENROLL_ROUTES,
    *AUTHENTICATOR_ROUTES,
    *ROLE_ROUTES,
    *IAM_ROUTES,
    *ASSIGNEE_ROUTES,
    *CLIENT_ROLE_ROUTES,
    *TOKEN_ROUTES,
    *THREAT_ROUTES,
    *ADMIN_CONSOLE_ROUTES,
    *LOG_ROUTES,
    *oauth.ROUTES,
]
# Run on every authenticated request before its handler: they may refuse it (core.errors.Denied).
GUARDS: list[Callable[[Request, State], None]] = [token_network.guard]
# Requests per minute per endpoint family, in the spirit of Okta's org-wide defaults.
RATE_LIMITS: dict[str, int] = {
    "/api/v1/zones": 600,
    "/api/v1/policies": 600,
    "/api/v1/apps": 500,
    "/api/v1/groups": 500,
    "/api/v1/users": 600,
    # "Most other API actions" (Okta's rate-limit table): a user's factors, among others
    "/api/v1/users/{userId}/factors": 600,
    "/api/v1/authenticators": 600,
    "/api/v1/logs": 120,
    "/api/v1/api-tokens": 600,
    "/api/v1/threats/configuration": 600,
    "/api/v1/first-party-app-settings": 600,
    "/api/v1/iam": 600,
    "/oauth2/v1/clients": 100,  # Okta's own bucket for client roles (rate-limit docs)
    "/oauth2/v1/token": 600,
    "/.well-known": 600,
}
DEFAULT_RATE_LIMIT = 600
