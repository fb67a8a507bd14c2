"""Lockout preflight: passes on the example config; each failure kind names principal, ranges
and the rule responsible; enforcement raises RefusedError (exit 1) unless forced."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from paths import REPO

from generator.drift.desired import load_desired_state
from generator.errors import EXIT_FAILURE, RefusedError
from generator.model import DesiredState, Shard, build_desired_state
from generator.settings import AdminConsoleConfig, BreakGlassConfig, Config, Mode, OktaConfig
from generator.simulate.evaluate import evaluate
from generator.simulate.from_model import policy_set_from_state
from generator.simulate.policyset import Principal
from generator.simulate.preflight import (
    ROLE_HOLDER,
    check_before_write,
    enforce,
    format_report,
    run_preflight,
)

ROOT = REPO
ADMINS = "Okta Administrators"
GSP = "egress-guard Admins - trusted egress only"
DENY = "egress-guard deny other networks"
APP_DENY = "egress-guard deny admins elsewhere"
BG_GROUP = "Break Glass"


def state_for(
    mode: Mode = "enforce",
    operator_ips: tuple[str, ...] = (),
    bg_group: str | None = None,
    console: AdminConsoleConfig | None = None,
) -> DesiredState:
    config = Config(
        path=Path("t.yaml"),
        mode=mode,
        okta=OktaConfig(
            admin_groups=(ADMINS,),
            break_glass=BreakGlassConfig(users=("breakglass@example.com",), group=bg_group),
            operator_ips=operator_ips,
            admin_console=console or AdminConsoleConfig(),
        ),
    )
    return build_desired_state(config, [Shard("corporate", 1, ("198.51.100.0/24",))])


def without_session_exclusion(state: DesiredState, field: str = "users_excluded") -> DesiredState:
    allow, deny = state.session_policy.rules
    if field == "users_excluded":
        deny = dataclasses.replace(deny, users_excluded=())
    else:
        deny = dataclasses.replace(deny, groups_members_excluded=())
    policy = dataclasses.replace(state.session_policy, rules=(allow, deny))
    return dataclasses.replace(state, session_policy=policy)


def test_example_config_passes() -> None:
    state = load_desired_state(ROOT / "examples" / "egress-policy.yaml").state
    report = run_preflight(state)
    assert report.failures == ()
    assert report.ok
    assert any(c.startswith("break-glass: breakglass@example.com") for c in report.checked)
    assert any(c.startswith("admins outside trusted ranges") for c in report.checked)
    text = format_report(report)
    assert text.startswith(f"preflight ok: {len(report.checked)} checks passed")
    assert "fresh org's defaults" in text  # the offline assumption is stated


def test_break_glass_locked_out() -> None:
    report = run_preflight(without_session_exclusion(state_for()))
    failures = report.blocking
    assert {f.check for f in failures} == {"break-glass"}
    # Only when the user is (also) an admin does our policy apply to it.
    assert {f.principal for f in failures} == {
        "breakglass@example.com (groups: Okta Administrators)"
    }
    [failure] = failures
    assert failure.ranges[0] == "0.0.0.0-198.51.99.255" and "::/0" in failure.ranges
    assert failure.rule == f"Global Session Policy '{GSP}', rule '{DENY}' (DENY)"
    assert failure.rule_id == "admins_deny_other" and failure.surface == "sign-in"
    assert failure.message == (
        "break-glass breakglass@example.com (groups: Okta Administrators) cannot sign in from "
        f"0.0.0.0-198.51.99.255, 198.51.101.0-255.255.255.255, ::/0: {failure.rule}"
    )


@pytest.mark.parametrize(
    ("removed", "principal"),
    [
        ("users_excluded", "breakglass@example.com (groups: Okta Administrators)"),
        (
            "groups_members_excluded",
            f"a member of '{BG_GROUP}' (groups: {BG_GROUP}, Okta Administrators)",
        ),
    ],
)
def test_each_break_glass_exclusion_must_hold_on_its_own(removed: str, principal: str) -> None:
    # A listed user is not assumed to be in the break-glass group: losing only the per-user
    # exclusion (group exclusion kept) locks that user out, and vice versa for the group.
    state = state_for(bg_group=BG_GROUP)
    assert run_preflight(state).ok
    report = run_preflight(without_session_exclusion(state, removed))
    assert {(f.check, f.principal) for f in report.blocking} == {("break-glass", principal)}
    [failure] = report.blocking
    assert failure.rule == f"Global Session Policy '{GSP}', rule '{DENY}' (DENY)"


def test_break_glass_without_console_exclusion() -> None:
    state = state_for()
    console = state.app_policies[0]
    allow, deny = console.rules
    app = dataclasses.replace(console, rules=(allow, dataclasses.replace(deny, users_excluded=())))
    report = run_preflight(dataclasses.replace(state, app_policies=(app,)))
    # The Admin Console rules cover every user: admin or not, the account is locked out.
    assert {f.principal for f in report.blocking} == {
        "breakglass@example.com",
        "breakglass@example.com (groups: Okta Administrators)",
    }
    for failure in report.blocking:
        assert (failure.check, failure.surface) == ("break-glass", "admin-console")
        assert "cannot reach the Admin Console from 0.0.0.0-198.51.99.255" in failure.message
        assert failure.rule == (
            f"'Okta Admin Console' authentication policy, rule '{APP_DENY}' (DENY)"
        )


@pytest.mark.parametrize(("mode", "enforced"), [("enforce", True), ("monitor", False)])
def test_admins_outside_trusted(mode: Mode, enforced: bool) -> None:
    state = state_for(mode)
    if mode == "enforce":  # an enforce-mode state whose deny rule went missing
        allow, _ = state.session_policy.rules
        policy = dataclasses.replace(state.session_policy, rules=(allow,))
        state = dataclasses.replace(state, session_policy=policy)
    report = run_preflight(state)
    failures = [f for f in report.failures if f.check == "admin-outside-trusted"]
    assert failures and all(f.enforced is enforced for f in failures)
    assert report.ok is (not enforced)
    sign_in = next(f for f in failures if f.surface == "sign-in")
    assert sign_in.principal == f"a member of '{ADMINS}'"
    assert sign_in.rule == "Global Session Policy 'Default Policy', rule 'Default Rule' (ALLOW)"
    assert sign_in.message.startswith(
        f"admin a member of '{ADMINS}' can sign in from outside the trusted ranges: "
        "0.0.0.0-198.51.99.255, 198.51.101.0-255.255.255.255, ::/0"
    )
    assert sign_in.message.endswith("(monitor mode: reported, not enforced)") is (not enforced)
    if mode == "monitor":
        console = next(f for f in failures if f.surface == "admin-console")
        assert "rule 'Admin App Policy' (ALLOW)" in console.rule
        # the admins' two, and a role holder outside the admin groups reaching the console
        assert format_report(report).count("preflight WARN") == 3


def test_operator_range_losing_access() -> None:
    report = run_preflight(state_for(operator_ips=("192.0.2.0/28", "198.51.100.16/28")))
    failures = report.blocking
    assert {f.check for f in failures} == {"operator-access"}
    assert {f.surface for f in failures} == {"sign-in"}  # the console is never reached
    [failure] = failures
    assert failure.ranges == ("192.0.2.0/28",)
    assert failure.message == (
        f"operator range 192.0.2.0/28: admin a member of '{ADMINS}' cannot sign in from "
        f"192.0.2.0/28: Global Session Policy '{GSP}', rule '{DENY}' (DENY)"
    )


def test_enforce_refuses_unless_forced() -> None:
    report = run_preflight(without_session_exclusion(state_for()))
    with pytest.raises(RefusedError) as raised:
        enforce(report, force=False)
    assert raised.value.exit_code == EXIT_FAILURE
    assert "lockout preflight failed (1 problem(s)); nothing was written" in str(raised.value)
    assert "break-glass breakglass@example.com" in str(raised.value)
    enforce(report, force=True)
    enforce(run_preflight(state_for("monitor")), force=False)  # warnings only: no refusal


def test_check_before_write_reports_then_refuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RefusedError):
        check_before_write(without_session_exclusion(state_for()), force=False)
    err = capsys.readouterr().err
    assert err.startswith("preflight FAIL [break-glass] break-glass breakglass@example.com")
    assert "preflight note: offline:" in err
    check_before_write(without_session_exclusion(state_for()), force=True)
    assert "--force given, writing despite the failures above" in capsys.readouterr().err
    check_before_write(state_for(), force=False)
    assert capsys.readouterr().err.startswith("preflight ok:")


def test_role_holder_outside_admin_groups_is_confined_by_default() -> None:
    # A user granted Super Admin directly is in no admin group: the Admin Console rules, which
    # cover every user but break-glass, deny them outside the trusted egress.
    state = state_for()
    report = run_preflight(state)
    assert report.ok and report.failures == ()
    assert f"admin role holders outside trusted ranges: {ROLE_HOLDER}" in report.checked
    policies = policy_set_from_state(state)
    direct = Principal.of("mallory@example.com", users=("mallory@example.com",))
    outside = evaluate(policies, direct, "192.0.2.10")
    assert outside.admin_console.access == "DENY"
    assert outside.admin_console.rule == APP_DENY
    inside = evaluate(policies, direct, "198.51.100.7")
    assert inside.admin_console.access == "ALLOW"
    # Their sign-in is Okta's Default Policy: the session policy is for the admin groups.
    assert outside.session.policy == "Default Policy"
    breakglass = Principal.of("bg", users=("breakglass@example.com",))
    assert evaluate(policies, breakglass, "192.0.2.10").admin_console.access == "ALLOW"


def test_admin_group_scope_reports_the_role_holder_hole() -> None:
    state = state_for(console=AdminConsoleConfig(applies_to="admin_groups"))
    report = run_preflight(state)
    assert report.ok  # today's scoping is a choice: reported, not enforced
    [failure] = report.failures
    assert (failure.check, failure.surface, failure.enforced) == (
        "role-holder-outside-trusted",
        "admin-console",
        False,
    )
    assert failure.message.startswith(
        f"{ROLE_HOLDER} can reach the Admin Console from outside the trusted ranges: "
    )
    assert "rule 'Admin App Policy' (ALLOW)" in failure.rule
    assert "preflight WARN [role-holder-outside-trusted]" in format_report(report)


def test_role_holder_failure_blocks_when_the_console_rules_cover_everyone() -> None:
    state = state_for()
    console = state.app_policies[0]
    allow, deny = console.rules
    app = dataclasses.replace(console, rules=(allow, dataclasses.replace(deny, status="INACTIVE")))
    report = run_preflight(dataclasses.replace(state, app_policies=(app,)))
    assert "role-holder-outside-trusted" in {f.check for f in report.blocking}


def test_dedicated_console_policy_keeps_break_glass_in_and_everyone_else_confined() -> None:
    state = state_for(console=AdminConsoleConfig(dedicated_policy=True), bg_group=BG_GROUP)
    [console] = state.app_policies
    assert console.dedicated_policy == "egress-guard Okta Admin Console"
    assert [r.name for r in console.rules][-1] == "egress-guard break-glass from anywhere"
    report = run_preflight(state)
    assert report.ok and report.failures == ()
    policies = policy_set_from_state(state)
    assert policies.admin_console is not None
    assert [r.name for r in policies.admin_console.rules][-1] == "Catch-all Rule"
    member = Principal.of("member", groups=(BG_GROUP,))
    decision = evaluate(policies, member, "192.0.2.10")
    assert decision.admin_console.rule == "egress-guard break-glass from anywhere"
    # Without the break-glass rule the Catch-all (deny) would lock them out: the preflight says so.
    without = dataclasses.replace(console, rules=console.rules[:2])
    locked = run_preflight(dataclasses.replace(state, app_policies=(without,)))
    assert {f.check for f in locked.blocking} == {"break-glass"}
    assert all("'Catch-all Rule' (DENY)" in f.rule for f in locked.blocking)
