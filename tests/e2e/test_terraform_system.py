"""Objects Okta owns, through real Terraform core and the provider stand-in: the immutable
"Default Policy" and "Default Rule" (imported, then changed or destroyed: the provider's error,
the org untouched), the Admin Console's "Catch-all Rule" (destroy only forgets it), and forced
replacement of a sign-on rule whose name or policy_id changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from terraform_support import Loop

from generator.terraform_runner import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from okta_sandbox import Sandbox
from okta_sandbox.provider.launcher import StandIn, install

pytestmark = pytest.mark.terraform

VERSIONS = """terraform {
  required_providers {
    okta = { source = "okta/okta", version = "= 7.0.0" }
  }
}
"""
# Okta's own objects, imported by id and then "managed": the Default Policy and Default Rule
# with a change, the Catch-all Rule exactly as it is.
SYSTEM = """
import {
  to = okta_policy_signon.default
  id = "%(policy)s"
}
import {
  to = okta_policy_rule_signon.default
  id = "%(policy)s/%(rule)s"
}
import {
  to = okta_app_signon_policy_rule.catch_all
  id = "%(console)s/%(catch_all)s"
}

resource "okta_policy_signon" "default" {
  name        = "Default Policy"
  description = "changed by a test"
}

resource "okta_policy_rule_signon" "default" {
  policy_id    = "%(policy)s"
  name         = "Default Rule"
  session_idle = 60
}

resource "okta_app_signon_policy_rule" "catch_all" {
  policy_id                   = "%(console)s"
  name                        = "Catch-all Rule"
  priority                    = 99
  access                      = "DENY"
  re_authentication_frequency = "PT12H"
}
"""
RULE = """
resource "okta_policy_signon" "a" { name = "eg-test policy a" }
resource "okta_policy_signon" "b" { name = "eg-test policy b" }

resource "okta_policy_rule_signon" "r" {
  policy_id = okta_policy_signon.%s.id
  name      = "%s"
  priority  = 1
}
"""


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, StandIn]]:
    stand_in = install(tmp_path_factory.mktemp("standin"))
    with Sandbox.start(seed="default") as sandbox:
        yield sandbox, stand_in
    stand_in.remove()


def _loop(org: tuple[Sandbox, StandIn], workdir: Path) -> Loop:
    workdir.mkdir()
    (workdir / "versions.tf").write_text(VERSIONS)
    return Loop(workdir, *org)


def _okta_owned(snapshot: dict[str, Any]) -> dict[str, Any]:
    """ids of the Default Policy, its Default Rule, the Admin Console policy and its Catch-all
    Rule, and the JSON of those objects."""
    policies = snapshot["policies"].values()
    policy = next(p for p in policies if p["type"] == "OKTA_SIGN_ON" and p["system"])
    console = next(p for p in policies if p["name"] == "Okta Admin Console")
    rule = next(r for r in snapshot["rules"][policy["id"]].values() if r["system"])
    catch_all = next(r for r in snapshot["rules"][console["id"]].values() if r["system"])
    return {
        "ids": {
            "policy": policy["id"],
            "rule": rule["id"],
            "console": console["id"],
            "catch_all": catch_all["id"],
        },
        "json": [policy, rule, console, catch_all],
    }


def test_default_policy_and_rule_refuse_changes_and_destroy_and_stay_untouched(
    org: tuple[Sandbox, StandIn], tmp_path: Path
) -> None:
    loop = _loop(org, tmp_path / "system")
    before = _okta_owned(loop.sandbox.snapshot())
    assert (before["json"][0]["name"], before["json"][1]["name"]) == (
        "Default Policy",
        "Default Rule",
    )
    loop.write("system.tf", SYSTEM % before["ids"])

    changed = loop.runner.apply()
    assert changed.exit_code == EXIT_ERROR
    assert "Default Policy is immutable" in changed.diagnostics()
    assert "Default Rule is immutable" in changed.diagnostics()
    assert set(loop.state_resources()) == {
        "okta_policy_signon.default",
        "okta_policy_rule_signon.default",
        "okta_app_signon_policy_rule.catch_all",
    }  # imported, and kept as they are in Okta
    assert _okta_owned(loop.sandbox.snapshot()) == before

    (loop.workdir / "system.tf").unlink()  # now Terraform plans to destroy all three
    destroyed = loop.runner.apply()
    assert destroyed.exit_code == EXIT_ERROR
    assert "Default Policy is immutable" in destroyed.diagnostics()
    assert "Default Rule is immutable" in destroyed.diagnostics()
    assert set(loop.state_resources()) == {
        "okta_policy_signon.default",
        "okta_policy_rule_signon.default",
    }  # the Catch-all Rule is only dropped from state
    assert _okta_owned(loop.sandbox.snapshot()) == before

    # the way out the provider documents: forget them
    for address in ("okta_policy_signon.default", "okta_policy_rule_signon.default"):
        loop.runner.run("state", "rm", address).check()
    assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
    assert _okta_owned(loop.sandbox.snapshot()) == before


def _rules_named(snapshot: dict[str, Any], policy_id: str) -> dict[str, str]:
    return {r["id"]: r["name"] for r in snapshot["rules"].get(policy_id, {}).values()}


def _replace(loop: Loop, policy: str, name: str, plan_file: Path) -> dict[str, Any]:
    """Change the rule, check the plan replaces it, apply; returns the rule's state."""
    loop.write("rule.tf", RULE % (policy, name))
    plan = loop.runner.plan(plan_file, detailed_exitcode=True)
    assert plan.exit_code == EXIT_CHANGES, plan.diagnostics()
    assert "okta_policy_rule_signon.r must be replaced" in plan.stdout
    changes = loop.runner.show_json(plan_file)["resource_changes"]
    actions = {c["address"]: c["change"]["actions"] for c in changes}
    assert actions["okta_policy_rule_signon.r"] == ["delete", "create"]
    applied = loop.runner.apply(plan_file)
    assert applied.exit_code == EXIT_OK, applied.diagnostics()
    assert "1 added, 0 changed, 1 destroyed" in applied.stdout
    return loop.state_resources()["okta_policy_rule_signon.r"]


def test_a_new_name_or_policy_replaces_a_sign_on_rule(
    org: tuple[Sandbox, StandIn], tmp_path: Path
) -> None:
    loop = _loop(org, tmp_path / "rule")
    loop.write("rule.tf", RULE % ("a", "eg-test rule"))
    assert loop.runner.apply().exit_code == EXIT_OK
    state = loop.state_resources()
    first, policy_a = state["okta_policy_rule_signon.r"], state["okta_policy_signon.a"]["id"]
    policy_b = state["okta_policy_signon.b"]["id"]

    renamed = _replace(loop, "a", "eg-test rule renamed", tmp_path / "rename.tfplan")
    assert renamed["id"] != first["id"]
    by_id = _rules_named(loop.sandbox.snapshot(), policy_a)
    assert first["id"] not in by_id and by_id[renamed["id"]] == "eg-test rule renamed"

    moved = _replace(loop, "b", "eg-test rule renamed", tmp_path / "move.tfplan")
    snapshot = loop.sandbox.snapshot()
    assert moved["policy_id"] == policy_b and moved["id"] != renamed["id"]
    assert "eg-test rule renamed" not in _rules_named(snapshot, policy_a).values()
    assert _rules_named(snapshot, policy_b)[moved["id"]] == "eg-test rule renamed"
    assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
