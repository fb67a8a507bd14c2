"""Every control check drift runs, in report order."""

from __future__ import annotations

from generator.controls.base import ControlCheck, ControlResult
from generator.controls.checks.admin_console_mfa import AdminConsoleMfa
from generator.controls.checks.admin_console_phishing_resistant import (
    AdminConsolePhishingResistant,
)
from generator.controls.checks.admin_console_session import AdminConsoleSession
from generator.controls.checks.anonymizer_blocking import AnonymizerBlocking
from generator.controls.checks.api_token_network import ApiTokenNetwork
from generator.controls.checks.api_token_owner import ApiTokenOwner
from generator.controls.checks.app_policy_catch_all import AppPolicyCatchAll
from generator.controls.checks.app_policy_network import AppPolicyNetwork
from generator.controls.checks.blocked_zone import BlockedZone
from generator.controls.checks.exempt_zone import ExemptZone
from generator.controls.checks.network_violations import NetworkViolations
from generator.controls.checks.service_app_network import ServiceAppNetwork
from generator.controls.checks.session_binding import SessionBinding
from generator.controls.checks.session_idle import SessionIdle
from generator.controls.checks.session_lifetime import SessionLifetime
from generator.controls.checks.session_mfa import SessionMfa
from generator.controls.checks.session_persistent_cookie import SessionPersistentCookie
from generator.controls.checks.session_policy_network import SessionPolicyNetwork
from generator.controls.checks.threat_insight import ThreatInsight
from generator.controls.context import ControlContext


def all_checks() -> tuple[ControlCheck, ...]:
    return (
        ApiTokenNetwork(),
        ApiTokenOwner(),
        NetworkViolations(),
        ServiceAppNetwork(),
        AdminConsoleSession(),
        AdminConsoleMfa(),
        AdminConsolePhishingResistant(),
        AppPolicyNetwork(),
        AppPolicyCatchAll(),
        SessionPolicyNetwork(),
        SessionIdle(),
        SessionLifetime(),
        SessionPersistentCookie(),
        SessionMfa(),
        ThreatInsight(),
        AnonymizerBlocking(),
        ExemptZone(),
        BlockedZone(),
        SessionBinding(),
    )


def run_checks(checks: tuple[ControlCheck, ...], context: ControlContext) -> list[ControlResult]:
    return [check.evaluate(context) for check in checks]
