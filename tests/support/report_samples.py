"""Sample drift reports shared by the report tests and the golden files."""

from __future__ import annotations

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
)
