"""Each detection on events shaped as Okta sends them: what it matches, what it must not, its
severity, and the traps public rule sets fall into (documented per detection)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from paths import REPO, SHARED_OKTA
from watch_support import CONSOLE, SCRIPT, TRUSTED, engine, event, found, target

from generator.watch.detection import CATEGORIES, WatchContext
from generator.watch.detections import ALL
from generator.watch.engine import Engine, build_detections

ADMIN_EVAL = "policy.evaluate_sign_on"


def ids(events: list[dict[str, Any]], min_severity: str = "info") -> list[str]:
    return [detection for detection, _ in found(events, min_severity)]


def severities(events: list[dict[str, Any]], detection: str) -> list[str]:
    return [s for d, s in found(events) if d == detection]


# ADM-001 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["ALLOW", "CHALLENGE", "DENY"])
def test_admin_console_from_outside_the_trusted_ranges(outcome: str) -> None:
    attempt = event(ADMIN_EVAL, ip="1.3.2.4", result=outcome, targets=[CONSOLE])
    assert severities([attempt], "ADM-001") == ["critical" if outcome == "ALLOW" else "high"]


def test_admin_console_inside_the_trusted_ranges_or_without_an_address_is_quiet() -> None:
    inside = event("user.session.access_admin_app", ip="163.116.130.7", targets=[CONSOLE])
    redacted = event("user.session.access_admin_app", ip="redacted", targets=[CONSOLE])
    assert "ADM-001" not in ids([inside, redacted])


def test_admin_console_app_on_a_sign_in_is_not_admin_console_access() -> None:
    # Okta's own example (ListLogs) puts the Admin Console app on user.session.start.
    sign_in = event("user.session.start", ip="1.3.2.4", targets=[CONSOLE])
    other_app = event(ADMIN_EVAL, ip="1.3.2.4", targets=[target("AppInstance", "Okta Dashboard")])
    assert "ADM-001" not in ids([sign_in, other_app])
    legacy = event(ADMIN_EVAL, ip="1.3.2.4", targets=[target("AppInstance", "Okta Administration")])
    access = event("user.session.access_admin_app", ip="2001:db8::1", targets=None)
    assert ids([legacy, access]).count("ADM-001") == 2


# SES-001 -----------------------------------------------------------------------------------


def test_session_used_from_another_network_and_client_is_a_replay() -> None:
    first = event("user.session.start", session="idxS1", ip="198.51.100.10")
    replay = event("user.session.access_admin_app", session="idxS1", ip="192.0.2.66", agent=SCRIPT)
    again = event("user.session.access_admin_app", session="idxS1", ip="192.0.2.66", agent=SCRIPT)
    assert severities([first, replay, again], "SES-001") == ["critical"]  # once per context


@pytest.mark.parametrize(
    ("ip", "agent", "debug", "replayed"),
    [
        ("192.0.2.66", None, {}, False),  # laptop changed networks: same browser
        ("198.51.100.10", SCRIPT, {}, False),  # browser update on the same network
        ("192.0.2.66", None, {"dtHash": "other-device"}, True),  # another device token
        ("192.0.2.66", "Mozilla/5.0 Chrome/127.0", {}, True),  # a version apart is another client
    ],
)
def test_replay_needs_both_another_network_and_another_client(
    ip: str, agent: str | None, debug: dict[str, str], replayed: bool
) -> None:
    first = event("user.session.start", session="idxS2", debug={"dtHash": "device-1"})
    second = event(
        "user.authentication.sso",
        session="idxS2",
        ip=ip,
        agent=agent or first["client"]["userAgent"]["rawUserAgent"],
        debug=debug or {"dtHash": "device-1"},
    )
    assert ("SES-001" in ids([first, second])) is replayed


def test_replay_ignores_placeholders_and_okta_internal_clients() -> None:
    unknown = [
        event("user.session.start", session="unknown", ip=ip) for ip in ("1.1.1.1", "2.2.2.2")
    ]
    first = event("user.session.start", session="idxS3")
    internal = event(
        "user.session.start",
        session="idxS3",
        ip="44.238.82.114",
        agent=SCRIPT,
        client_id="okta.b58d5b75-07d4-5f25-bf59-368a1261a405",
    )
    integration = event(
        "user.session.start", session="idxS3", ip="44.1.1.1", agent="Okta-Integrations"
    )
    assert "SES-001" not in ids([*unknown, first, internal, integration])


def test_replay_follows_the_root_session_too() -> None:
    first = event("user.session.start", session="idxChild1")
    first["authenticationContext"]["rootSessionId"] = "idxRoot"
    other = event("user.authentication.sso", session="idxChild2", ip="192.0.2.9", agent=SCRIPT)
    other["authenticationContext"]["rootSessionId"] = "idxRoot"
    assert "SES-001" in ids([first, other])


# SES-002 -----------------------------------------------------------------------------------


def test_okta_session_signals() -> None:
    roaming = event("security.session.detect_client_roaming")
    hijack = event(
        "user.session.start",
        security={"risk": {"level": "HIGH", "detectionName": "Suspected Session Hijacking"}},
    )
    itp = event(
        "user.risk.detect",
        debug={"risk": "{reasons=Associated sessionId is suspected to be hijacked, level=HIGH}"},
    )
    plain_risk = event(
        "user.session.start", security={"risk": {"level": "LOW", "reasons": ["Anomalous Device"]}}
    )
    assert ids([roaming, hijack, itp, plain_risk]).count("SES-002") == 3


# MFA ---------------------------------------------------------------------------------------


def test_user_factor_removed_whatever_the_outcome() -> None:
    carol = [target("User", "carol@example.com")]
    removed = event(
        "user.mfa.factor.deactivate", targets=carol, reason="Admin reset SMS_FACTOR factor"
    )
    own = event(
        "user.mfa.factor.deactivate", targets=carol, reason="User reset FIDO_WEBAUTHN factor"
    )
    reset = event("user.mfa.factor.reset_all", targets=carol, result=None)  # outcome: null
    suspended = event("user.mfa.factor.suspend", targets=carol)
    assert severities([removed, own, reset, suspended], "MFA-001") == [
        "medium",
        "low",
        "high",
        "medium",
    ]


def test_factor_disabled_for_the_org() -> None:
    disabled = event("system.mfa.factor.deactivate", result=None)
    authenticator = event("security.authenticator.lifecycle.deactivate")
    assert severities([disabled, authenticator], "MFA-002") == ["high", "high"]


def test_policy_rule_downgrade_from_change_details() -> None:
    def rule_change(before: str, after: str) -> dict[str, Any]:
        rule = target("PolicyRule", "Admins MFA")
        rule["changeDetails"] = {
            "from": {"actions": {"appSignOn": {"verificationMethod": {"factorMode": before}}}},
            "to": {"actions": {"appSignOn": {"verificationMethod": {"factorMode": after}}}},
        }
        return event("policy.rule.update", targets=[rule])

    assert "MFA-003" in ids([rule_change("2FA", "1FA")])
    assert "MFA-003" not in ids([rule_change("1FA", "2FA")])


# USR ---------------------------------------------------------------------------------------


def test_users_created_and_brought_back() -> None:
    new = [target("User", "svc@example.com")]
    assert severities([event("user.lifecycle.create", targets=new)], "USR-001") == ["low"]
    activations = [
        event(kind, targets=new)
        for kind in (
            "user.lifecycle.activate",
            "user.lifecycle.reactivate",
            "user.lifecycle.unsuspend",
        )
    ]
    assert severities(activations, "USR-002") == ["low", "medium", "medium"]
    assert "USR-002" not in ids([event("user.lifecycle.suspend", targets=new)])


# PRV ---------------------------------------------------------------------------------------


def test_privilege_grants_super_admin_high_and_failed_grants_counted() -> None:
    grantee = [target("User", "svc@example.com")]
    top = event(
        "user.account.privilege.grant",
        targets=grantee,
        debug={"privilegeGranted": "Super administrator, Read only admin"},
    )
    help_desk = event(
        "user.account.privilege.grant",
        targets=grantee,
        debug={"privilegeGranted": "Help desk administrator (all)"},
    )
    group = event("group.privilege.grant", targets=[target("UserGroup", "Ops")], result="FAILURE")
    assert severities([top, help_desk, group], "PRV-001") == ["high", "medium", "medium"]
    assert "PRV-001" not in ids([event("user.account.privilege.revoke", targets=grantee)])


# TOK ---------------------------------------------------------------------------------------


def test_api_tokens_created_and_used_outside_their_range() -> None:
    token = [target("Token", "backup-sync", "00Tabc")]
    anywhere = event(
        "system.api_token.create", targets=token, debug={"networkConnection": "ANYWHERE"}
    )
    zoned = event("system.api_token.create", targets=token, debug={"networkConnection": "ZONE"})
    outside = event("system.api_token.request_outside_allowed_range", targets=token)
    assert severities([anywhere, zoned], "TOK-001") == ["high", "medium"]
    [alert] = [a for a in engine().process(outside) if a.detection == "TOK-002"]
    assert alert.category == "suspicious_activity"
    assert [(r.action, r.subject_id) for r in alert.responses] == [("revoke_token", "00Tabc")]


# POL ---------------------------------------------------------------------------------------


def test_policy_and_zone_changes_but_not_policy_evaluations() -> None:
    ours = event("zone.update", targets=[target("Zone", "egress-guard-corporate-01")])
    theirs = event("policy.rule.update", targets=[target("PolicyRule", "Dashboard rule")])
    deleted = event("zone.delete", targets=[target("Zone", "Office")])
    assert severities([ours, theirs, deleted], "POL-001") == ["high", "medium", "high"]
    not_changes = [event(ADMIN_EVAL, targets=[CONSOLE]), event("policy.auth_reevaluate.enforce")]
    assert "POL-001" not in ids(not_changes)
    assert "POL-001" not in ids([event("system.idp.lifecycle.create")])


def test_changes_by_the_terraform_identity_are_expected() -> None:
    context = WatchContext(trusted=TRUSTED, automation_actors=frozenset({"0oaterraform"}))
    runner = Engine(build_detections(context, ["POL-001"]), min_severity="info")
    applied = event(
        "policy.rule.update",
        client_id="0oaterraform",
        targets=[target("PolicyRule", "egress-guard allow")],
    )
    [alert] = runner.process(applied)
    assert alert.severity == "info" and alert.responses == ()
    quiet = Engine(build_detections(context, ["POL-001"]), min_severity="low")
    assert quiet.process(event("policy.rule.update", client_id="0oaterraform")) == []


# SUS ---------------------------------------------------------------------------------------


def test_threatinsight_reports_and_high_risk() -> None:
    threat = event("security.threat.detected", result="DENY", reason="Password Spray")
    logged = event("security.threat.detected", result="ALLOW", reason="Password Spray")
    report = event("user.account.report_suspicious_activity_by_enduser")
    legacy_risk = event(
        "user.risk.change", debug={"risk": "{reasons=Anomalous Device, level=HIGH}"}
    )
    json_risk = event(
        "app.oauth2.authorize.code", debug={"logOnlySecurityData": '{"risk":{"level":"HIGH"}}'}
    )
    suspected = event("user.session.start", debug={"threatSuspected": "true"})
    assert severities([threat, logged, report, legacy_risk, json_risk, suspected], "SUS-001") == [
        "medium",
        "high",
        "high",
        "high",
        "high",
        "low",
    ]


def test_low_risk_and_quiet_behaviours_are_not_suspicious() -> None:
    quiet = event(
        "app.oauth2.authorize.code",
        debug={"risk": "{level=LOW}", "threatSuspected": "false", "behaviors": "{New IP=NEGATIVE}"},
    )
    assert "SUS-001" not in ids([quiet])


# BF-001 ------------------------------------------------------------------------------------


def test_failed_sign_ins_are_recorded_and_alert_past_the_threshold() -> None:
    failures = [
        event("user.session.start", result="FAILURE", reason="VERIFICATION_ERROR", minute=m)
        for m in range(5)
    ]
    raised = found(failures, "info")
    assert [s for d, s in raised if d == "BF-001"] == ["info"] * 5 + ["medium"]
    assert [d for d, s in found(failures, "low")] == ["BF-001"]  # only the threshold alert
    late = [event("user.session.start", result="FAILURE", minute=m * 10) for m in range(5)]
    assert "medium" not in severities(late, "BF-001")  # spread over 40 minutes


def test_failure_is_read_from_the_result_not_the_reason() -> None:
    success = event("user.session.start", result="SUCCESS", reason="VERIFICATION_ERROR")
    no_reason = event("user.session.start", result="FAILURE", reason=None)
    fastpass = event(
        "user.authentication.auth_via_mfa",
        result="FAILURE",
        reason="FastPass declined phishing attempt",
    )
    locked = event("user.account.lock", result=None)
    assert severities([success, no_reason, fastpass, locked], "BF-001") == ["info", "info"]


def test_success_after_failures_and_spraying_from_one_address() -> None:
    failures = [event("user.session.start", result="FAILURE", minute=m / 10) for m in range(5)]
    success = event("user.session.start", minute=1, session="idxWon")
    assert severities([*failures, success], "BF-001")[-1] == "high"
    spray = [
        event(
            "user.session.start",
            result="FAILURE",
            actor=f"user{n}@example.com",
            ip="192.0.2.5",
            minute=n,
        )
        for n in range(20)
    ]
    assert severities(spray, "BF-001").count("high") == 1


def test_unknown_users_are_masked() -> None:
    typed = event(
        "user.session.start",
        result="FAILURE",
        actor="hunter2password@example.com",
        actor_id="unknown",
    )
    [alert] = engine().process(typed)
    assert "hunter2password" not in alert.title and alert.title.endswith("hu…@example.com")


# BF-002 ------------------------------------------------------------------------------------


def _denial(minute: float) -> dict[str, Any]:
    return event(
        "user.authentication.auth_via_mfa",
        result="FAILURE",
        reason="INVALID_CREDENTIALS",
        debug={"factor": "OKTA_VERIFY_PUSH", "pushOnlyResponseType": "OV_RESPONSE_DENY"},
        minute=minute,
    )


def test_push_fatigue_denials_then_approval() -> None:
    denials = [_denial(m) for m in range(5)]
    approval = event(
        "user.authentication.auth_via_mfa",
        debug={"factor": "OKTA_VERIFY_PUSH", "pushOnlyResponseType": "OV_RESPONSE_APPROVE"},
        minute=6,
    )
    assert severities([*denials, approval], "BF-002") == ["info"] * 5 + ["high", "critical"]
    classic = event("user.mfa.okta_verify.deny_push")
    assert severities([classic], "BF-002") == ["info"]


def test_a_push_sent_is_normal_but_a_flood_is_not() -> None:
    pushes = [event("system.push.send_factor_verify_push", minute=m / 10) for m in range(21)]
    assert severities(pushes[:1], "BF-002") == []
    assert severities(pushes, "BF-002") == ["medium"]


def test_every_event_type_read_exists_in_oktas_catalogue() -> None:
    catalogue = json.loads((SHARED_OKTA / "event-types.json").read_text(encoding="utf-8"))
    known = {entry["id"] for entry in catalogue["versions"][0]["eventTypes"]}
    read = {t for d in ALL for t in d.info.event_types or ()}
    assert read - known == set()
    assert {d.info.category for d in ALL} == set(CATEGORIES)
    assert len({d.info.id for d in ALL}) == len(ALL)


def test_docs_describe_every_detection() -> None:
    docs = (REPO / "docs" / "watch.md").read_text(encoding="utf-8")
    for detection in ALL:
        heading = f"### {detection.info.id} — {detection.info.title}"
        assert heading in docs, heading
        section = docs[docs.index(heading) :].split("\n### ", 1)[0]
        assert f"Category `{detection.info.category}`" in section
        assert "**Proves:**" in section and "**False positives:**" in section
