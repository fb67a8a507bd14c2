"""The opt-in enforcement: `mfa:` validated, rendered (mfa.tf only when something is enforced,
INACTIVE in monitor mode, the two-factor rules directly above each policy's Catch-all Rule and
only where it allows with one factor, below egress-guard's own rules on the Admin Console's
policy), the lockout preflight's note, and `generate` refusing a break-glass account without a
factor when it can read Okta."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from drift_support import sandbox_env
from mfa_support import SEED_CATCH_ALLS, OrgAdmin, mfa_config, write_config
from paths import REPO

from generator.cli import main
from generator.errors import InputError
from generator.lockfile import LOCK_NAME, build_lock, dump_lock, read_lock
from generator.model_mfa import CatchAll
from generator.render import render_terraform
from okta_sandbox import Sandbox


def rendered(
    tmp_path: Path,
    mfa: dict[str, object],
    catch_alls: Mapping[str, CatchAll] | None = None,
    **top: object,
) -> dict[str, str]:
    return render_terraform(mfa_config(tmp_path, mfa, catch_alls, **top).state)


def example_okta() -> dict[str, Any]:
    document = yaml.safe_load((REPO / "examples" / "egress-policy.yaml").read_text())
    return dict(document["okta"])


def test_mfa_tf_only_when_something_is_enforced(tmp_path: Path) -> None:
    assert "mfa.tf" not in rendered(tmp_path / "a", {})
    assert "mfa.tf" not in rendered(tmp_path / "b", {"everyone": False, "posture": True})
    files = rendered(tmp_path / "c", {"everyone": True, "prompt": "ALWAYS"})
    text = files["mfa.tf"]
    assert 'data "okta_default_policy" "sign_on"' in text
    assert 'mfa_prompt         = "ALWAYS"' in text and "session_lifetime   = 0" in text
    assert "users_excluded" not in text  # break-glass: exempt from the network rule only
    assert "okta_app_signon_policy_rules" not in text


ONE_FACTOR = CatchAll("ALLOW", "1FA")
ORG = {  # an org whose Admin Console Catch-all allows with one factor (a fresh org's denies)
    **SEED_CATCH_ALLS,
    "Okta Admin Console": ONE_FACTOR,
    "Deny all": CatchAll("DENY"),
}


def rule_blocks(text: str, resource: str) -> list[dict[str, str]]:
    """The `rule` blocks of one `okta_app_signon_policy_rules` as attribute -> value text."""
    body = text.split(f'resource "okta_app_signon_policy_rules" "{resource}" {{')[1]
    body = body.split("\n}\n")[0]
    blocks = []
    for chunk in body.split("rule {")[1:]:
        pairs = (line.split("=", 1) for line in chunk.splitlines() if "=" in line)
        blocks.append({k.strip(): v.strip() for k, v in pairs})
    return blocks


def test_two_factor_rules_go_directly_above_the_catch_all_where_it_allows_with_one_factor(
    tmp_path: Path,
) -> None:
    names = ["Okta Admin Console", "Okta Dashboard", "Password only", "Any two factors", "Deny all"]
    files = rendered(tmp_path, {"app_policies": names}, catch_alls=ORG, mode="monitor")
    text = files["mfa.tf"]
    [dashboard] = rule_blocks(text, "mfa_okta_dashboard")
    assert dashboard["priority"] == "98"  # below every rule of the policy, above the Catch-all
    assert dashboard["factor_mode"] == '"2FA"' and dashboard["access"] == '"ALLOW"'
    assert dashboard["status"] == '"INACTIVE"' and "constraints" not in dashboard
    assert "policy_id = data.okta_policy.mfa_okta_dashboard.id" in text
    # the Catch-all's own constraint travels with the two factors: never weaker than it was
    [password] = rule_blocks(text, "mfa_password_only")
    assert password["constraints"] == '["{\\"knowledge\\":{\\"types\\":[\\"PASSWORD\\"]}}"]'
    # none where the Catch-all denies (an ALLOW would open access) or asks for two factors
    assert "mfa_deny_all" not in text and "mfa_any_two_factors" not in text
    assert "okta_admin_console" not in text  # the console's rule is among ours there
    console = rule_blocks(files["app_policies.tf"], "admin_console")
    assert [(r["name"], r["priority"]) for r in console] == [
        ('"egress-guard admins from trusted egress"', "1"),
        ('"egress-guard deny admins elsewhere"', "2"),
        ('"egress-guard require MFA"', "98"),
    ]


def test_the_console_two_factor_rule_stays_above_the_catch_all_with_the_anonymizer_deny(
    tmp_path: Path,
) -> None:
    files = rendered(
        tmp_path,
        {"app_policies": ["Okta Admin Console"]},
        catch_alls=ORG,
        controls={"anonymizer_deny": True},
    )
    console = rule_blocks(files["app_policies.tf"], "admin_console")
    assert [r["priority"] for r in console] == ["1", "2", "3", "98"]
    assert "mfa.tf" not in files


def test_no_console_rule_where_its_catch_all_denies_or_the_policy_is_ours(tmp_path: Path) -> None:
    fresh = mfa_config(tmp_path / "a", {"app_policies": ["Okta Admin Console"]})
    assert "require MFA" not in render_terraform(fresh.state)["app_policies.tf"]
    assert fresh.state.mfa is not None and fresh.state.mfa.console_rule is not None
    assert "Catch-all Rule denies" in str(fresh.state.mfa.console_rule.skipped)
    # egress-guard's dedicated policy denies in its Catch-all: known without reading the org
    dedicated = mfa_config(
        tmp_path / "b",
        {"app_policies": ["Okta Admin Console"]},
        catch_alls={},
        okta={**example_okta(), "admin_console": {"dedicated_policy": True}},
    )
    assert "require MFA" not in render_terraform(dedicated.state)["app_policies.tf"]
    assert dedicated.state.mfa is not None and dedicated.state.mfa.console_rule is not None
    assert "dedicated Admin Console policy" in str(dedicated.state.mfa.console_rule.skipped)


def test_an_unknown_catch_all_is_refused_saying_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        mfa_config(tmp_path, {"app_policies": ["Okta Dashboard", "Kiosk"]}, catch_alls={})
    message = str(raised.value)
    assert "mfa.app_policies: the Catch-all Rule of 'Kiosk', 'Okta Dashboard' is not known" in (
        message
    )
    assert "run it once" in message and "egress-policy.yaml" in message


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
    assert lock["mfa_catch_all"] == {  # read from the org, beside the names
        "Any two factors": {"access": "ALLOW", "factor_mode": "2FA", "constraints": []},
        "Okta Admin Console": {"access": "DENY"},
        "Okta Dashboard": {"access": "ALLOW", "factor_mode": "1FA", "constraints": []},
        "One factor access": {"access": "ALLOW", "factor_mode": "1FA", "constraints": []},
    }
    text = (tmp_path / "generated" / "mfa.tf").read_text()
    # every policy but the exception whose Catch-all allows with one factor
    assert text.count('resource "okta_app_signon_policy_rules"') == 2
    assert "mfa_okta_dashboard" in text and "mfa_one_factor_access" in text
    assert "require MFA" not in (tmp_path / "generated" / "app_policies.tf").read_text()
    assert '"Password only"' not in text
    for name in ("OKTA_ORG_URL", "OKTA_API_TOKEN"):
        monkeypatch.delenv(name)
    assert main(["generate", "--config", config, "--check", "--offline"]) == 0  # the lock's
    err = capsys.readouterr().err
    assert "no two-factor rule on 'Okta Admin Console': its Catch-all Rule denies" in err
    assert "no two-factor rule on 'Any two factors': its Catch-all Rule already asks" in err


def test_named_policies_catch_alls_are_read_recorded_and_reused(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_config(tmp_path, {"app_policies": ["Okta Dashboard"]})
    config = str(tmp_path / "egress-policy.yaml")
    lock_path = tmp_path / "generated" / "egress-guard.lock.json"
    assert main(["generate", "--config", config, "--offline"]) == 2  # no credentials, no lock
    assert "the Catch-all Rule of 'Okta Dashboard' is not known" in capsys.readouterr().err
    for name, value in sandbox_env(sandbox).items():
        monkeypatch.setenv(name, value)
    assert main(["generate", "--config", config, "--offline"]) == 0  # --offline: IP sources
    lock = json.loads(lock_path.read_text())
    assert lock["mfa_catch_all"] == {
        "Okta Dashboard": {"access": "ALLOW", "factor_mode": "1FA", "constraints": []}
    }
    assert "mfa_app_policies" not in lock  # names only with `all`
    # --check verifies what was generated: the lock's, even when the org changed since
    admin = OrgAdmin(sandbox)
    dashboard = admin.policy("Okta Dashboard", "ACCESS_POLICY")
    catch_all = admin.rule(dashboard["id"], "Catch-all Rule")
    catch_all["actions"]["appSignOn"]["access"] = "DENY"
    body = {k: catch_all[k] for k in ("type", "name", "actions")}
    admin.call("PUT", f"/api/v1/policies/{dashboard['id']}/rules/{catch_all['id']}", body)
    assert main(["generate", "--config", config, "--check"]) == 0
    capsys.readouterr()
    # generate reads it again: no rule above a Catch-all that denies, and says so
    assert main(["generate", "--config", config]) == 0
    assert "no two-factor rule on 'Okta Dashboard': its Catch-all Rule denies" in (
        capsys.readouterr().err
    )
    assert json.loads(lock_path.read_text())["mfa_catch_all"] == {
        "Okta Dashboard": {"access": "DENY"}
    }
    assert not (tmp_path / "generated" / "mfa.tf").exists()
    for name in ("OKTA_ORG_URL", "OKTA_API_TOKEN"):
        monkeypatch.delenv(name)
    assert main(["generate", "--config", config, "--check"]) == 0  # the lock's, offline


def test_generate_refuses_a_policy_it_cannot_place_the_rule_on(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in sandbox_env(sandbox).items():
        monkeypatch.setenv(name, value)
    write_config(tmp_path / "a", {"app_policies": ["Okta Dashboard", "Nope"]})
    assert main(["generate", "--config", str(tmp_path / "a" / "egress-policy.yaml")]) == 2
    assert "mfa.app_policies: no authentication policy named 'Nope'" in capsys.readouterr().err
    # a rule of the policy already at 98: ours could not sit below every rule of the policy
    admin = OrgAdmin(sandbox)
    dashboard = admin.policy("Okta Dashboard", "ACCESS_POLICY")
    rule = admin.app_rule(dashboard["id"], "kiosk", "2FA", {})
    body = {k: rule[k] for k in ("type", "name", "conditions", "actions")}
    admin.call(
        "PUT", f"/api/v1/policies/{dashboard['id']}/rules/{rule['id']}", {**body, "priority": 98}
    )
    write_config(tmp_path / "b", {"app_policies": ["Okta Dashboard"]})
    config = str(tmp_path / "b" / "egress-policy.yaml")
    assert main(["generate", "--config", config]) == 1
    err = capsys.readouterr().err
    assert "rule 'kiosk' holds priority 98, where egress-guard's two-factor rule goes" in err
    assert not (tmp_path / "b" / "generated").exists()


def test_generate_refuses_a_break_glass_account_without_a_factor(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mfa_config(tmp_path, {"everyone": True})
    config = str(tmp_path / "egress-policy.yaml")
    for name, value in sandbox_env(sandbox).items():
        monkeypatch.setenv(name, value)
    assert main(["generate", "--config", config, "--offline"]) == 0  # --offline: IP sources
    assert "factors not checked (--offline)" in capsys.readouterr().err
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


def test_the_lock_records_catch_alls_and_refuses_a_tampered_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = '{"knowledge":{"types":["${file(\\"/etc/passwd\\")}"]}}'
    recorded = {"Okta Dashboard": CatchAll("ALLOW", "1FA", (hostile,)), "X": CatchAll("DENY")}
    lock = build_lock([], [], {"zones.tf": "x"}, None, None, recorded)
    document = json.loads(dump_lock(lock))
    assert document["mfa_catch_all"]["X"] == {"access": "DENY"}
    (tmp_path / LOCK_NAME).write_text(dump_lock(lock))
    assert dict(read_lock(tmp_path).mfa_catch_all) == recorded  # type: ignore[union-attr]
    assert "mfa_catch_all" not in json.loads(dump_lock(build_lock([], [], {})))
    # the recorded constraint is rendered as a string, never a template
    files = rendered(tmp_path / "c", {"app_policies": ["Okta Dashboard"]}, catch_alls=recorded)
    assert "$${file(" in files["mfa.tf"] and '"${file(' not in files["mfa.tf"]
    # a lock edited in a pull request: every field checked, nothing written
    config = write_config(tmp_path / "d", {"app_policies": ["Okta Dashboard"]})
    out = tmp_path / "d" / "generated"
    out.mkdir(parents=True)
    for value, message in [
        ({"access": "MAYBE"}, "mfa_catch_all.Okta Dashboard.access: expected ALLOW or DENY"),
        ({"access": "ALLOW"}, "mfa_catch_all.Okta Dashboard.factor_mode: expected 1FA or 2FA"),
        (
            {"access": "ALLOW", "factor_mode": "1FA", "constraints": "x"},
            "mfa_catch_all.Okta Dashboard.constraints: expected a list of objects",
        ),
    ]:
        document["mfa_catch_all"] = {"Okta Dashboard": value}
        (out / LOCK_NAME).write_text(json.dumps(document))
        capsys.readouterr()
        assert main(["generate", "--config", str(config), "--offline"]) == 2
        assert f"corrupt lock file ({message}" in capsys.readouterr().err
        assert [p.name for p in out.iterdir()] == [LOCK_NAME]
