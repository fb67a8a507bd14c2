"""`egress-guard report plan` on a realistic `terraform show -json` plan (tests/data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from paths import DATA, REPO

from generator.cli import main
from generator.report.plan import plan_checksum, summarise_plan
from generator.report.plan_inputs import preflight_from_report, provenance_from_lock
from generator.simulate.preflight import PreflightFailure, PreflightReport

PLAN = DATA / "plan_ip_refresh.json"
M = "module.egress_guard"


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PLAN.read_text(encoding="utf-8"))
    return data


def run_json(*args: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["report", "plan", "--plan", str(PLAN), "--format", "json", *args]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_counts_zones_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    summary = run_json(capsys=capsys)
    assert summary["counts"] == {"add": 1, "change": 5, "destroy": 1}
    zones = {z["key"]: z for z in summary["zones"]}
    assert set(zones) == {"netskope_shared_01", "corporate_01", "feed_zscaler_01",
                          "netskope_dedicated_01"}  # fmt: skip
    assert zones["feed_zscaler_01"]["action"] == "create"
    assert zones["feed_zscaler_01"]["gateways_added"] == [
        "136.226.0.0/16", "147.161.128.0/17", "165.225.0.0/17"
    ]  # fmt: skip
    assert zones["corporate_01"]["gateways_removed"] == ["203.0.113.0/25"]
    assert zones["netskope_dedicated_01"]["action"] == "delete"
    rules = {r["address"]: r for r in summary["resources"]}
    assert set(rules) == {
        f"{M}.okta_app_signon_policy_rule.admin_console_allow_trusted",
        f"{M}.okta_policy_rule_signon.admins_allow_trusted",
        f"{M}.okta_policy_rule_signon.admins_deny_other",
    }  # the no-op policy and the data source read are not listed
    deny = rules[f"{M}.okta_policy_rule_signon.admins_deny_other"]
    assert deny["attributes"] == [{"name": "status", "before": '"ACTIVE"', "after": '"INACTIVE"'}]
    allow = rules[f"{M}.okta_policy_rule_signon.admins_allow_trusted"]
    (includes,) = allow["attributes"]
    assert "egress-guard-netskope-dedicated-01" in includes["before"]  # zone ids → names
    assert "(known after apply)" in includes["after"]


def test_cidrs_per_source(capsys: pytest.CaptureFixture[str]) -> None:
    sources = {s["group"]: s for s in run_json(capsys=capsys)["sources"]}
    assert {g: (s["added"], s["removed"]) for g, s in sources.items()} == {
        "corporate": ([], ["203.0.113.0/25"]),
        "feed-zscaler": (["136.226.0.0/16", "147.161.128.0/17", "165.225.0.0/17"], []),
        "netskope-dedicated": ([], ["203.0.113.200/32"]),
        "netskope-shared": (["163.116.128.0/17"], []),
    }


def test_cidr_moving_between_shards_is_not_a_source_change() -> None:
    plan = load()
    changes = {rc["name"]: rc for rc in plan["resource_changes"]}
    corp2 = changes["corporate_02"]["change"]
    corp2["actions"] = ["update"]
    corp2["after"] = {**corp2["after"], "gateways": ["192.0.2.0/28", "203.0.113.0/25"]}
    summary = summarise_plan(plan)
    corporate = next(s for s in summary.sources if s.group == "corporate")
    assert corporate.added == () and corporate.removed == ()
    assert set(corporate.zones) == {"egress-guard-corporate-01", "egress-guard-corporate-02"}


def test_lock_file_gives_groups_and_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = {
        "lock_version": 1,
        "sources": [
            {"name": "netskope-shared", "kind": "netskope-page", "note": None,
             "origin": "https://docs.netskope.com/newedge",
             "cidrs": ["163.116.128.0/18", "163.116.192.0/18", "8.36.116.0/24"]},
            {"name": "feed-zscaler", "kind": "feed-url", "note": None,
             "origin": "https://config.zscaler.com/api", "cidrs": ["136.226.0.0/16"]},
        ],
        "shards": [{"group": "feed-zscaler", "index": 1, "gateways": ["136.226.0.0/16"],
                    "proxies": []}],
        "files": {},
    }  # fmt: skip
    path = tmp_path / "egress-guard.lock.json"
    path.write_text(json.dumps(lock), encoding="utf-8")
    assert main(["report", "plan", "--plan", str(PLAN), "--lock", str(path)]) == 0
    markdown = capsys.readouterr().out
    # 163.116.128.0/17 is the collapse of two inputs of the same source.
    assert (
        "`+ 163.116.128.0/17` — `netskope-shared (https://docs.netskope.com/newedge)`" in markdown
    )
    assert "| netskope-shared | `netskope-page: https://docs.netskope.com/newedge` | 1 | 0 |" in (
        markdown
    )
    assert "| feed-zscaler | `feed-url: https://config.zscaler.com/api` | 3 | 0 |" in markdown
    assert "`+ 136.226.0.0/16` — `feed-zscaler (https://config.zscaler.com/api)`" in markdown
    provenance = provenance_from_lock(lock, path)
    assert provenance.zone_groups == {"feed_zscaler_01": "feed-zscaler"}


def test_lock_file_of_another_version_is_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lock.json"
    path.write_text('{"lock_version": 9}', encoding="utf-8")
    assert main(["report", "plan", "--plan", str(PLAN), "--lock", str(path)]) == 2
    assert "not an egress-guard lock file" in capsys.readouterr().err


def test_preflight_from_simulator_report() -> None:
    failure = PreflightFailure(
        "break-glass", "breakglass@example.com", ("0.0.0.0/1",), "Default Rule",
        "break-glass breakglass@example.com cannot sign in from 0.0.0.0/1", True,
    )  # fmt: skip
    warning = PreflightFailure(
        "admin-outside-trusted", "a member of 'Okta Administrators'", ("0.0.0.0/0",), "x",
        "admins allowed from 0.0.0.0/0", False,
    )  # fmt: skip
    report = PreflightReport(
        failures=(failure, warning),
        assumptions=("offline",),
        checked=(
            "break-glass: breakglass@example.com",
            "admins outside trusted ranges: a member of 'Okta Administrators'",
        ),
    )
    preflight = preflight_from_report(report)
    assert preflight.ok is False and preflight.notes == ("offline",)
    bg, admins = preflight.checks
    assert (bg.ok, bg.detail) == (False, failure.message)
    assert admins.ok is True and admins.detail.startswith("reported only (monitor mode)")


def test_config_runs_the_offline_preflight(capsys: pytest.CaptureFixture[str]) -> None:
    example = REPO / "examples" / "egress-policy.yaml"
    assert main(["report", "plan", "--plan", str(PLAN), "--config", str(example)]) == 0
    text = capsys.readouterr().out
    assert "#### Lockout preflight" in text and "**✅ passed**" in text
    assert "| break-glass: breakglass@example.com" in text


def test_config_whose_preflight_fails_exits_1_after_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = REPO / "examples" / "egress-policy.yaml"
    config = tmp_path / "egress-policy.yaml"
    # An operator range outside the trusted ranges: admins lose access from it.
    text = example.read_text(encoding="utf-8").replace(
        "operator_ips: []", "operator_ips: [192.0.2.0/28]"
    )
    assert "192.0.2.0/28" in text
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "summary.md"
    args = ["report", "plan", "--plan", str(PLAN), "--config", str(config), "--output", str(out)]
    assert main(args) == 1
    assert "**❌ FAILED — do not merge**" in out.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "lockout preflight FAILED" in err and "operator range 192.0.2.0/28" in err
    assert main([*args[:-2], "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["preflight"]["ok"] is False


def test_markdown_has_headline_warning_preflight_and_checksum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preflight = tmp_path / "preflight.json"
    preflight.write_text(
        json.dumps({"ok": False, "checks": [
            {"name": "break-glass can sign in from anywhere", "ok": True},
            {"name": "admins denied outside trusted ranges", "ok": False,
             "detail": "0.0.0.0-8.36.115.255 allowed by Default Rule"},
        ]}),
        encoding="utf-8",
    )  # fmt: skip
    (tmp_path / "plan.txt").write_text("Terraform will perform ```odd``` actions\n")
    out = tmp_path / "summary.md"
    code = main(["report", "plan", "--plan", str(PLAN), "--preflight", str(preflight),
                 "--plan-text", str(tmp_path / "plan.txt"), "--output", str(out)])  # fmt: skip
    # A failed preflight exits 1, after the summary is written (CI posts it, then fails).
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert "lockout preflight FAILED (1 failing check(s))" in captured.err
    assert "  - admins denied outside trusted ranges: 0.0.0.0-8.36.115.255 allowed" in captured.err
    text = out.read_text(encoding="utf-8")
    assert "**Plan: 1 to add, 5 to change, 1 to destroy.**" in text
    assert "> - `module.egress_guard.okta_network_zone.netskope_dedicated_01`" in text
    assert "❌ FAILED" in text and "| admins denied outside trusted ranges | ❌ |" in text
    assert "````text\nTerraform will perform ```odd``` actions\n````" in text
    assert f"`{plan_checksum(load())}`" in text


def test_no_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = {"format_version": "1.2", "terraform_version": "1.15.0", "resource_changes": []}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    assert main(["report", "plan", "--plan", str(path)]) == 0
    assert "**No changes.**" in capsys.readouterr().out


def test_sensitive_values_are_masked() -> None:
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {"address": "okta_thing.x", "mode": "managed", "type": "okta_thing", "name": "x",
             "change": {"actions": ["update"], "before": {"secret": "old-secret"},
                        "after": {"secret": "new-secret"}, "after_unknown": {},
                        "after_sensitive": {"secret": True}}},
        ],
    }  # fmt: skip
    (resource,) = summarise_plan(plan).resources
    assert resource.attributes[0].before == "(sensitive)" == resource.attributes[0].after


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a valid plan JSON"),
        ('{"resource_changes": []}', "no format_version"),
        ('{"format_version": "2.0"}', "unsupported plan format_version"),
        ('{"format_version": "1.2", "resource_changes": [{"address": "a"}]}', "resource_changes"),
    ],
)
def test_bad_plan_is_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "summary.md"
    assert main(["report", "plan", "--plan", str(path), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err
    assert not out.exists()


def test_missing_plan_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "plan", "--plan", str(tmp_path / "nope.json")]) == 2
    assert "nope.json: plan file not found" in capsys.readouterr().err


def test_json_and_markdown_agree_on_checksum(capsys: pytest.CaptureFixture[str]) -> None:
    summary = run_json(capsys=capsys)
    assert summary["checksum"] == plan_checksum(load())
    assert summary["has_changes"] is True
    assert summary["terraform_version"] == "1.15.0" and summary["errored"] is False


def test_real_terraform_plan_from_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    """`terraform show -json` as Terraform 1.15 and the provider stand-in wrote it after one
    corporate CIDR was replaced in the config (every other resource a no-op)."""
    real = PLAN.parent / "plan_sandbox_update.json"
    assert main(["report", "plan", "--plan", str(real), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"] == {"add": 0, "change": 1, "destroy": 0}
    assert summary["resources"] == []
    (zone,) = summary["zones"]
    assert (zone["key"], zone["action"]) == ("corporate_01", "update")
    assert (zone["gateways_added"], zone["gateways_removed"]) == (
        ["203.0.113.128/26"],
        ["203.0.113.200/32"],
    )
    (source,) = summary["sources"]
    assert source["group"] == "corporate"
