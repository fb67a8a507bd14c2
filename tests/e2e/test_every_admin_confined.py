"""Issue #17's acceptance, end to end through real Terraform core and the provider stand-in: the
example applied to a sandbox org, then a user outside the admin groups made a Super
Administrator directly (the 2023 breach pattern). The example's admin group is Okta's built-in
"Okta Administrators", which Okta itself keeps to every admin-role holder (and whose members it
does not list): she is in it from that moment, so drift counts her as covered (no finding) and
`simulate --live` shows the admin session rules applying to her: sign-in and Admin Console
denied from an untrusted address, allowed from the trusted egress; the break-glass account is
allowed from everywhere. (With admin groups of one's own, drift names such a user: critical,
"direct" — tests/generator/drift/test_drift_admin_roles.py.)"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from terraform_support import CONFIG_COPY, Loop, drift, hardened_loop

from generator.cli import main as cli_main
from generator.commands.demo_cli import environment
from generator.terraform_runner import EXIT_CHANGES, EXIT_OK
from okta_sandbox.provider.launcher import StandIn

pytestmark = pytest.mark.terraform
UNTRUSTED, TRUSTED = "192.0.2.10", "198.51.100.7"  # TRUSTED: the example's corporate range


@pytest.fixture(scope="module")
def loop(
    rendered: Path, stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loop]:
    workdir = tmp_path_factory.mktemp("confined") / "terraform"
    with hardened_loop(rendered, stand_in, workdir) as loop:
        plan_file = workdir / "apply.tfplan"
        planned = loop.runner.plan(plan_file, detailed_exitcode=True)
        assert planned.exit_code == EXIT_CHANGES, planned.diagnostics()
        assert loop.runner.apply(plan_file).exit_code == EXIT_OK
        yield loop


def simulate(loop: Loop, config: Path, *argv: str) -> dict[str, Any]:
    env = {"OKTA_ORG_URL": loop.sandbox.org_url, "OKTA_API_TOKEN": loop.sandbox.api_token}
    out = io.StringIO()
    with environment(env), contextlib.redirect_stdout(out):
        code = cli_main(["simulate", "--config", str(config), "--live", *argv, "--format", "json"])
    assert code == EXIT_OK
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def test_a_directly_granted_super_admin_is_confined_by_okta_s_admins_group(loop: Loop) -> None:
    config = loop.workdir / CONFIG_COPY
    code, report = drift(loop, config)
    assert code == EXIT_OK, [f["message"] for f in report["findings"]]
    carol = loop.api("GET", "/api/v1/users/carol@example.com")
    loop.api("POST", f"/api/v1/users/{carol['id']}/roles", {"type": "SUPER_ADMIN"})

    code, report = drift(loop, config)
    assert code == EXIT_OK, [f["message"] for f in report["findings"]]
    assert not [f for f in report["findings"] if f["check"] == "admin-role-coverage"]
    notes = report["notes"]
    assert any(n.startswith("admin roles: 5 user(s) hold an admin role; 5 covered") for n in notes)
    assert any(
        "'Okta Administrators' (an admin group) is Okta's built-in group" in n for n in notes
    )

    outside = simulate(loop, config, "--user", "carol@example.com", "--ip", UNTRUSTED)
    assert outside["admin_roles"]["roles"] == ["SUPER_ADMIN (direct)"]
    assert outside["admin_roles"]["covered"] is True
    assert "member of admin group 'Okta Administrators'" in outside["admin_roles"]["coverage"]
    assert outside["decision"]["can_sign_in"] is False  # the admin session policy applies
    console = outside["decision"]["admin_console"]
    assert (console["access"], console["rule"]) == ("DENY", "egress-guard deny admins elsewhere")
    inside = simulate(loop, config, "--user", "carol@example.com", "--ip", TRUSTED)
    assert inside["decision"]["can_sign_in"] is True
    assert inside["decision"]["admin_console"]["access"] == "ALLOW"

    breakglass = simulate(loop, config, "--user", "breakglass@example.com", "--all")
    assert breakglass["admin_roles"]["covered"] is True
    for segment in breakglass["segments"]:
        assert segment["decision"]["can_sign_in"], segment["range"]
        assert segment["decision"]["can_reach_admin_console"], segment["range"]
