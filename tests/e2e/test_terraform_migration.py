"""Upgrading from 0.1 (one `okta_app_signon_policy_rule` per Admin Console rule) to the grouped
`okta_app_signon_policy_rules`: the rendered `removed` blocks forget the old resources without
a single API call, the grouped resource adopts the same rules by name, nothing is deleted or
duplicated and the admins' access never lapses (docs/terraform.md, "From 0.1")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from terraform_support import MODULE, Loop, assert_state_matches_org

from generator.render.hcl import HEADER
from generator.terraform_runner import EXIT_CHANGES, EXIT_OK
from okta_sandbox import Sandbox
from okta_sandbox.provider.launcher import StandIn

pytestmark = pytest.mark.terraform

# What egress-guard 0.1 rendered into app_policies.tf for the example config
RULES_0_1 = (
    HEADER
    + """

resource "okta_app_signon_policy_rule" "admin_console_allow_trusted" {
  policy_id                   = data.okta_app_signon_policy.admin_console.id
  name                        = "egress-guard admins from trusted egress"
  priority                    = 1
  status                      = "ACTIVE"
  access                      = "ALLOW"
  network_connection          = "ZONE"
  network_includes = [
    okta_network_zone.corporate_01.id,
    okta_network_zone.netskope_shared_01.id,
  ]
  groups_included             = [data.okta_group.okta_administrators.id]
  factor_mode                 = "2FA"
  re_authentication_frequency = "PT2H"
}

resource "okta_app_signon_policy_rule" "admin_console_deny_other" {
  policy_id                   = data.okta_app_signon_policy.admin_console.id
  name                        = "egress-guard deny admins elsewhere"
  priority                    = 2
  status                      = "ACTIVE"
  access                      = "DENY"
  network_connection          = "ZONE"
  network_excludes = [
    okta_network_zone.corporate_01.id,
    okta_network_zone.netskope_shared_01.id,
  ]
  groups_included             = [data.okta_group.okta_administrators.id]
  groups_excluded             = [data.okta_group.break_glass_accounts.id]
  users_excluded              = [data.okta_user.breakglass_example_com.id]
  factor_mode                 = "2FA"
  re_authentication_frequency = "PT2H"

  depends_on = [okta_app_signon_policy_rule.admin_console_allow_trusted]
}
"""
)
OLD = (
    f"{MODULE}.okta_app_signon_policy_rule.admin_console_allow_trusted",
    f"{MODULE}.okta_app_signon_policy_rule.admin_console_deny_other",
)
NEW = f"{MODULE}.okta_app_signon_policy_rules.admin_console"


def _console_rules(loop: Loop) -> dict[str, tuple[str, int]]:
    org = loop.sandbox.snapshot()
    console = next(p for p in org["policies"].values() if p["name"] == "Okta Admin Console")
    rules = org["rules"][console["id"]].values()
    return {r["name"]: (r["id"], r["priority"]) for r in rules if r["name"].startswith("egress")}


def test_upgrade_from_one_resource_per_rule_keeps_the_rules(
    rendered: Path, stand_in: StandIn, tmp_path: Path
) -> None:
    workdir = tmp_path / "terraform"
    shutil.copytree(rendered, workdir)
    generated = workdir / "generated"
    new_rules = (generated / "app_policies.tf").read_text(encoding="utf-8")
    (generated / "app_policies.tf").write_text(RULES_0_1, encoding="utf-8")
    with Sandbox.start(seed="default") as sandbox:
        loop = Loop(workdir, sandbox, stand_in)
        assert loop.runner.apply().exit_code == EXIT_OK  # 0.1 applied
        assert set(OLD) <= set(loop.state_resources())
        before = _console_rules(loop)
        assert len(before) == 2

        (generated / "app_policies.tf").write_text(new_rules, encoding="utf-8")
        plan_file = tmp_path / "upgrade.tfplan"
        plan = loop.runner.plan(plan_file, detailed_exitcode=True)
        assert plan.exit_code == EXIT_CHANGES, plan.diagnostics()
        changes = {
            c["address"]: c["change"]["actions"]
            for c in loop.runner.show_json(plan_file)["resource_changes"]
            if c["change"]["actions"] != ["no-op"]
        }
        # forgotten (Terraform's "forget" action), not destroyed; the grouped resource created
        assert changes == {OLD[0]: ["forget"], OLD[1]: ["forget"], NEW: ["create"]}

        applied = loop.runner.apply(plan_file)
        assert applied.exit_code == EXIT_OK, applied.diagnostics()
        assert _console_rules(loop) == before  # same rules, same ids, same priorities
        state = loop.state_resources()
        assert not set(OLD) & set(state)
        assert {r["id"] for r in state[NEW]["rule"]} == {rid for rid, _ in before.values()}
        assert_state_matches_org(loop)
        assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
