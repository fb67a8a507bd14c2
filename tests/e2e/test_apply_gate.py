"""`egress-guard terraform apply`, gated and recoverable, against sandbox orgs through the real
CLI: refused on stale output, hand-edited generated files and a lockout preflight that fails on
the LIVE org (exit 1, the reason named); `--force` overrides loudly; no silent apply without a
terminal; SIGTERM mid-apply stops Terraform gracefully (everything created is in the state);
objects left outside the state are named with their exact `terraform import` commands."""

from __future__ import annotations

import io
import os
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from terraform_support import owned_objects

from generator.cli import main
from generator.commands.tf_apply import confirm
from okta_sandbox import Sandbox

PREFIX = "egress-guard"
EDITS = {
    '"<CHANGE ME: a corporate egress CIDR, e.g. 198.51.100.0/24>"': "8.8.8.0/24",
    '"<CHANGE ME: the name of your Okta admin group>"': "Okta Administrators",
    '"<CHANGE ME: the login of a break-glass account>"': "breakglass@example.com",
    "mode: monitor": "mode: enforce",
    "phishing_resistant: false": "phishing_resistant: true",  # the hardened org's controls
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`egress-guard init` + the placeholders edited + `generate`, as the README says."""
    repo = tmp_path / "repo"
    assert main(["init", str(repo)]) == 0
    config = repo / "egress-policy.yaml"
    text = config.read_text()
    for old, new in EDITS.items():
        text = text.replace(old, new)
    config.write_text(text)
    assert main(["generate", "--config", str(config)]) == 0
    monkeypatch.chdir(repo)
    monkeypatch.delenv("TERRAFORM_BIN", raising=False)
    return repo


@pytest.fixture
def org(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """The default org with Okta's own post-breach controls on (drift checks those too)."""
    with Sandbox.start(seed="hardened") as sandbox:
        monkeypatch.setenv("EGRESS_GUARD_SANDBOX_URL", sandbox.org_url)
        monkeypatch.setenv("EGRESS_GUARD_SANDBOX_TOKEN", sandbox.api_token)
        yield sandbox


def apply(*extra: str) -> int:
    return main(["terraform", "--sandbox", "--config", "egress-policy.yaml", "apply", *extra])


def api(org: Sandbox, method: str, path: str, body: Any = None) -> Any:
    answer = requests.request(
        method,
        org.org_url + path,
        json=body,
        headers={"Authorization": f"SSWS {org.api_token}"},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json() if answer.content else None


def owned(org: Sandbox) -> dict[str, str]:
    return owned_objects(org.snapshot(), PREFIX)


def test_stale_output_is_refused_and_nothing_is_applied(
    project: Path, org: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "egress-policy.yaml"
    config.write_text(config.read_text().replace("8.8.8.0/24", "8.8.8.0/24\n    - 9.9.9.0/24"))
    assert apply("--auto-approve") == 1
    err = capsys.readouterr().err
    assert "refusing to apply (1 reason(s))" in err
    assert "is stale against egress-policy.yaml: egress-guard.lock.json (differs), zones.tf" in err
    assert "run `egress-guard generate --config egress-policy.yaml`" in err
    assert owned(org) == {}


def test_a_hand_edited_generated_file_is_refused_then_forced_loudly(
    project: Path, org: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    zones = project / "terraform" / "generated" / "zones.tf"
    zones.write_text(zones.read_text().replace("8.8.8.0/24", "8.8.0.0/16"))
    assert apply("--auto-approve") == 1
    err = capsys.readouterr().err
    assert "hand-edited generated files" in err
    assert "zones.tf (hand-edited: its sha256 differs from the lock's)" in err
    assert "stale" not in err  # one reason per problem: the edit is not also called stale
    assert owned(org) == {}
    assert apply("--auto-approve", "--force") == 0
    err = capsys.readouterr().err
    assert "WARNING: --force: applying despite 1 refusal(s)" in err
    assert len(owned(org)) == 7


def test_the_preflight_runs_against_the_live_org(
    project: Path, org: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """Offline the config passes (a fresh org's defaults); in this org a priority-1 policy for
    a group the break-glass account is in denies it everywhere: the apply is refused."""
    group = api(org, "POST", "/api/v1/groups", {"profile": {"name": "Vendors"}})
    user = api(org, "GET", "/api/v1/users/breakglass@example.com")
    api(org, "PUT", f"/api/v1/groups/{group['id']}/users/{user['id']}")
    policy = api(org, "POST", "/api/v1/policies", {
        "type": "OKTA_SIGN_ON", "name": "Vendors blocked", "priority": 1,
        "conditions": {"people": {"groups": {"include": [group["id"]]}}},
    })  # fmt: skip
    api(org, "POST", f"/api/v1/policies/{policy['id']}/rules", {
        "type": "SIGN_ON", "name": "deny everywhere",
        "conditions": {"network": {"connection": "ANYWHERE"}},
        "actions": {"signon": {"access": "DENY"}},
    })  # fmt: skip
    assert main(["generate", "--config", "egress-policy.yaml", "--check"]) == 0  # offline: ok
    capsys.readouterr()
    assert apply("--auto-approve") == 1
    err = capsys.readouterr().err
    assert f"lockout preflight failed on the live org {org.org_url}" in err
    assert "break-glass breakglass@example.com" in err
    assert "Global Session Policy 'Vendors blocked', rule 'deny everywhere'" in err
    assert owned(org) == {}


def test_without_a_terminal_apply_needs_auto_approve(
    project: Path, org: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    assert apply() == 1
    assert "apply needs confirmation: not a terminal" in capsys.readouterr().err
    assert owned(org) == {}


def test_only_yes_confirms() -> None:
    assert confirm("Apply?", io.StringIO("yes\n"), io.StringIO())
    assert not confirm("Apply?", io.StringIO("y\n"), io.StringIO())
    assert not confirm("Apply?", io.StringIO(""), io.StringIO())


def test_apply_without_config_is_refused_unless_forced(
    project: Path, org: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["terraform", "--sandbox", "--dir", "terraform", "apply", "--auto-approve"]) == 1
    assert "terraform apply is gated: pass --config FILE" in capsys.readouterr().err
    assert owned(org) == {}


# ---- interrupted apply ---------------------------------------------------------------------


class TermWhenCreated(threading.Thread):
    """Sends SIGTERM to the apply's process group as soon as the org holds `count` of our
    objects: mid-apply by construction (every API call takes 200 ms meanwhile)."""

    def __init__(self, sandbox: Sandbox, proc: subprocess.Popen[str], count: int) -> None:
        super().__init__(daemon=True)
        self.sandbox, self.proc, self.count = sandbox, proc, count
        self.done = threading.Event()
        self.sent_at = 0
        self.start()

    def run(self) -> None:
        while not self.done.is_set() and self.proc.poll() is None:
            created = len(owned(self.sandbox))
            if created >= self.count:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.sent_at = created
                return
            self.done.wait(0.01)


def eg(*argv: str) -> list[str]:
    return [sys.executable, "-m", "generator", *argv]


def test_sigterm_mid_apply_stops_terraform_gracefully_and_a_rerun_converges(
    project: Path, org: Sandbox
) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    org.add_fault("latency=200")
    proc = subprocess.Popen(
        eg("terraform", "--sandbox", "--config", "egress-policy.yaml", "apply", "--auto-approve"),
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as `make apply` in a terminal
    )
    watcher = TermWhenCreated(org, proc, count=2)
    out, err = proc.communicate(timeout=600)
    watcher.done.set()
    assert watcher.sent_at >= 2, "SIGTERM was not sent during the apply"
    assert proc.returncode == 1, err
    assert "SIGTERM received: stopping Terraform gracefully" in err
    assert "Gracefully shutting down" in out
    assert "terraform apply was interrupted by SIGTERM" in err
    created = len(owned(org))
    assert 2 <= created < 7, f"{created} of 7: not interrupted mid-apply"
    org.clear_faults()
    # Every object created is in the state: the re-run creates only the rest, no "already
    # exists", no duplicates.
    rerun = subprocess.run(
        eg("terraform", "--sandbox", "--config", "egress-policy.yaml", "apply", "--auto-approve"),
        cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert "Apply complete!" in rerun.stdout and "already exists" not in rerun.stderr
    names = list(owned(org).values())
    assert len(names) == 7 and len(set(names)) == 7


def test_an_orphan_of_a_killed_apply_is_named_with_its_import_command(
    project: Path, org: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `kill -9` leaves behind (Terraform never saved the object): the create fails with
    "already exists"; egress-guard finds it by name and prints the exact import command."""
    zone = api(org, "POST", "/api/v1/zones", {
        "type": "IP", "name": f"{PREFIX}-corporate-01", "usage": "POLICY",
        "gateways": [{"type": "CIDR", "value": "8.8.8.0/24"}],
    })  # fmt: skip
    assert apply("--auto-approve") == 1
    err = capsys.readouterr().err
    assert "already exist in the org" in err
    commands = [
        line.strip() for line in err.splitlines() if line.strip().startswith("egress-guard ")
    ]
    expected = (
        "egress-guard terraform --sandbox --config egress-policy.yaml import "
        f"module.egress_guard.okta_network_zone.corporate_01 {zone['id']}"
    )
    assert expected in commands
    assert main(shlex.split(expected)[1:]) == 0
    assert apply("--auto-approve") == 0
    assert len(owned(org)) == 7
    assert main(["drift", "--sandbox", "--config", "egress-policy.yaml", "--no-events"]) == 0
