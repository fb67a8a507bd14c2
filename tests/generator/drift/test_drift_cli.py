"""`egress-guard drift` end to end against the sandbox: exit codes, every format, --plan,
--ignore, and faults (correct result after retries, or exit 1 — never 0 on incomplete data)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from drift_support import (
    ALLOW_RULE,
    DENY_RULE,
    FAST_RETRY,
    GSP,
    NETSKOPE_ZONE,
    ROOT,
    Admin,
    config_fixture,
    desired_fixture,
    synced_sandbox,
    use_org,
)

from generator.cli import main
from generator.commands import drift as drift_command
from generator.drift.desired import Desired
from generator.okta import reads
from generator.okta.scopes import READ_SCOPES
from okta_sandbox import Sandbox

SCHEMA = json.loads((ROOT / "schemas" / "drift-report.schema.json").read_text())


config = config_fixture("cli")
desired = desired_fixture()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries and rate-limit waits without wall-clock waiting (the sandbox's 429 reset is the
    next minute boundary); the recorded waits prove the client did wait."""
    recorded: list[float] = []
    monkeypatch.setattr(
        drift_command, "CLIENT_OPTIONS", {"retry": FAST_RETRY, "sleep": recorded.append}
    )
    return recorded


@pytest.fixture
def org(
    desired: Desired, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> Iterator[Sandbox]:
    with synced_sandbox(desired) as sandbox:
        use_org(monkeypatch, sandbox)
        yield sandbox


def run(config: Path, *extra: str) -> int:
    return main(["drift", "--config", str(config), *extra])


def deactivate_deny_rule(sandbox: Sandbox) -> str:
    admin = Admin(sandbox)
    rule = admin.deactivate_rule(admin.policy(GSP)["id"], DENY_RULE)
    return str(rule["id"])


def declared(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Findings of the declared-vs-live comparison (without the simulator's posture ones)."""
    return [f for f in report["findings"] if f["class"] != "posture"]


def read_json(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    return document


def test_in_sync_exits_0_with_a_valid_json_report(
    org: Sandbox, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "drift.json"
    assert run(config, "--format", "json", "--output", str(out)) == 0
    report = read_json(out)
    assert report["status"] == "in_sync" and report["findings"] == []


def test_drift_exits_2_in_every_format(
    org: Sandbox, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule_id = deactivate_deny_rule(org)
    out = tmp_path / "drift.json"
    assert run(config, "--format", "json", "--output", str(out)) == 2
    report = read_json(out)
    [finding] = declared(report)
    # The simulator's posture check sees the consequence: admins now get in from anywhere.
    posture = [f for f in report["findings"] if f["class"] == "posture"]
    assert posture and all(f["severity"] == "critical" and f["check"] for f in posture)
    assert report["findings"][0]["class"] == "posture"  # the most severe class comes first
    assert (finding["class"], finding["kind"], finding["severity"]) == (
        "changed",
        "session_rule",
        "high",
    )
    assert finding["id"] == rule_id
    assert finding["diffs"][0]["path"] == "status"
    assert finding["events"] and finding["events"][0]["event_type"] == "policy.rule.deactivate"

    assert run(config) == 2
    text = capsys.readouterr().out
    assert text.index("CRITICAL (1)") < text.index("HIGH (1)")
    assert "status: ACTIVE → INACTIVE (weakens)" in text

    assert run(config, "--format", "markdown") == 2
    markdown = capsys.readouterr().out
    assert markdown.startswith("## egress-guard drift report")
    assert "| `status` ⚠️ weakens | `ACTIVE` | `INACTIVE` |" in markdown

    assert run(config, "--format", "sarif") == 2
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    [result] = [r for r in results if r["properties"]["class"] == "changed"]
    # Controls see it too: admins now sign in through a rule without a network zone.
    controls = {r["ruleId"] for r in results if r["properties"]["class"] == "control"}
    assert "egress-guard/control/session-policy-network" in controls
    assert result["level"] == "error"
    assert {r["level"] for r in results if r["properties"]["class"] == "posture"} == {"error"}
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["egress-guard/posture/session_rule"]["properties"]["security-severity"] == "9.5"
    assert result["ruleId"] == "egress-guard/changed/session_rule"
    location = result["locations"][0]
    # Relative to the config's directory (the temp config is in no git work tree).
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "generated/session_policy.tf"
    assert location["logicalLocations"][0]["fullyQualifiedName"].endswith(".admins_deny_other")


def test_ignore_file_accepts_a_known_difference(org: Sandbox, config: Path, tmp_path: Path) -> None:
    admin = Admin(org)
    policy_id = admin.policy(GSP)["id"]
    rule = admin.rule(policy_id, ALLOW_RULE)
    rule["actions"]["signon"]["session"]["maxSessionIdleMinutes"] = 30
    admin.put_rule(policy_id, rule)
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text(
        "ignore:\n"
        "  - object: 'module.egress_guard.okta_policy_rule_signon.*'\n"
        "    attributes: ['actions.signon.session.*']\n"
        "    reason: longer idle time agreed for the rollout\n"
    )
    assert run(config, "--format", "json", "--output", str(tmp_path / "before.json")) == 2
    out = tmp_path / "drift.json"
    # Accepting the difference does not accept what it breaks: the STIG's 15-minute idle time.
    assert run(config, "--ignore", str(ignore), "--format", "json", "--output", str(out)) == 2
    report = read_json(out)
    assert report["summary"]["ignored"] == 1 and not report["findings"]
    [idle] = [c for c in report["controls"] if c["id"] == "session-idle"]
    assert (idle["status"], idle["accepted"]) == ("fail", False)
    # Only a `control:` pattern accepts a failed control; it stays in the report, marked.
    with ignore.open("a") as handle:
        handle.write("  - object: 'control:session-idle'\n    reason: rollout exception\n")
    assert run(config, "--ignore", str(ignore), "--format", "json", "--output", str(out)) == 0
    report = read_json(out)
    [idle] = [c for c in report["controls"] if c["id"] == "session-idle"]
    assert (idle["status"], idle["accepted"]) == ("fail", True)
    assert {e["accepted"] for e in idle["evidence"] if e["status"] == "fail"} == {
        "rollout exception"
    }
    assert report["status"] == "in_sync" and report["summary"]["controls"]["accepted"] == 1


def test_ignoring_a_difference_does_not_hide_its_posture_finding(
    org: Sandbox, config: Path, tmp_path: Path
) -> None:
    admin = Admin(org)
    zone = admin.zone(NETSKOPE_ZONE)
    zone["gateways"].append({"type": "CIDR", "value": "192.0.2.0/24"})  # outside trusted ranges
    admin.put_zone(zone)
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text(f"- object: 'zone:{NETSKOPE_ZONE}'\n  attributes: [gateways]\n")
    out = tmp_path / "drift.json"
    assert run(config, "--ignore", str(ignore), "--format", "json", "--output", str(out)) == 2
    findings = read_json(out)["findings"]
    # Sign-in and Admin Console: admins now get in from the added range, and so does anyone
    # holding an admin role (the Admin Console rules cover every user).
    checks = sorted((f["class"], f["check"]) for f in findings)
    assert checks == [
        ("posture", "admin-outside-trusted"),
        ("posture", "admin-outside-trusted"),
        ("posture", "role-holder-outside-trusted"),
    ]
    for finding in findings:
        assert "from outside the trusted ranges: 192.0.2.0/24" in finding["message"]
    # Accepting the posture consequence too takes naming it.
    ignore.write_text(
        ignore.read_text()
        + "- object: 'posture:admin-outside-trusted'\n"
        + "- object: 'posture:role-holder-outside-trusted'\n"
    )
    assert run(config, "--ignore", str(ignore), "--format", "json", "--output", str(out)) == 0
    assert read_json(out)["summary"]["ignored"] == 4


def test_plan_matches_by_id_and_names_by_address(
    org: Sandbox, config: Path, tmp_path: Path
) -> None:
    admin = Admin(org)
    policy = admin.policy(GSP)
    renamed = dict(policy, name="renamed by hand")
    body = {k: renamed[k] for k in ("type", "name", "description", "priority", "conditions")}
    admin.call("PUT", f"/api/v1/policies/{policy['id']}", body)
    address = "module.egress_guard.okta_policy_signon.admins"
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "format_version": "1.2",
                "prior_state": {
                    "values": {
                        "root_module": {
                            "child_modules": [
                                {
                                    "address": "module.egress_guard",
                                    "resources": [
                                        {"address": address, "values": {"id": policy["id"]}}
                                    ],
                                }
                            ]
                        }
                    }
                },
            }
        )
    )
    out = tmp_path / "drift.json"
    assert run(config, "--plan", str(plan), "--format", "json", "--output", str(out)) == 2
    [finding] = read_json(out)["findings"]
    assert (finding["class"], finding["address"], finding["id"]) == (
        "changed",
        address,
        policy["id"],
    )
    assert finding["diffs"][0] == {
        "path": "name",
        "expected": GSP,
        "actual": "renamed by hand",
        "added": [],
        "removed": [],
        "weakens": False,
    }


@pytest.mark.parametrize(
    "fault",
    ["503x2@/api/v1/policies", "429x3@/api/v1/zones", "truncatex2@/api/v1/zones", "dropx2"],
)
def test_transient_faults_give_the_correct_result(
    org: Sandbox, config: Path, tmp_path: Path, fault: str, sleeps: list[float]
) -> None:
    deactivate_deny_rule(org)
    org.add_fault(fault)
    out = tmp_path / "drift.json"
    assert run(config, "--format", "json", "--output", str(out)) == 2
    [finding] = declared(read_json(out))
    assert (finding["kind"], finding["diffs"][0]["path"]) == ("session_rule", "status")
    assert sleeps  # it waited (backoff or rate-limit reset) before retrying


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (
            "503@/api/v1/policies",
            "HTTP 503 E0000010: Service is in read only mode, still failing after 4",
        ),
        ("drop@/api/v1/zones", "connection failed or dropped"),
        ("truncate@/api/v1/groups", "response body truncated"),
        ("repeat-cursor@/api/v1/zones", "cursor repeated"),
    ],
)
def test_persistent_faults_exit_1_and_write_nothing(
    org: Sandbox,
    config: Path,
    tmp_path: Path,
    fault: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(reads.PAGE_LIMIT, "zones", 2)  # several pages, so a cursor can repeat
    org.add_fault(fault)
    out = tmp_path / "drift.json"
    assert run(config, "--format", "json", "--output", str(out)) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_bad_token_and_bad_config_exit_1(
    org: Sandbox,
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OKTA_API_TOKEN", "00-wrong-token-value")
    assert run(config) == 1
    err = capsys.readouterr().err
    assert "HTTP 401" in err and "00-wrong-token-value" not in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nmode: sideways\n")
    assert run(broken) == 1  # invalid input is exit 2 elsewhere; drift reserves 2 for drift


def test_sandbox_mode_attaches_to_a_running_sandbox(
    org: Sandbox, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OKTA_ORG_URL")
    monkeypatch.delenv("OKTA_API_TOKEN")
    monkeypatch.setenv("EGRESS_GUARD_SANDBOX", "1")
    monkeypatch.setenv("EGRESS_GUARD_SANDBOX_URL", org.org_url)
    monkeypatch.setenv("EGRESS_GUARD_SANDBOX_TOKEN", org.api_token)
    assert run(config, "--no-events") == 0


def _service_app_without_logs(
    sandbox: Sandbox, tmp_path: Path, pems: tuple[str, str]
) -> tuple[str, Path, str]:
    """An OAuth service app granted every read scope but okta.logs.read: (client id, private
    key file, private key PEM)."""
    private_pem, public_pem = pems
    client_id = sandbox.add_service_app(public_pem, [s for s in READ_SCOPES if s != LOGS])
    key_file = tmp_path / "key.pem"
    key_file.write_text(private_pem)
    return client_id, key_file, private_pem


LOGS = "okta.logs.read"


@pytest.mark.parametrize(
    ("scopes", "note"),
    [
        # Scopes asked for without the log scope: the System Log read gets a 403 for it.
        (" ".join(s for s in READ_SCOPES if s != LOGS), f"probably missing scope {LOGS}"),
        # Default scopes: Okta refuses the token (invalid_scope); it is requested again without
        # the optional log scope, and the report says so.
        (None, f"the OAuth service app is not granted {LOGS}"),
    ],
    ids=["explicit-scopes", "default-scopes"],
)
def test_oauth_service_app_without_log_scope_still_reports_drift(
    org: Sandbox,
    config: Path,
    tmp_path: Path,
    rsa_key_pems: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    scopes: str | None,
    note: str,
) -> None:
    client_id, key_file, private_pem = _service_app_without_logs(org, tmp_path, rsa_key_pems)
    monkeypatch.delenv("OKTA_API_TOKEN")
    monkeypatch.setenv("OKTA_API_CLIENT_ID", client_id)
    monkeypatch.setenv("OKTA_API_PRIVATE_KEY", str(key_file))
    if scopes is None:
        monkeypatch.delenv("OKTA_API_SCOPES", raising=False)
    else:
        monkeypatch.setenv("OKTA_API_SCOPES", scopes)
    deactivate_deny_rule(org)
    out = tmp_path / "drift.json"
    assert run(config, "--format", "json", "--output", str(out)) == 2
    text = out.read_text()
    report = read_json(out)
    assert [f["events"] for f in report["findings"]] == [[] for _ in report["findings"]]
    assert any(note in n for n in report["notes"]), report["notes"]
    assert org.api_token not in text and private_pem.splitlines()[1] not in text
