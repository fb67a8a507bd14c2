"""The plan checksum apply.yml relies on: stable for the same changes, different otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from paths import DATA

from generator.cli import main
from generator.report.plan import plan_checksum

PLAN = DATA / "plan_ip_refresh.json"


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PLAN.read_text(encoding="utf-8"))
    return data


def by_name(plan: dict[str, Any], name: str) -> dict[str, Any]:
    change: dict[str, Any] = next(rc for rc in plan["resource_changes"] if rc["name"] == name)
    return change


def test_same_changes_same_checksum() -> None:
    plan = load()
    shuffled = load()
    shuffled["resource_changes"].reverse()
    shuffled["timestamp"] = "2026-11-23T00:00:00Z"
    for rc in shuffled["resource_changes"]:
        rc["change"] = dict(reversed(list(rc["change"].items())))  # key order is irrelevant
    assert plan_checksum(plan) == plan_checksum(shuffled)


def test_no_op_and_reads_do_not_count() -> None:
    plan = load()
    other = load()
    by_name(other, "corporate_02")["change"]["before"]["id"] = "nzoRefreshedId"
    by_name(other, "okta_administrators")["change"]["after"] = {"name": "Admins"}
    assert plan_checksum(plan) == plan_checksum(other)


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("corporate_01", lambda c: c["after"].update(gateways=["198.51.100.0/24", "1.1.1.0/24"])),
        ("admins_deny_other", lambda c: c["after"].update(status="ACTIVE")),
        ("admins_deny_other", lambda c: c["before"].update(priority=3)),  # live state moved
        ("corporate_02", lambda c: c.update(actions=["delete"], after=None)),
        ("feed_zscaler_01", lambda c: c.update(actions=["delete", "create"])),
    ],
)
def test_any_effective_difference_changes_checksum(name: str, edit: Any) -> None:
    plan = load()
    other = load()
    edit(by_name(other, name)["change"])
    assert plan_checksum(plan) != plan_checksum(other)


def test_expect_refuses_a_different_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reviewed = tmp_path / "reviewed.txt"
    assert main(["report", "plan-checksum", "--plan", str(PLAN), "--output", str(reviewed)]) == 0
    checksum = capsys.readouterr().out.strip()
    assert checksum.startswith("sha256:") and reviewed.read_text() == checksum + "\n"

    assert main(["report", "plan-checksum", "--plan", str(PLAN), "--expect", str(reviewed)]) == 0
    assert main(["report", "plan-checksum", "--plan", str(PLAN), "--expect", checksum]) == 0
    capsys.readouterr()

    changed = load()
    by_name(changed, "admins_deny_other")["change"]["after"]["status"] = "ACTIVE"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    assert main(["report", "plan-checksum", "--plan", str(path), "--expect", str(reviewed)]) == 1
    err = capsys.readouterr().err
    assert "differs from the reviewed one" in err and checksum in err


def test_expect_must_be_a_checksum(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("not a checksum\n")
    assert main(["report", "plan-checksum", "--plan", str(PLAN), "--expect", str(bad)]) == 2
    assert "holds no sha256" in capsys.readouterr().err
