"""MFA for every user through real Terraform core and the provider stand-in: `mfa.everyone`
and `mfa.app_policies` rendered (the two-factor rule at priority 98, directly above the
Catch-all Rule, where that allows with one factor), planned, applied (ACTIVE, or INACTIVE in
monitor mode), re-planned clean, and drift in sync afterwards with the one-factor paths
closed."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from paths import REPO
from terraform_support import EXAMPLE, MODULE, Loop, drift

from generator.cli import main as cli_main
from generator.commands.demo import demo_config
from generator.terraform_runner import EXIT_CHANGES, EXIT_OK, make_runner
from generator.terraform_session import mirror_terraform_dir
from okta_sandbox import Sandbox
from okta_sandbox.provider.launcher import StandIn

MFA_CREATES = {
    f"{MODULE}.okta_policy_rule_signon.everyone_mfa",
    f"{MODULE}.okta_app_signon_policy_rules.mfa_okta_dashboard",
    f"{MODULE}.okta_app_signon_policy_rules.admin_console",
}


def rendered_with_mfa(target: Path, mode: str, sandbox: Sandbox) -> Path:
    """Generated with the sandbox's credentials: generate reads the named policies' Catch-all
    Rules (the Dashboard's allows with one factor, the Admin Console's denies)."""
    example = yaml.safe_load(EXAMPLE.read_text())
    example["mode"] = mode
    example["mfa"] = {"everyone": True, "app_policies": ["Okta Dashboard", "Okta Admin Console"]}
    source = target / "source.yaml"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(yaml.safe_dump(example, sort_keys=False))
    root = mirror_terraform_dir(REPO / "terraform", target / "terraform", generated=False)
    config = demo_config(source, root / "generated", root / "egress-policy.yaml")
    credentials = {"OKTA_ORG_URL": sandbox.org_url, "OKTA_API_TOKEN": sandbox.api_token}
    with contextlib.redirect_stdout(io.StringIO()), mock.patch.dict(os.environ, credentials):
        assert cli_main(["generate", "--config", str(config), "--offline"]) == 0
    return root


def priorities(org: dict[str, Any], policy_name: str) -> list[tuple[str, int]]:
    [policy_id] = [
        k
        for k, p in org["policies"].items()
        if p["name"] == policy_name and p["type"] in ("OKTA_SIGN_ON", "ACCESS_POLICY")
    ]
    rules = org["rules"][policy_id].values()
    return sorted(((r["name"], r["priority"]) for r in rules), key=lambda item: item[1])


def rules_named(org: dict[str, Any], name: str) -> dict[str, str]:
    """policy name -> status of the rules called `name`."""
    found = {}
    for policy_id, rules in org["rules"].items():
        for rule in rules.values():
            if rule["name"] == name:
                found[org["policies"][policy_id]["name"]] = rule["status"]
    return found


@pytest.mark.parametrize("mode", ["enforce", "monitor"])
def test_mfa_rules_apply_and_drift_is_clean(mode: str, stand_in: StandIn, tmp_path: Path) -> None:
    with Sandbox.start(seed="default") as sandbox:
        root = rendered_with_mfa(tmp_path, mode, sandbox)
        assert (root / "generated" / "mfa.tf").exists()
        loop = Loop(root, sandbox, stand_in)
        make_runner(root, stand_in.env()).init().check()
        plan_file = tmp_path / "mfa.tfplan"
        planned = loop.runner.plan(plan_file, detailed_exitcode=True)
        assert planned.exit_code == EXIT_CHANGES, planned.diagnostics()
        changes = loop.runner.show_json(plan_file)["resource_changes"]
        creates = {c["address"] for c in changes if c["change"]["actions"] == ["create"]}
        assert creates >= MFA_CREATES
        applied = loop.runner.apply(plan_file)
        assert applied.exit_code == EXIT_OK, applied.diagnostics()
        again = loop.runner.plan(detailed_exitcode=True)
        assert again.exit_code == EXIT_OK, again.stdout + again.diagnostics()
        status = "ACTIVE" if mode == "enforce" else "INACTIVE"
        # none on the Admin Console's policy: its Catch-all Rule denies (an ALLOW would open it)
        assert rules_named(sandbox.snapshot(), "egress-guard require MFA") == {
            "Default Policy": status,
            "Okta Dashboard": status,
        }
        dashboard = priorities(sandbox.snapshot(), "Okta Dashboard")
        assert dashboard == [("egress-guard require MFA", 98), ("Catch-all Rule", 99)]
        code, report = drift(loop, root / "egress-policy.yaml")
    # no finding (Okta's own controls of the default seed, not egress-guard's, may still fail)
    assert code in (0, 2) and report["findings"] == [], json.dumps(report["findings"], indent=1)
    if mode == "monitor":
        assert any(n.startswith("monitor mode: every user (Everyone)") for n in report["notes"])


def test_everyone_rule_goes_below_the_default_policys_own_deny(
    stand_in: StandIn, tmp_path: Path
) -> None:
    """An org whose Default Policy holds a deny rule of its own (Everyone outside the office)
    and a Default Rule stricter than Okta's (idle 15 minutes, lifetime 8 hours): generate with
    credentials places the rule for Everyone directly above the Default Rule (priority 2, with
    its session settings), Terraform applies it there (Okta keeps the exact priority), the
    re-plan is clean, and the org's deny still decides outside the office."""
    with Sandbox.start(seed="default") as sandbox:
        office = "192.0.2.0/24"
        api = Loop(tmp_path, sandbox, stand_in).api
        zone = api(
            "POST",
            "/api/v1/zones",
            {"type": "IP", "name": "Head office", "gateways": [{"type": "CIDR", "value": office}]},
        )
        [default] = [p for p in api("GET", "/api/v1/policies?type=OKTA_SIGN_ON") if p["system"]]
        rules_path = f"/api/v1/policies/{default['id']}/rules"
        api("POST", rules_path, {
            "type": "SIGN_ON", "name": "deny outside the office", "priority": 1,
            "conditions": {"network": {"connection": "ZONE", "exclude": [zone["id"]]}},
            "actions": {"signon": {"access": "DENY", "requireFactor": False}},
        })  # fmt: skip
        [rule] = [r for r in api("GET", rules_path) if r["system"]]
        rule["actions"]["signon"]["session"] |= {
            "maxSessionIdleMinutes": 15,
            "maxSessionLifetimeMinutes": 480,
        }
        api("PUT", f"{rules_path}/{rule['id']}", {k: rule[k] for k in ("type", "name", "actions")})
        root = rendered_with_mfa(tmp_path / "run", "enforce", sandbox)
        loop = Loop(root, sandbox, stand_in)
        make_runner(root, stand_in.env()).init().check()
        applied = loop.runner.apply()
        assert applied.exit_code == EXIT_OK, applied.diagnostics()
        again = loop.runner.plan(detailed_exitcode=True)
        assert again.exit_code == EXIT_OK, again.stdout + again.diagnostics()
        assert priorities(sandbox.snapshot(), "Default Policy") == [
            ("deny outside the office", 1),
            ("egress-guard require MFA", 2),
            ("Default Rule", 3),
        ]
        [ours] = [r for r in api("GET", rules_path) if r["name"] == "egress-guard require MFA"]
        session = ours["actions"]["signon"]["session"]
        assert (session["maxSessionIdleMinutes"], session["maxSessionLifetimeMinutes"]) == (15, 480)
        assert ours["actions"]["signon"]["requireFactor"] is True
        # the org's deny still decides outside the office; inside, MFA is now required
        outside = simulate_live(sandbox, root / "egress-policy.yaml", "203.0.113.9")
        inside = simulate_live(sandbox, root / "egress-policy.yaml", "192.0.2.10")
        _, report = drift(loop, root / "egress-policy.yaml")
    assert (outside["access"], outside["rule"]) == ("DENY", "deny outside the office")
    assert (inside["access"], inside["rule"], inside["mfa_required"]) == (
        "ALLOW",
        "egress-guard require MFA",
        True,
    )
    checks = {f.get("check") for f in report["findings"]}
    assert not {c for c in checks if c and c.startswith("mfa-")}, report["findings"]
    assert not [f for f in report["findings"] if "MFA rule for Everyone" in f["message"]]


def simulate_live(sandbox: Sandbox, config: Path, address: str) -> dict[str, Any]:
    """`simulate --live` for an ordinary user of the seed (in no group of the config) from
    `address`: the Global Session Policy decision."""
    credentials = {"OKTA_ORG_URL": sandbox.org_url, "OKTA_API_TOKEN": sandbox.api_token}
    out = io.StringIO()
    argv = ["simulate", "--config", str(config), "--live", "--user", "pat@example.com"]
    argv += ["--ip", address, "--format", "json"]
    with contextlib.redirect_stdout(out), mock.patch.dict(os.environ, credentials):
        assert cli_main(argv) == 0
    answer: dict[str, Any] = json.loads(out.getvalue())["decision"]["global_session_policy"]
    return answer
