"""Okta's own controls configured through Terraform, end to end (real Terraform core, the
provider stand-in, a sandbox org): ThreatInsight, an API token restricted to the trusted zones
(its id looked up by name, kept in the lock, imported by an `import` block in the root module,
never destroyed) and the anonymizer deny rules; drift then finds those controls passing."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from terraform_support import EXAMPLE, MODULE, Loop, drift

from generator.cli import main as cli_main
from generator.commands.demo import demo_config
from generator.lockfile import read_lock
from generator.terraform_runner import EXIT_CHANGES, EXIT_ERROR, EXIT_OK, make_runner
from generator.terraform_session import mirror_terraform_dir
from okta_sandbox import Sandbox
from okta_sandbox.provider.launcher import StandIn

CONTROLS = {
    "threat_insight": {"manage": True},
    "anonymizer_deny": True,
    "api_tokens": {"restrict": [{"name": "terraform"}]},
}


@contextlib.contextmanager
def okta_env(sandbox: Sandbox | None) -> Iterator[None]:
    names = ("OKTA_ORG_URL", "OKTA_API_TOKEN")
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ.pop(name, None)
    if sandbox is not None:
        os.environ.update({"OKTA_ORG_URL": sandbox.org_url, "OKTA_API_TOKEN": sandbox.api_token})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def generate(config: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli_main(["generate", "--config", str(config), *extra])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def loop(stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loop]:
    base = tmp_path_factory.mktemp("controls")
    root = mirror_terraform_dir(Path(__file__).parents[2] / "terraform", base / "tf", False)
    config = demo_config(EXAMPLE, root / "generated", root / "egress-policy.yaml")
    document = yaml.safe_load(config.read_text())
    document["controls"] = CONTROLS
    config.write_text(yaml.safe_dump(document))
    with Sandbox.start(seed="default") as sandbox:
        yield Loop(root, sandbox, stand_in)


@pytest.fixture(scope="module")
def config(loop: Loop) -> Path:
    return loop.workdir / "egress-policy.yaml"


def _token(loop: Loop, name: str) -> dict[str, Any]:
    tokens: list[dict[str, Any]] = loop.api("GET", "/api/v1/api-tokens")
    return next(t for t in tokens if t["name"] == name)


def test_generate_resolves_the_token_by_name_only_with_credentials(
    loop: Loop, config: Path
) -> None:
    with okta_env(None):
        code, output = generate(config)
    assert code == 2 and "no id recorded for 'terraform'" in output
    with okta_env(loop.sandbox):
        code, output = generate(config)
    assert code == 0, output
    token_id = _token(loop, "terraform")["id"]
    lock = read_lock(loop.workdir / "generated")
    assert lock is not None and dict(lock.api_tokens) == {"terraform": token_id}
    imports = (loop.workdir / "egress-guard-imports.tf").read_text()
    assert f"to = {MODULE}.okta_api_token.terraform" in imports and token_id in imports
    controls = (loop.workdir / "generated" / "controls.tf").read_text()
    assert "prevent_destroy = true" in controls
    with okta_env(None):  # later runs take the id from the lock
        assert generate(config, "--check")[0] == 0
        assert generate(config, "--offline")[0] == 0


def test_plan_imports_the_token_and_apply_configures_the_controls(loop: Loop) -> None:
    make_runner(loop.workdir, loop.stand_in.env()).init().check()
    plan = loop.runner.plan(detailed_exitcode=True)
    assert plan.exit_code == EXIT_CHANGES, plan.diagnostics()
    assert "Plan: 1 to import, 9 to add, 1 to change, 0 to destroy." in plan.stdout
    assert loop.runner.apply().exit_code == EXIT_OK
    zones = {z["name"]: z for z in loop.api("GET", "/api/v1/zones")}
    trusted = {
        zones[n]["id"] for n in ("egress-guard-corporate-01", "egress-guard-netskope-shared-01")
    }
    threat = loop.api("GET", "/api/v1/threats/configuration")
    assert (threat["action"], set(threat["excludeZones"])) == ("block", trusted)
    network = _token(loop, "terraform")["network"]
    assert network["connection"] == "ZONE" and set(network["include"]) == trusted
    anonymizers = zones["egress-guard-anonymizers"]
    assert (anonymizers["type"], anonymizers["usage"]) == ("DYNAMIC_V2", "POLICY")
    assert anonymizers["ipServiceCategories"]["include"] == ["ALL_ANONYMIZERS"]
    assert loop.runner.plan(detailed_exitcode=True).exit_code == EXIT_OK


def test_drift_finds_the_configured_controls_passing(loop: Loop, config: Path) -> None:
    code, report = drift(loop, config)
    assert code == EXIT_OK, report
    controls = {c["id"]: c for c in report["controls"]}
    assert controls["threatinsight"]["status"] == "pass"
    assert controls["anonymizer-blocking"]["status"] == "pass"
    by_subject = {e["subject"].split(" (")[0]: e for e in controls["api-token-network"]["evidence"]}
    assert by_subject["API token 'terraform'"]["status"] == "pass"
    # the demo's own token stays unrestricted: accepted by examples/drift-ignore.yaml
    assert by_subject["API token 'egress-guard sandbox'"]["accepted"]


def test_destroy_never_revokes_the_token(loop: Loop) -> None:
    destroyed = loop.runner.run("destroy", "-auto-approve")
    assert destroyed.exit_code == EXIT_ERROR
    assert "prevent_destroy" in destroyed.diagnostics()
    assert _token(loop, "terraform")["network"]["connection"] == "ZONE"  # still there
