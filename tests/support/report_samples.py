"""Sample drift reports shared by the report tests and the golden files."""

from __future__ import annotations

from generator.controls.base import ControlResult, Evidence, Stig
from generator.drift.findings import AttributeDiff, DriftReport, Finding, LogEvent, sort_findings

ADDRESS = "module.egress_guard.okta_policy_rule_signon.admins_deny_other"
REPORT = DriftReport(
    org_url="https://acme.okta.com",
    config_path="infra/egress-policy.yaml",
    generated_at="2026-11-22T06:00:00Z",
    findings=sort_findings(
        [
            Finding(
                "changed",
                "high",
                "session_rule",
                "eg deny other networks",
                "rule differs: status, conditions.people.users.exclude",
                object_id="0pr1",
                address=ADDRESS,
                key="admins_deny_other",
                diffs=(
                    AttributeDiff("status", "ACTIVE", "INACTIVE", weakens=True),
                    AttributeDiff(
                        "conditions.people.users.exclude",
                        ("breakglass@example.com",),
                        (),
                        removed=("breakglass@example.com",),
                        weakens=True,
                    ),
                    AttributeDiff("priority", 2, 3),
                ),
                events=(
                    LogEvent(
                        "2026-11-21T10:00:00.000Z",
                        "policy.rule.deactivate",
                        "mallory@example.com",
                        "198.51.100.9",
                        "SUCCESS",
                        "Deactivate policy rule",
                    ),
                ),
            ),
            Finding(
                "posture",
                "critical",
                "session_rule",
                "Global Session Policy 'x', rule 'allow' (ALLOW)",
                "[admin-outside-trusted] admins can sign in from anywhere",
                object_id="0pr2",
                check="admin-outside-trusted",
            ),
        ]
    ),
    ignored=1,
    notes=("desired zones from lock file",),
    plan_path=None,
    generated_dir="infra/generated",
    controls=(
        ControlResult(
            "api-token-network",
            "Every API token can be used only from listed network zones",
            "medium",
            (Stig("V-279689", "OKTA-APP-003240"),),
            "fail",
            (
                Evidence(
                    "API token 'ci deploy' (00T1)",
                    "fail",
                    "network ANYWHERE: usable from any IP",
                    "00T1",
                ),
                Evidence(
                    "API token 'scim bridge' (00T2)",
                    "fail",
                    "network ZONE, only excluded zones ('BlockedIpZone'): usable from anywhere",
                    "00T2",
                    accepted="bridge moves to OAuth next sprint",
                ),
                Evidence("API token 'terraform' (00T3)", "pass", "usable only from 'ci'", "00T3"),
            ),
            "Security > API > Tokens: restrict the token to the trusted zones.",
        ),
        ControlResult(
            "threatinsight",
            "ThreatInsight blocks suspicious IPs; only trusted zones are excluded",
            "medium",
            (),
            "pass",
            (Evidence("ThreatInsight action", "pass", "'block'"),),
            "Security > General > ThreatInsight: block.",
        ),
        ControlResult(
            "session-binding",
            "Admin sessions are bound to their network (evidence from the System Log only)",
            "low",
            (),
            "unknown",
            (
                Evidence(
                    "user 'alice@example.com'",
                    "unknown",
                    "2026-11-21T09:00:00.000Z: roaming session detected from 192.0.2.66",
                    "00u1",
                ),
            ),
            "Check IP session binding in Settings > Features.",
            reason="Okta has no API for admin session binding; evidence from the System Log",
        ),
    ),
)

# What a rogue admin (live-org names, System Log actor) or a hostile pull request (config values)
# can put into a report: HTML that closes our <details>, images, mentions, links, fences, table
# pipes, headings, emphasis, math, line breaks, terminal escapes and bidi overrides.
HOSTILE_NAME = (
    "</details><img src=x onerror=alert(1)> @acme/security-team [login](https://evil.example)"
)
HOSTILE_VALUE = "``` | **bold** | ![i](https://evil.example/i.png) #1 www.evil.example\n# heading"
HOSTILE_ACTOR = "Mallory\x1b[2J\x1b]8;;https://evil.example\x07 @octocat\u202eexe.txt"
HOSTILE_REPORT = DriftReport(
    org_url="https://acme.okta.com/`<b>`",
    config_path="infra/<script>.yaml",
    generated_at="2026-11-22T06:00:00Z",
    findings=sort_findings(
        [
            Finding(
                "unmanaged",
                "high",
                "session_rule",
                HOSTILE_NAME,
                f"rule '{HOSTILE_NAME}' allows sign-in from anywhere above our rules",
                object_id="0pr<x>",
                events=(
                    LogEvent(
                        "2026-11-21T10:00:00.000Z",
                        "policy.rule.add|x",
                        HOSTILE_ACTOR,
                        "198.51.100.9",
                        "SUCCESS",
                        "Add policy rule",
                    ),
                ),
            ),
            Finding(
                "changed",
                "medium",
                "zone",
                "egress-guard-corporate-01",
                "zone differs: name",
                object_id="nzo1",
                address="module.egress_guard.okta_network_zone.corporate_01",
                diffs=(
                    AttributeDiff("name", "egress-guard-corporate-01", HOSTILE_VALUE),
                    AttributeDiff(
                        "gateways", ("203.0.113.0/24",), (), added=(HOSTILE_VALUE,), removed=()
                    ),
                ),
            ),
        ]
    ),
    notes=(f"1. {HOSTILE_VALUE}",),
    plan_path=None,
    generated_dir="infra/generated",
)
