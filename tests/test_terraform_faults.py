"""Bad paths through real Terraform core: the org going away mid-apply, a 429 storm, a priority
the API cannot honour. Each must surface Terraform's error, keep the state file consistent with
the org, and converge when apply is re-run."""

from __future__ import annotations

import shutil
import threading
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
from generator.terraform_runner import EXIT_ERROR, EXIT_OK

pytestmark = pytest.mark.terraform

# Terraform override file: short, bounded retries so the storms below stay fast.
FAST_RETRIES = 'provider "okta" {\n  max_retries      = %d\n  max_wait_seconds = 1\n}\n'


stand_in = stand_in_fixture()
rendered = rendered_fixture()


def _loop(rendered: Path, stand_in: StandIn, sandbox: Sandbox, tmp_path: Path) -> Loop:
    workdir = tmp_path / "terraform"
    if not workdir.exists():
        shutil.copytree(rendered, workdir)
    loop = Loop(workdir, sandbox, stand_in)
    if not (workdir / ".terraform").exists():
        loop.runner.init().check()
    return loop


def _names(org: dict[str, object], kind: str) -> list[str]:
    objects = org[kind]
    assert isinstance(objects, dict)
    if kind == "rules":
        return [r["name"] for rules in objects.values() for r in rules.values()]
    return [o["name"] for o in objects.values()]


def _assert_no_duplicates(sandbox: Sandbox) -> None:
    org = sandbox.snapshot()
    for kind in ("zones", "policies", "rules"):
        names = [n for n in _names(org, kind) if n.startswith("egress-guard")]
        assert len(names) == len(set(names)), f"duplicate {kind}: {sorted(names)}"


def test_sandbox_down_mid_apply_then_rerun_converges(
    rendered: Path, stand_in: StandIn, tmp_path: Path
) -> None:
    org_file = tmp_path / "org.json"
    with Sandbox.start(seed="default", state_file=org_file, faults=["latency=500"]) as sandbox:
        loop = _loop(rendered, stand_in, sandbox, tmp_path)
        loop.write("providers_override.tf", FAST_RETRIES % 2)
        stopper = threading.Timer(2.0, sandbox.stop)
        stopper.start()
        result = loop.runner.apply()
        stopper.join()
    assert result.exit_code == EXIT_ERROR
    assert "could not be reached" in result.diagnostics()

    with Sandbox.start(state_file=org_file) as restarted:  # same org, new port
        loop = Loop(loop.workdir, restarted, stand_in)
        assert_state_matches_org(loop)
        rerun = loop.runner.apply()
        assert rerun.exit_code == EXIT_OK, rerun.diagnostics()
        assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
        assert len(loop.state_resources()) == 7
        _assert_no_duplicates(restarted)


def test_429_storm_within_retries_is_absorbed(
    rendered: Path, stand_in: StandIn, tmp_path: Path
) -> None:
    with Sandbox.start(seed="default", faults=["429x4@/api/v1/zones"]) as sandbox:
        loop = _loop(rendered, stand_in, sandbox, tmp_path)
        loop.write("providers_override.tf", FAST_RETRIES % 5)
        result = loop.runner.apply()
        assert result.exit_code == EXIT_OK, result.diagnostics()
        assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK


def test_429_storm_beyond_retries_fails_cleanly_and_rerun_converges(
    rendered: Path, stand_in: StandIn, tmp_path: Path
) -> None:
    with Sandbox.start(seed="default") as sandbox:
        loop = _loop(rendered, stand_in, sandbox, tmp_path)
        loop.write("providers_override.tf", FAST_RETRIES % 1)
        plan_file = tmp_path / "storm.tfplan"
        loop.runner.plan(plan_file).check()
        sandbox.add_fault("429@/api/v1/policies")  # every policy call, from now on
        result = loop.runner.apply(plan_file)
        assert result.exit_code == EXIT_ERROR
        assert "429 E0000047" in result.diagnostics()
        assert_state_matches_org(loop)
        zones = [a for a in loop.state_resources() if ".okta_network_zone." in a]
        assert len(zones) == 2  # zones were not rate limited and got created

        sandbox.clear_faults()
        rerun = loop.runner.apply()
        assert rerun.exit_code == EXIT_OK, rerun.diagnostics()
        assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
        _assert_no_duplicates(sandbox)


def test_priority_the_api_cannot_honour(rendered: Path, stand_in: StandIn, tmp_path: Path) -> None:
    address = f"{MODULE}.okta_policy_rule_signon.admins_deny_other"
    with Sandbox.start(seed="default") as sandbox:
        loop = _loop(rendered, stand_in, sandbox, tmp_path)
        # only one other rule exists: Okta places a rule asking for priority 5 at 2
        loop.edit("generated/session_policy.tf", "priority           = 2", "priority = 5")
        result = loop.runner.apply()
        assert result.exit_code == EXIT_ERROR
        assert "provided priority was not valid, got: 5, API responded with: 2" in (
            result.diagnostics()
        )
        state = loop.state_resources()
        assert state[address]["_tainted"] == "tainted"  # kept, to be replaced next time
        assert_state_matches_org(loop)

        loop.edit("generated/session_policy.tf", "priority = 5", "priority = 2")
        rerun = loop.runner.apply()
        assert rerun.exit_code == EXIT_OK, rerun.diagnostics()
        assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
        _assert_no_duplicates(sandbox)
