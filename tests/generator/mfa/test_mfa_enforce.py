"""The opt-in enforcement: `mfa:` validated, rendered (mfa.tf only when something is enforced,
INACTIVE in monitor mode, below egress-guard's own rules on the Admin Console's policy), the
lockout preflight's note, and `generate` refusing a break-glass account without a factor when
it can read Okta."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drift_support import sandbox_env
from mfa_support import OrgAdmin, mfa_config

from generator.cli import main
from generator.errors import InputError
from generator.render import render_terraform
from okta_sandbox import Sandbox


def rendered(tmp_path: Path, mfa: dict[str, object], **top: object) -> dict[str, str]:
    return render_terraform(mfa_config(tmp_path, mfa, **top).state)


def test_mfa_tf_only_when_something_is_enforced(tmp_path: Path) -> None:
    assert "mfa.tf" not in rendered(tmp_path / "a", {})
    assert "mfa.tf" not in rendered(tmp_path / "b", {"everyone": False, "posture": True})
    files = rendered(tmp_path / "c", {"everyone": True, "prompt": "ALWAYS"})
    text = files["mfa.tf"]
    assert 'data "okta_default_policy" "sign_on"' in text
    assert 'mfa_prompt         = "ALWAYS"' in text and "session_lifetime   = 0" in text
    assert "users_excluded" not in text  # break-glass: exempt from the network rule only
    assert "okta_app_signon_policy_rules" not in text


def test_app_policy_rules_each_in_their_policy_and_below_ours_on_the_console(
    tmp_path: Path,
) -> None:
    files = rendered(
        tmp_path, {"app_policies": ["Okta Admin Console", "Okta Dashboard"]}, mode="monitor"
    )
    text = files["mfa.tf"]
    assert 'data "okta_policy" "mfa_okta_dashboard"' in text
    dashboard = text.split('resource "okta_app_signon_policy_rules" "mfa_okta_dashboard" {')[1]
    assert "policy_id = data.okta_policy.mfa_okta_dashboard.id" in dashboard
    assert dashboard.count("rule {") == 1 and "priority                    = 1" in dashboard
    assert 'factor_mode                 = "2FA"' in dashboard
    assert 'status                      = "INACTIVE"' in dashboard
    assert "okta_admin_console" not in text  # the console's rule is among ours there
    console = files["app_policies.tf"]
    rules = console.split("rule {")[1:]
    assert [r.split("name ")[1].split("\n")[0].strip(' ="') for r in rules] == [
        "egress-guard admins from trusted egress",
        "egress-guard deny admins elsewhere",
        "egress-guard require MFA",
    ]
    assert "priority                    = 3" in rules[2]


@pytest.mark.parametrize(
    ("mfa", "reason"),
    [
        ({"app_policy_exceptions": ["X"]}, "only with mfa.app_policies: all"),
        ({"reauthenticate_in": "PT50000H"}, "longer than PT43800H"),
        ({"prompt": "NEVER"}, "mfa.prompt: must be one of"),
        ({"app_policies": "some"}, "mfa.app_policies"),
        ({"report_max_names": -1}, "mfa.report_max_names"),
        ({"everyone": "yes"}, "mfa.everyone"),
    ],
)
def test_bad_mfa_config_is_refused_naming_the_field(
    tmp_path: Path, mfa: dict[str, object], reason: str
) -> None:
    with pytest.raises(InputError, match=reason):
        mfa_config(tmp_path, mfa)


def test_all_app_policies_are_resolved_and_recorded(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mfa = {"app_policies": "all", "app_policy_exceptions": ["Password only", "Nope"]}
    mfa_config(tmp_path, mfa)
    config = str(tmp_path / "egress-policy.yaml")
    assert main(["generate", "--config", config, "--offline"]) == 2  # nothing recorded yet
    assert "mfa.app_policies: all needs the org's authentication policies" in (
        capsys.readouterr().err
    )
    for name, value in sandbox_env(sandbox).items():
        monkeypatch.setenv(name, value)
    assert main(["generate", "--config", config]) == 0
    assert "names no such authentication policy: Nope" in capsys.readouterr().err
    lock = json.loads((tmp_path / "generated" / "egress-guard.lock.json").read_text())
    assert lock["mfa_app_policies"] == [
        "Any two factors", "Okta Admin Console", "Okta Dashboard", "One factor access",
        "Password only",
    ]  # fmt: skip
    text = (tmp_path / "generated" / "mfa.tf").read_text()
    # every policy but the exception; the Admin Console's rule is among ours in its policy
    assert text.count('resource "okta_app_signon_policy_rules"') == 3
    assert "require MFA" in (tmp_path / "generated" / "app_policies.tf").read_text()
    assert '"Password only"' not in text
    for name in ("OKTA_ORG_URL", "OKTA_API_TOKEN"):
        monkeypatch.delenv(name)
    assert main(["generate", "--config", config, "--check", "--offline"]) == 0  # the lock's


def test_generate_refuses_a_break_glass_account_without_a_factor(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mfa_config(tmp_path, {"everyone": True})
    config = str(tmp_path / "egress-policy.yaml")
    assert main(["generate", "--config", config, "--offline"]) == 0
    assert "factors not checked (--offline)" in capsys.readouterr().err
    for name, value in sandbox_env(sandbox).items():
        monkeypatch.setenv(name, value)
    assert main(["generate", "--config", config]) == 0
    assert "every break-glass account has an active MFA factor" in capsys.readouterr().err
    admin = OrgAdmin(sandbox)
    user_id = admin.user_id("breakglass@example.com")
    for factor in admin.call("GET", f"/api/v1/users/{user_id}/factors"):
        admin.call("DELETE", f"/api/v1/users/{user_id}/factors/{factor['id']}")
    assert main(["generate", "--config", config, "--check"]) == 1
    err = capsys.readouterr().err
    assert "preflight FAIL [break-glass-mfa] break-glass account 'breakglass@example.com'" in err
    assert "exempt from the network rule, not from MFA" in err
    assert main(["generate", "--config", config, "--force"]) == 0
    assert "--force given, writing despite" in capsys.readouterr().err


def test_generate_never_reads_a_break_glass_group_okta_will_not_list_as_empty(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The example config against an org that lists no member of Okta's admins group (the
    sandbox refuses, as Okta reportedly does): generate never asks for it. A break-glass group
    whose listing Okta refuses is a preflight failure naming it, not a group without members."""
    mfa_config(tmp_path, {"everyone": True})
    config = str(tmp_path / "egress-policy.yaml")
    for name, value in sandbox_env(sandbox).items():
        monkeypatch.setenv(name, value)
    assert main(["generate", "--config", config]) == 0
    assert "every break-glass account has an active MFA factor" in capsys.readouterr().err
    group = OrgAdmin(sandbox).group_id("Break Glass Accounts")
    sandbox.add_fault(f"501@/api/v1/groups/{group}/users")
    assert main(["generate", "--config", config, "--check"]) == 1
    err = capsys.readouterr().err
    assert (
        "preflight FAIL [break-glass-mfa] the members of group 'Break Glass Accounts' could" in err
    )
    assert "HTTP 501 E0000060" in err and "factors of its members are unknown" in err
    assert main(["generate", "--config", config, "--force"]) == 0
