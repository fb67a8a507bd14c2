"""The provider types egress-guard does not render today, through real Terraform core: an
authentication policy with a rule and an app assignment, and the lookup data sources."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from terraform_support import Loop, assert_state_matches_org

from generator.terraform_runner import EXIT_CHANGES, EXIT_OK
from okta_sandbox import Sandbox
from okta_sandbox.provider.launcher import StandIn, install

pytestmark = pytest.mark.terraform

CONFIG = """
terraform {
  required_providers {
    okta = { source = "okta/okta", version = "= 7.0.0" }
  }
}

data "okta_default_policy" "signon" { type = "OKTA_SIGN_ON" }
data "okta_policy" "console" {
  name = "Okta Admin Console"
  type = "ACCESS_POLICY"
}
data "okta_network_zone" "legacy" { name = "LegacyIpZone" }
data "okta_app" "dashboard" { label = "Okta Dashboard" }

resource "okta_network_zone" "single" {
  name     = "eg-test-single-ips"
  type     = "IP"
  gateways = ["192.0.2.7", "192.0.2.64/26"]
  proxies  = ["192.0.2.10-192.0.2.20"]
}

resource "okta_app_signon_policy" "test" {
  name        = "eg-test dashboard policy"
  description = "created by a test"
}

resource "okta_app_signon_policy_rule" "trusted" {
  policy_id          = okta_app_signon_policy.test.id
  name               = "eg-test trusted only"
  priority           = 1
  network_connection = "ZONE"
  network_includes   = [okta_network_zone.single.id]
  constraints        = [jsonencode({ possession = { phishingResistant = "REQUIRED" } })]
}

resource "okta_app_signon_policy_rule" "console_catch_all" {
  policy_id = data.okta_policy.console.id
  name      = "Catch-all Rule"
  priority  = 99
  access    = "DENY"
}

resource "okta_app_access_policy_assignment" "dashboard" {
  app_id    = data.okta_app.dashboard.id
  policy_id = okta_app_signon_policy.test.id
}

output "default_signon_policy" { value = data.okta_default_policy.signon.id }
output "console_policy" { value = data.okta_policy.console.id }
output "legacy_zone_type" { value = data.okta_network_zone.legacy.type }
"""


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loop]:
    base = tmp_path_factory.mktemp("types")
    stand_in: StandIn = install(base / "standin")
    workdir = base / "terraform"
    workdir.mkdir()
    (workdir / "main.tf").write_text(CONFIG)
    with Sandbox.start(seed="default") as sandbox:
        yield Loop(workdir, sandbox, stand_in)
    stand_in.remove()


def _policy(org: dict[str, object], name: str) -> dict[str, object]:
    policies = org["policies"]
    assert isinstance(policies, dict)
    return next(
        p
        for p in policies.values()
        if p["name"] == name and p["type"] in ("OKTA_SIGN_ON", "ACCESS_POLICY")
    )


def test_catch_all_rule_can_be_imported_and_managed(loop: Loop) -> None:
    org = loop.sandbox.snapshot()
    console = _policy(org, "Okta Admin Console")
    catch_all = next(r for r in org["rules"][console["id"]].values() if r["system"])
    imported = loop.runner.import_(
        "okta_app_signon_policy_rule.console_catch_all", f"{console['id']}/{catch_all['id']}"
    )
    assert imported.exit_code == EXIT_OK, imported.diagnostics()
    state = loop.state_resources()["okta_app_signon_policy_rule.console_catch_all"]
    assert (state["system"], state["priority"], state["access"]) == (True, 99, "DENY")


def test_apply_then_no_diff_for_single_ips_and_json_constraints(loop: Loop) -> None:
    applied = loop.runner.apply()
    assert applied.exit_code == EXIT_OK, applied.diagnostics()
    state = loop.runner.show_json()
    outputs = {k: v["value"] for k, v in state["values"]["outputs"].items()}
    org = loop.sandbox.snapshot()
    assert outputs["default_signon_policy"] == _policy(org, "Default Policy")["id"]
    assert outputs["console_policy"] == _policy(org, "Okta Admin Console")["id"]
    assert outputs["legacy_zone_type"] == "IP"
    zone = next(z for z in org["zones"].values() if z["name"] == "eg-test-single-ips")
    assert {"type": "RANGE", "value": "192.0.2.7-192.0.2.7"} in zone["gateways"]
    # `192.0.2.7` comes back as `192.0.2.7-192.0.2.7` and the constraint JSON is re-serialised:
    # neither may show up as a change
    plan = loop.runner.plan(detailed_exitcode=True)
    assert plan.exit_code == EXIT_OK, plan.stdout
    assert_state_matches_org(loop)
    policy_id = _policy(org, "eg-test dashboard policy")["id"]
    assert org["app_policy"][_assignment_app(loop)] == policy_id


def _assignment_app(loop: Loop) -> str:
    state = loop.runner.show_json()
    for resource in state["values"]["root_module"]["resources"]:
        if resource["type"] == "okta_app_access_policy_assignment":
            return str(resource["values"]["app_id"])
    raise AssertionError("no assignment in state")


def test_rule_deleted_out_of_band_is_recreated(loop: Loop) -> None:
    org = loop.sandbox.snapshot()
    policy_id = _policy(org, "eg-test dashboard policy")["id"]
    rule_id = next(r["id"] for r in org["rules"][policy_id].values() if not r["system"])
    loop.api("DELETE", f"/api/v1/policies/{policy_id}/rules/{rule_id}")
    plan = loop.runner.plan(detailed_exitcode=True)
    assert plan.exit_code == EXIT_CHANGES
    assert "okta_app_signon_policy_rule.trusted will be created" in plan.stdout
    assert loop.runner.apply().exit_code == EXIT_OK


def test_destroy_reassigns_the_app_and_keeps_built_ins(loop: Loop) -> None:
    app_id = _assignment_app(loop)
    result = loop.runner.destroy()
    assert result.exit_code == EXIT_OK, result.diagnostics()
    org = loop.sandbox.snapshot()
    names = {p["name"] for p in org["policies"].values()}
    assert "eg-test dashboard policy" not in names
    assert {"Default Policy", "Okta Admin Console"} <= names
    default_access = next(
        p for p in org["policies"].values() if p["type"] == "ACCESS_POLICY" and p["system"]
    )
    assert org["app_policy"][app_id] == default_access["id"]
    assert "eg-test-single-ips" not in {z["name"] for z in org["zones"].values()}
    console = _policy(org, "Okta Admin Console")
    rules = {r["name"]: r for r in org["rules"][console["id"]].values()}
    assert rules["Catch-all Rule"]["actions"]["appSignOn"]["access"] == "DENY"  # left in place
