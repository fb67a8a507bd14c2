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
    owned_objects,
)

from generator.terraform_runner import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from okta_sandbox import Sandbox
from okta_sandbox.provider.launcher import StandIn

pytestmark = pytest.mark.terraform

# Terraform override file: short, bounded retries so the storms below stay fast.
FAST_RETRIES = 'provider "okta" {\n  max_retries      = %d\n  max_wait_seconds = 1\n}\n'


def _loop(rendered: Path, stand_in: StandIn, sandbox: Sandbox, tmp_path: Path) -> Loop:
    workdir = tmp_path / "terraform"
    if not workdir.exists():
        shutil.copytree(rendered, workdir)
    return Loop(workdir, sandbox, stand_in)


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


class StopWhenCreated(threading.Thread):
    """Stops the sandbox as soon as the org holds `count` of our objects: mid-apply by
    construction, whatever the machine's speed. Requests already being served complete (their
    objects are in the org and Terraform gets the answer); every later one is refused."""

    def __init__(self, sandbox: Sandbox, count: int) -> None:
        super().__init__(daemon=True)
        self.sandbox, self.count = sandbox, count
        self.done = threading.Event()
        self.created_at_stop = 0
        self.start()

    def run(self) -> None:
        while not self.done.is_set():
            created = len(owned_objects(self.sandbox.snapshot()))
            if created >= self.count:
                self.sandbox.stop()
                self.created_at_stop = created
                return
            self.done.wait(0.01)

    def finish(self) -> None:
        self.done.set()
        self.join()


def test_sandbox_down_mid_apply_then_rerun_converges(
    rendered: Path, stand_in: StandIn, tmp_path: Path
) -> None:
    org_file = tmp_path / "org.json"
    plan_file = tmp_path / "all.tfplan"
    with Sandbox.start(seed="default", state_file=org_file) as sandbox:
        loop = _loop(rendered, stand_in, sandbox, tmp_path)
        loop.write("providers_override.tf", FAST_RETRIES % 2)
        loop.runner.plan(plan_file).check()  # data sources read, 6 creates planned
        # from now on every API call takes 200 ms: the watcher (polling every 10 ms) sees
        # each create long before the next request of a dependent resource arrives
        sandbox.add_fault("latency=200")
        watcher = StopWhenCreated(sandbox, count=3)
        result = loop.runner.apply(plan_file)
        watcher.finish()
    assert watcher.created_at_stop >= 3, "the sandbox was not stopped during the apply"
    assert result.exit_code == EXIT_ERROR
    assert "the Okta API could not be reached" in result.diagnostics()
    created = len(loop.state_resources())
    assert 3 <= created < 6, f"{created} of 6 resources in state: not stopped mid-apply"

    with Sandbox.start(state_file=org_file) as restarted:  # same org, new port
        loop = Loop(loop.workdir, restarted, stand_in)
        # all that was created is in state, except Admin Console rules of an interrupted
        # okta_app_signon_policy_rules create: as with okta/okta, the state is written only
        # when the whole create succeeds, and the re-run adopts those rules by name
        console_rules = frozenset(
            {"egress-guard admins from trusted egress", "egress-guard deny admins elsewhere"}
        )
        assert_state_matches_org(loop, adoptable=console_rules)
        owned = owned_objects(restarted.snapshot())
        assert created <= len(owned) <= created + 2
        rerun_plan = tmp_path / "rest.tfplan"
        replan = loop.runner.plan(rerun_plan, detailed_exitcode=True)
        assert replan.exit_code == EXIT_CHANGES, replan.diagnostics()
        rerun = loop.runner.apply(rerun_plan)
        assert rerun.exit_code == EXIT_OK, rerun.diagnostics()
        assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
        assert len(loop.state_resources()) == 6  # the grouped resource holds two rules
        assert len(owned_objects(restarted.snapshot())) == 7
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
    error = "provided priority was not valid, got: 5, API responded with: 2"
    with Sandbox.start(seed="default") as sandbox:
        loop = _loop(rendered, stand_in, sandbox, tmp_path)
        # only one other rule exists: Okta places a rule asking for priority 5 at 2
        loop.edit("generated/session_policy.tf", "priority           = 2", "priority = 5")
        result = loop.runner.apply()
        assert result.exit_code == EXIT_ERROR
        assert error in result.diagnostics()
        first = loop.state_resources()[address]
        assert first["_tainted"] == "tainted"  # kept, to be replaced next time
        assert_state_matches_org(loop)

        # unchanged config: okta/okta fails the same way every time (the tainted rule is
        # replaced by a new one the API again puts at 2); the state stays consistent
        again = loop.runner.apply()
        assert again.exit_code == EXIT_ERROR
        assert error in again.diagnostics()
        second = loop.state_resources()[address]
        assert second["_tainted"] == "tainted" and second["id"] != first["id"]
        assert_state_matches_org(loop)
        _assert_no_duplicates(sandbox)  # the first attempt's rule was deleted, not left behind

        loop.edit("generated/session_policy.tf", "priority = 5", "priority = 2")
        rerun = loop.runner.apply()
        assert rerun.exit_code == EXIT_OK, rerun.diagnostics()
        assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK
        assert loop.state_resources()[address]["_tainted"] is None
        _assert_no_duplicates(sandbox)
