"""Enabling `mfa.app_policies` never turns a DENY into an ALLOW, for any principal and address.

The simulator decides an authentication policy before and after egress-guard's two-factor rule
is placed (`model_mfa.place_mfa_app_rule`, exactly as generate renders it) over every zone set
of the address space (`symbolic.zone_sets`, exact) and every principal the rules can tell apart
(each combination of the groups and users they name): a property test over random policies
(foreign rules of every kind, any Catch-all Rule), the earlier placement at the top of the
policy as the counterexample the property catches, the Admin Console's rules (#17: they cover
every user but break-glass) through the lockout preflight, and the default seed's Catch-all
Rules as generate reads them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from drift_support import FAST_RETRY, make_client, sandbox_env
from hypothesis import given, settings
from hypothesis import strategies as st
from mfa_support import SEED_CATCH_ALLS, OrgAdmin, mfa_config, write_config
from principals_support import ZONES, every_principal, networks, people

from generator.cli import main
from generator.commands import drift as drift_command
from generator.config import load_config
from generator.drift.apply_expected import apply_expected
from generator.drift.desired import load_desired_state
from generator.lockfile import LOCK_NAME
from generator.mfa.policies import list_access_policies, read_catch_alls
from generator.model_mfa import MFA_APP_RULE_PRIORITY, CatchAll, place_mfa_app_rule
from generator.okta.platform import CATCH_ALL_PRIORITY, CATCH_ALL_RULE
from generator.simulate.evaluate import ConsoleDecision, app_decision
from generator.simulate.from_model import app_rule_from_model, policy_set_from_state
from generator.simulate.policyset import (
    AppPolicy,
    AppRule,
    NetworkCondition,
    PolicySet,
    Principal,
)
from generator.simulate.preflight import run_preflight
from generator.simulate.symbolic import partition, zone_sets
from okta_sandbox import Sandbox


def decisions(
    policy_set: PolicySet, policy: AppPolicy, principal: Principal
) -> dict[frozenset[str], ConsoleDecision]:
    return {
        inside: app_decision(policy_set, policy, principal, inside)
        for _, _, inside in zone_sets(policy_set)
    }


def opened(before: AppPolicy, after: AppPolicy) -> list[tuple[str, frozenset[str], str]]:
    """(principal, zone set, rule) wherever `before` denies and `after` allows."""
    policy_set = PolicySet(ZONES, (), None, "live")
    found = []
    for principal in every_principal():
        old = decisions(policy_set, before, principal)
        new = decisions(policy_set, after, principal)
        for inside, decision in old.items():
            if decision.access == "DENY" and new[inside].access == "ALLOW":
                found.append((principal.label, inside, str(new[inside].rule)))
    return found


def with_rule(policy: AppPolicy, rule: AppRule) -> AppPolicy:
    return dataclasses.replace(policy, rules=(*policy.rules, rule))


@st.composite
def policies(draw: Any) -> tuple[AppPolicy, CatchAll]:
    """A policy as generate finds it: foreign rules of every kind at priorities below 98
    (generate refuses one at 98 or after), and its Catch-all Rule."""
    count = draw(st.integers(0, 4))
    priorities = draw(
        st.lists(
            st.integers(0, MFA_APP_RULE_PRIORITY - 1), min_size=count, max_size=count, unique=True
        )
    )
    rules = tuple(
        AppRule(
            id=f"r{n}",
            name=f"rule {n}",
            priority=priority,
            access=draw(st.sampled_from(["ALLOW", "DENY"])),
            network=draw(networks),
            people=draw(people),
            status=draw(st.sampled_from(["ACTIVE", "ACTIVE", "INACTIVE"])),
            factor_mode=draw(st.sampled_from(["1FA", "2FA"])),
        )
        for n, priority in enumerate(priorities)
    )
    catch_all = CatchAll.of(
        draw(st.sampled_from(["ALLOW", "ALLOW", "ALLOW", "DENY"])),
        draw(st.sampled_from(["1FA", "1FA", "2FA", None])),
        draw(st.lists(st.just('{"possession":{"required":true}}'), max_size=1)),
    )
    system = AppRule(
        id="catch_all",
        name=CATCH_ALL_RULE,
        priority=CATCH_ALL_PRIORITY,
        access=catch_all.access,
        factor_mode=catch_all.factor_mode,
        system=True,
    )
    return AppPolicy("p", "Kiosk apps", (*rules, system)), catch_all


@settings(max_examples=120, deadline=None)
@given(policies(), st.sampled_from(["ACTIVE", "INACTIVE"]))
def test_the_two_factor_rule_never_turns_a_deny_into_an_allow(
    found: tuple[AppPolicy, CatchAll], status: Any
) -> None:
    before, catch_all = found
    placed = place_mfa_app_rule(
        "k", before.name, catch_all, "egress-guard require MFA", status, "PT2H"
    )
    if placed.rule is None:  # the Catch-all denies or asks for two factors: nothing rendered
        assert catch_all.access == "DENY" or catch_all.factor_mode != "1FA"
        return
    assert placed.rule.constraints == catch_all.constraints  # never weaker than the Catch-all
    after = with_rule(before, app_rule_from_model(placed.rule))
    policy_set = PolicySet(ZONES, (), None, "live")
    for principal in every_principal():
        old = decisions(policy_set, before, principal)
        new = decisions(policy_set, after, principal)
        for inside, decision in old.items():
            now = new[inside]
            opens = decision.access == "DENY" and now.access == "ALLOW"
            assert not opens, f"{principal.label} in zones {sorted(inside)}: {now.rule} opens"
            assert now.access == decision.access  # and locks no one out
            if decision.rule != CATCH_ALL_RULE or status == "INACTIVE":
                assert now == decision  # every rule of the policy still decides first
                continue
            # only what fell through to the Catch-all's one-factor ALLOW: now two factors
            assert decision.access == "ALLOW" and decision.factor_mode == "1FA"
            assert (now.access, now.rule, now.factor_mode) == (
                "ALLOW",
                "egress-guard require MFA",
                "2FA",
            )


def test_the_earlier_placement_at_the_top_opened_a_network_deny() -> None:
    """The counterexample the property catches: the rule at priority 1 let everyone past a
    network deny of the policy (and past a rule asking only some groups for two factors)."""
    deny = AppRule(
        "deny", "deny outside the office", 1, "DENY",
        network=NetworkCondition("ZONE", (), ("office",)),
    )  # fmt: skip
    catch_all = AppRule(
        "catch_all", CATCH_ALL_RULE, CATCH_ALL_PRIORITY, "ALLOW", factor_mode="1FA", system=True
    )
    before = AppPolicy("p", "Intranet", (deny, catch_all))
    placed = place_mfa_app_rule(
        "k", "Intranet", CatchAll("ALLOW", "1FA"), "egress-guard require MFA", "ACTIVE", "PT2H"
    )
    assert placed.rule is not None and placed.rule.priority == 98
    now = with_rule(before, app_rule_from_model(placed.rule))
    assert opened(before, now) == []
    at_the_top = with_rule(
        before, app_rule_from_model(dataclasses.replace(placed.rule, priority=0))
    )
    holes = opened(before, at_the_top)
    assert holes and {rule for _, _, rule in holes} == {"egress-guard require MFA"}
    assert len({who for who, _, _ in holes}) == len(every_principal())  # everyone, outside


def test_the_console_rule_is_reached_only_by_what_falls_through_our_admin_rules(
    tmp_path: Path,
) -> None:
    """#17's default: the Admin Console rules cover every user but break-glass (allow from the
    trusted egress, deny elsewhere). With a Catch-all that allows with one factor, the two-factor
    rule below them changes no decision but the Catch-all's, lets no one in whom the policy
    denied, and the lockout preflight still passes."""
    catch_alls = {**SEED_CATCH_ALLS, "Okta Admin Console": CatchAll("ALLOW", "1FA")}
    without = mfa_config(tmp_path / "a", {}, catch_alls)
    desired = mfa_config(tmp_path / "b", {"app_policies": ["Okta Admin Console"]}, catch_alls)
    assert desired.state.mfa is not None and desired.state.mfa.console_rule is not None
    assert desired.state.mfa.console_rule.rule is not None
    before, after = policy_set_from_state(without.state), policy_set_from_state(desired.state)
    # the recorded Catch-all in both: only our rule differs (the fresh org's 'Admin App Policy'
    # below ours otherwise decides; drop it to reach the Catch-all)
    before = _without_org_rule(before, CatchAll("ALLOW", "1FA"))
    after = _without_org_rule(after, CatchAll("ALLOW", "1FA"))
    principals = [
        Principal.of("break-glass", users=("breakglass@example.com",)),
        Principal.of("break-glass group", groups=("Break Glass Accounts",)),
        Principal.of("admin", groups=("Okta Administrators",)),
        Principal.of("any user"),
    ]
    reached = 0
    for principal in principals:
        old, new = partition(before, principal), partition(after, principal)
        for segment in old:
            for other in new:
                if other.last < segment.first or other.first > segment.last:
                    continue
                was, now = segment.decision.admin_console, other.decision.admin_console
                assert not (was.access == "DENY" and now.access == "ALLOW"), principal.label
                if was.rule == CATCH_ALL_RULE:
                    assert (now.rule, now.factor_mode) == ("egress-guard require MFA", "2FA")
                    reached += 1
                else:
                    assert now == was
    assert reached  # break-glass outside the trusted ranges: two factors now, not one
    assert run_preflight(desired.state).ok


def _without_org_rule(policy_set: PolicySet, catch_all: CatchAll) -> PolicySet:
    console = policy_set.admin_console
    assert console is not None
    rules = tuple(r for r in console.rules if r.id != "admin_app_policy")
    rules = tuple(
        dataclasses.replace(r, access=catch_all.access, factor_mode=catch_all.factor_mode)
        if r.system
        else r
        for r in rules
    )
    return dataclasses.replace(policy_set, admin_console=dataclasses.replace(console, rules=rules))


def test_the_default_seed_catch_alls_are_what_generate_reads(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    loaded = load_config(write_config(tmp_path, {"app_policies": list(SEED_CATCH_ALLS)}))
    with make_client(sandbox) as client:
        read = read_catch_alls(client, loaded, list_access_policies(client), list(SEED_CATCH_ALLS))
    assert read == SEED_CATCH_ALLS


def test_drift_uses_the_recorded_catch_all_and_reports_when_it_no_longer_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, {"everyone": True, "app_policies": ["Okta Dashboard"]})
    out = tmp_path / "drift.json"
    argv = ["drift", "--config", str(config), "--format", "json", "--output", str(out)]
    monkeypatch.setattr(drift_command, "CLIENT_OPTIONS", {"retry": FAST_RETRY})
    with Sandbox.start(seed="hardened") as org:
        for name, value in sandbox_env(org).items():
            monkeypatch.setenv(name, value)
        assert main(["generate", "--config", str(config)]) == 0  # reads and records it
        with make_client(org) as client:
            apply_expected(client, load_desired_state(config).state)
        main(argv)
        assert not mfa_checks(json.loads(out.read_text()))
        admin = OrgAdmin(org)
        dashboard = admin.policy("Okta Dashboard", "ACCESS_POLICY")
        catch_all = admin.rule(dashboard["id"], CATCH_ALL_RULE)
        catch_all["actions"]["appSignOn"]["access"] = "DENY"
        body = {k: catch_all[k] for k in ("type", "name", "actions")}
        admin.call("PUT", f"/api/v1/policies/{dashboard['id']}/rules/{catch_all['id']}", body)
        assert main(argv) == 2
        assert mfa_checks(json.loads(out.read_text())) == {
            ("mfa-catch-all:Okta Dashboard", "critical")
        }
        # a lock without the record: drift refuses, saying how to get one
        lock_path = tmp_path / "generated" / LOCK_NAME
        lock = json.loads(lock_path.read_text())
        del lock["mfa_catch_all"]
        lock_path.write_text(json.dumps(lock))
        capsys.readouterr()
        assert main(argv) == 1
    assert "the Catch-all Rule of 'Okta Dashboard' is not known" in capsys.readouterr().err


def mfa_checks(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (f["check"], f["severity"])
        for f in report["findings"]
        if (f.get("check") or "").startswith("mfa-")
    }
