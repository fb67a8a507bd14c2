"""`simulate --user X` / `--group G`: can they get in with one factor, where, to which apps —
offline from the config, and live over every app of the org (sandbox)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drift_support import sandbox_env
from mfa_support import OrgAdmin, mfa_config

from generator.cli import main
from okta_sandbox import Sandbox


def simulate(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["simulate", "--config", str(config), *args])
    return code, capsys.readouterr().out


def test_offline_answer_follows_mfa_everyone(
    sandbox: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_config = mfa_config(tmp_path / "open", {}).generated_dir.parent / "egress-policy.yaml"
    code, out = simulate(capsys, open_config, "--user", "pat@example.com", "--all")
    assert code == 0 and "one factor: YES" in out
    assert "session from anywhere: Global Session Policy 'Default Policy'" in out
    strict = mfa_config(tmp_path / "strict", {"everyone": True}).generated_dir.parent
    # the Default Policy is unknown until generate reads it with credentials (the lock keeps it)
    capsys.readouterr()
    args = ["--config", str(strict / "egress-policy.yaml"), "--user", "pat@example.com", "--all"]
    assert main(["simulate", *args]) == 2
    err = capsys.readouterr().err
    assert "mfa.everyone: the Global Session Policy's Default Policy is not known" in err
    with monkeypatch.context() as env:
        for name, value in sandbox_env(sandbox).items():
            env.setenv(name, value)
        assert main(["generate", "--config", str(strict / "egress-policy.yaml")]) == 0
    code, out = simulate(
        capsys, strict / "egress-policy.yaml", "--user", "pat@example.com", "--all",
        "--format", "json",
    )  # fmt: skip
    answer = json.loads(out)["one_factor"]
    assert code == 0 and answer["possible"] is False and answer["sessions"] == []


def test_live_answer_names_the_apps_and_the_ranges(
    sandbox: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in sandbox_env(sandbox).items():
        monkeypatch.setenv(name, value)
    config = mfa_config(tmp_path, {}).generated_dir.parent / "egress-policy.yaml"
    code, out = simulate(capsys, config, "--live", "--user", "pat@example.com", "--all")
    assert code == 0 and "one factor: YES" in out
    assert "apps 'Okta Dashboard' from anywhere: authentication policy 'Okta Dashboard'" in out
    admin = OrgAdmin(sandbox)
    office = admin.call(
        "POST",
        "/api/v1/zones",
        {"type": "IP", "name": "Office", "gateways": [{"type": "CIDR", "value": "192.0.2.0/24"}]},
    )
    contractors = admin.group("Contractors")
    network = {"connection": "ZONE", "include": [office["id"]]}
    admin.sign_on_policy("Contractors", contractors, mfa=False, network=network)
    admin.sign_on_policy("Everyone else", admin.group_id("Everyone"), mfa=True, priority=2)
    args = ["--live", "--group", "Contractors", "--format", "json"]
    code, out = simulate(capsys, config, *args, "--all")
    [session] = json.loads(out)["one_factor"]["sessions"]
    assert (session["policy"], session["ranges"], session["everywhere"]) == (
        "Contractors",
        ["192.0.2.0/24"],
        False,
    )
    code, out = simulate(capsys, config, *args, "--ip", "198.51.100.7")
    assert json.loads(out)["one_factor"]["possible"] is False  # outside the office: MFA
    code, out = simulate(capsys, config, "--live", "--user", "pat@example.com", "--ip", "192.0.2.9")
    assert "one factor: no" in out  # pat is not a contractor: Everyone else requires MFA
