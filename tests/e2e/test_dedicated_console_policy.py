"""A dedicated Admin Console policy (opt-in) through real Terraform core and the provider stand-in:
created, filled with our rules (break-glass rule included, Catch-all denying), then assigned to
the Admin Console. Whether Okta accepts a new policy on its first-party Admin Console is
unverified: the sandbox plays both answers (its emulation choice `adminConsolePolicyReassignable`),
and a refusal leaves an apply error and a drift finding naming the missing assignment."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from paths import REPO
from terraform_support import CONFIG_COPY, EXAMPLE, Loop, drift

from generator.cli import main as cli_main
from generator.commands.demo import demo_config
from generator.terraform_runner import EXIT_ERROR, EXIT_OK, make_runner
from generator.terraform_session import mirror_terraform_dir
from okta_sandbox import Sandbox
from okta_sandbox.provider.launcher import StandIn

pytestmark = pytest.mark.terraform
POLICY = "egress-guard Okta Admin Console"


@pytest.fixture(scope="module")
def dedicated(tmp_path_factory: pytest.TempPathFactory, stand_in: StandIn) -> Path:
    """The example with `okta.admin_console.dedicated_policy: true`, rendered and initialised."""
    root = mirror_terraform_dir(REPO / "terraform", tmp_path_factory.mktemp("ded"), generated=False)
    config = demo_config(EXAMPLE, root / "generated", root / CONFIG_COPY)
    document = yaml.safe_load(config.read_text())
    document["okta"]["admin_console"]["dedicated_policy"] = True
    config.write_text(yaml.safe_dump(document, sort_keys=False))
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli_main(["generate", "--config", str(config), "--offline"]) == 0
    make_runner(root, stand_in.env()).init().check()
    return root


def loop_on(dedicated: Path, stand_in: StandIn, tmp: Path, reassignable: bool) -> Iterator[Loop]:
    workdir = tmp / "terraform"
    shutil.copytree(dedicated, workdir)
    # hardened: Okta's own controls on, so that drift's controls pass
    with Sandbox.start(seed="hardened") as sandbox:
        sandbox.mutate(
            lambda s: s.setdefault("emulation", {}).update(
                adminConsolePolicyReassignable=reassignable
            )
        )
        yield Loop(workdir, sandbox, stand_in)


def console_policy(loop: Loop) -> dict[str, object]:
    [app] = loop.api("GET", '/api/v1/apps?filter=name eq "saasure"')
    policy_id = app["_links"]["accessPolicy"]["href"].rsplit("/", 1)[-1]
    policy: dict[str, object] = loop.api("GET", f"/api/v1/policies/{policy_id}")
    return policy


def test_applied_and_assigned_when_okta_accepts_it(
    dedicated: Path, stand_in: StandIn, tmp_path: Path
) -> None:
    for loop in loop_on(dedicated, stand_in, tmp_path, reassignable=True):
        applied = loop.runner.apply()
        assert applied.exit_code == EXIT_OK, applied.diagnostics()
        policy = console_policy(loop)
        assert policy["name"] == POLICY
        rules = loop.api("GET", f"/api/v1/policies/{policy['id']}/rules")
        by_name = {r["name"]: r for r in rules}
        assert by_name["Catch-all Rule"]["actions"]["appSignOn"]["access"] == "DENY"
        assert "egress-guard break-glass from anywhere" in by_name
        code, report = drift(loop, loop.workdir / CONFIG_COPY)
        assert code == EXIT_OK, [f["message"] for f in report["findings"]]


def test_a_refused_assignment_fails_the_apply_and_drift_names_it(
    dedicated: Path, stand_in: StandIn, tmp_path: Path
) -> None:
    for loop in loop_on(dedicated, stand_in, tmp_path, reassignable=False):
        applied = loop.runner.apply()
        assert applied.exit_code == EXIT_ERROR
        assert "cannot be reassigned" in applied.diagnostics()
        assert console_policy(loop)["name"] == "Okta Admin Console"  # unchanged
        code, report = drift(loop, loop.workdir / CONFIG_COPY)
        assert code == 2
        [finding] = [f for f in report["findings"] if f["kind"] == "app"]
        assert finding["class"] == "missing"
        assert f"not egress-guard's dedicated policy '{POLICY}'" in finding["message"]
