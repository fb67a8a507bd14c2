"""Enabling `mfa.everyone` never turns a DENY into an ALLOW, for any principal and address.

The simulator decides the Global Session Policies before and after egress-guard's rule for
Everyone is placed (`model_mfa.place_everyone_rule`, at the priority `generate` computes from
the Default Policy's rules, exactly as rendered) over every zone set of the address space
(`symbolic.zone_sets`, exact) and every principal the rules can tell apart: a property test
over random Default Policies (rules of their own of every kind, any Default Rule), the earlier
placement at priority 1 as the counterexample the property catches. Then the same placement
through the CLI on the sandbox: generate reads and records the Default Policy, refuses when it
is unknown, renders nothing where the Default Rule denies or requires MFA; drift reports a
changed Default Rule, a rule below ours and an undeclared rule of ours."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from drift_support import FAST_RETRY, make_client, sandbox_env
from hypothesis import given, settings
from hypothesis import strategies as st
from mfa_support import SEED_DEFAULT_POLICY, OrgAdmin, write_config
from principals_support import ZONES, every_principal, networks, people

from generator.cli import main
from generator.commands import drift as drift_command
from generator.config import load_config
from generator.errors import InputError
from generator.lockfile import LOCK_NAME, dump_lock, parse_lock, read_lock
from generator.mfa.default_policy import default_policy_from_rules, read_default_policy
from generator.model_mfa import (
    DefaultPolicy,
    DefaultRule,
    build_mfa_state,
    mfa_rule_name,
    place_everyone_rule,
)
from generator.okta.platform import DEFAULT_SIGN_ON_POLICY, DEFAULT_SIGN_ON_RULE
from generator.simulate.evaluate import SessionDecision, decide
from generator.simulate.from_model import _session_rule
from generator.simulate.policyset import NetworkCondition, PolicySet, SignOnPolicy, SignOnRule
from generator.simulate.symbolic import zone_sets
from okta_sandbox import Sandbox

OURS = "egress-guard require MFA"


def default_rule_json(rule: DefaultRule, priority: int) -> dict[str, Any]:
    """A Default Rule as the API returns it (the sandbox's shape)."""
    signon: dict[str, Any] = {"access": rule.access, "requireFactor": rule.mfa_required}
    signon["session"] = {
        "maxSessionIdleMinutes": rule.session_idle_minutes,
        "maxSessionLifetimeMinutes": rule.session_lifetime_minutes,
        "usePersistentCookie": rule.session_persistent,
    }
    return {
        "name": DEFAULT_SIGN_ON_RULE,
        "priority": priority,
        "system": True,
        "status": "ACTIVE",
        "actions": {"signon": signon},
    }


def as_rule(rule: DefaultRule, priority: int) -> SignOnRule:
    allowed = rule.access == "ALLOW"
    return SignOnRule(
        "default_rule",
        DEFAULT_SIGN_ON_RULE,
        priority,
        rule.access,
        mfa_required=rule.mfa_required,
        session_idle_minutes=rule.session_idle_minutes if allowed else None,
        session_lifetime_minutes=rule.session_lifetime_minutes if allowed else None,
    )


def policy_set(default_rules: tuple[SignOnRule, ...]) -> PolicySet:
    """A group's policy above (for group A: ALLOW from the office) and the Default Policy."""
    office = NetworkCondition("ZONE", ("office",))
    group_a = SignOnRule("a1", "A office", 1, "ALLOW", office, mfa_required=True)
    group_policy = SignOnPolicy("p_a", "Group A", 1, ("A",), (group_a,))
    default = SignOnPolicy(
        "default_policy", DEFAULT_SIGN_ON_POLICY, 2, ("Everyone",), default_rules, system=True
    )
    return PolicySet(ZONES, (group_policy, default), None, "live")


def sessions(rules: tuple[SignOnRule, ...]) -> dict[tuple[str, frozenset[str]], SessionDecision]:
    found = policy_set(rules)
    return {
        (principal.label, inside): decide(found, principal, inside).session
        for principal in every_principal()
        for _, _, inside in zone_sets(found)
    }


@st.composite
def default_policies(draw: Any) -> tuple[tuple[SignOnRule, ...], DefaultRule]:
    """A Default Policy as generate finds it: rules of its own of every kind (any priorities,
    gaps included) and its Default Rule, pinned last."""
    count = draw(st.integers(0, 4))
    priorities = draw(st.lists(st.integers(1, 9), min_size=count, max_size=count, unique=True))
    rules = tuple(
        SignOnRule(
            id=f"r{n}",
            name=f"rule {n}",
            priority=priority,
            access=draw(st.sampled_from(["ALLOW", "DENY"])),
            network=draw(networks),
            people=draw(people),
            status=draw(st.sampled_from(["ACTIVE", "ACTIVE", "INACTIVE"])),
            mfa_required=draw(st.booleans()),
            session_idle_minutes=30,
            session_lifetime_minutes=60,
        )
        for n, priority in enumerate(priorities)
    )
    default = DefaultRule(
        draw(st.sampled_from(["ALLOW", "ALLOW", "ALLOW", "DENY"])),
        mfa_required=draw(st.sampled_from([False, False, True])),
        session_idle_minutes=draw(st.sampled_from([15, 120])),
        session_lifetime_minutes=draw(st.sampled_from([0, 480])),
        session_persistent=draw(st.booleans()),
    )
    if default.access == "DENY":
        default = DefaultRule("DENY")
    return rules, default


def read_as_generate(rules: tuple[SignOnRule, ...], default: DefaultRule) -> DefaultPolicy:
    """What generate records: the Default Policy's rules as the API lists them."""
    listed = [{"name": r.name, "priority": r.priority, "status": r.status} for r in rules]
    top = max((r.priority for r in rules), default=0)
    found = default_policy_from_rules([*listed, default_rule_json(default, top + 1)], OURS)
    assert found is not None
    return found


@settings(max_examples=100, deadline=None)
@given(default_policies(), st.sampled_from(["ACTIVE", "INACTIVE"]))
def test_the_everyone_rule_never_turns_a_deny_into_an_allow(
    found: tuple[tuple[SignOnRule, ...], DefaultRule], status: Any
) -> None:
    own, default = found
    recorded = read_as_generate(own, default)
    assert recorded.default_rule == default
    assert recorded.rule_priority == max((r.priority for r in own), default=0) + 1
    placed, skipped = place_everyone_rule(recorded, OURS, status, "SESSION")
    last = recorded.rule_priority + 1  # Okta keeps the Default Rule last
    before = sessions((*own, as_rule(default, last)))
    if placed is None:  # the Default Rule denies or already requires MFA: nothing rendered
        assert skipped and (default.access == "DENY" or default.mfa_required)
        return
    # never looser than the Default Rule
    assert (placed.session_idle_minutes, placed.session_lifetime_minutes) == (
        default.session_idle_minutes,
        default.session_lifetime_minutes,
    )
    assert placed.session_persistent == default.session_persistent
    after = sessions((*own, _session_rule(placed), as_rule(default, last)))
    for where, was in before.items():
        now = after[where]
        assert not (was.access == "DENY" and now.access == "ALLOW"), f"{where}: {now.rule} opens"
        assert now.access == was.access  # and locks no one out
        if was.rule != DEFAULT_SIGN_ON_RULE or status == "INACTIVE":
            assert now == was  # every other rule still decides first
            continue
        # only what fell through to the Default Rule's MFA-less ALLOW: now with MFA
        assert (now.rule, now.mfa_required) == (OURS, True)
        assert now.session_idle_minutes == was.session_idle_minutes
        assert now.session_lifetime_minutes == was.session_lifetime_minutes


def test_the_earlier_placement_at_priority_1_opened_the_default_policys_own_deny() -> None:
    """The counterexample the property catches: the rule at priority 1 of the Default Policy
    turned its network DENY for Everyone into an ALLOW (and loosened a stricter session)."""
    deny = SignOnRule(
        "deny", "deny outside the office", 1, "DENY",
        network=NetworkCondition("ZONE", (), ("office",)),
    )  # fmt: skip
    default = DefaultRule("ALLOW", session_idle_minutes=15, session_lifetime_minutes=480)
    recorded = read_as_generate((deny,), default)
    assert recorded.rule_priority == 2
    placed, _ = place_everyone_rule(recorded, OURS, "ACTIVE", "SESSION")
    assert placed is not None and placed.priority == 2
    assert (placed.session_idle_minutes, placed.session_lifetime_minutes) == (15, 480)
    before = sessions((deny, as_rule(default, 3)))
    now = sessions((deny, _session_rule(placed), as_rule(default, 3)))
    assert not [w for w, d in before.items() if d.access == "DENY" and now[w].access == "ALLOW"]
    earlier = dataclasses.replace(
        placed, priority=1, session_idle_minutes=120, session_lifetime_minutes=0
    )
    # Okta moved the policy's own rule down to make room at 1
    moved = dataclasses.replace(deny, priority=2)
    at_the_top = sessions((_session_rule(earlier), moved, as_rule(default, 3)))
    opened = [
        w for w, d in before.items() if d.access == "DENY" and at_the_top[w].access == "ALLOW"
    ]
    assert opened and {at_the_top[w].rule for w in opened} == {OURS}
    # everyone outside the office (group A's policy allows only from the office: its members
    # outside fall through to the Default Policy too)
    assert {who for who, _ in opened} == {p.label for p in every_principal()}
    assert all("office" not in inside for _, inside in opened)


def test_no_rule_where_the_default_rule_denies_or_requires_mfa(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, {"everyone": True}))
    for default, why in (
        (DefaultRule("DENY"), "its Default Rule denies"),
        (DefaultRule("ALLOW", mfa_required=True), "its Default Rule already requires MFA"),
    ):
        mfa = build_mfa_state(config, default_policy=DefaultPolicy(default, 3))
        assert mfa is not None and mfa.everyone_rule is None
        assert mfa.everyone_skipped is not None and mfa.everyone_skipped.startswith(why)
    with pytest.raises(InputError, match=r"Default Policy is not known.*with Okta credentials"):
        build_mfa_state(config)


def test_the_lock_keeps_the_default_policy_and_refuses_a_tampered_one(tmp_path: Path) -> None:
    recorded = DefaultPolicy(DefaultRule("ALLOW", False, 15, 480, True), 4)
    document = json.loads(
        dump_lock(dataclasses.replace(parse_lock(_empty_lock()), mfa_default_policy=recorded))
    )
    assert document["mfa_default_policy"] == {
        "default_rule": {
            "access": "ALLOW",
            "mfa_required": False,
            "session_idle_minutes": 15,
            "session_lifetime_minutes": 480,
            "session_persistent": True,
        },
        "rule_priority": 4,
    }
    assert parse_lock(document).mfa_default_policy == recorded
    rule = document["mfa_default_policy"]["default_rule"]
    denied = {"default_rule": {"access": "DENY"}, "rule_priority": 2}
    assert parse_lock({**document, "mfa_default_policy": denied}).mfa_default_policy == (
        DefaultPolicy(DefaultRule("DENY"), 2)
    )
    for bad, field in (
        ({"default_rule": {"access": "MAYBE"}, "rule_priority": 2}, "default_rule.access"),
        ({**document["mfa_default_policy"], "rule_priority": 0}, "rule_priority"),
        ({**document["mfa_default_policy"], "rule_priority": True}, "rule_priority"),
        (
            {"default_rule": {**rule, "mfa_required": "no"}, "rule_priority": 2},
            "default_rule.mfa_required",
        ),
    ):  # fmt: skip
        with pytest.raises(ValueError, match=f"mfa_default_policy.{field}"):
            parse_lock({**document, "mfa_default_policy": bad})


def _empty_lock() -> dict[str, Any]:
    from generator.lockfile import LOCK_VERSION

    return {"lock_version": LOCK_VERSION, "sources": [], "shards": [], "files": {}}


def test_generate_reads_the_default_policy_on_the_sandbox(sandbox: Sandbox, tmp_path: Path) -> None:
    """The default seed (the Default Rule alone) as `mfa_support.SEED_DEFAULT_POLICY` says; a
    deny rule of the org's own and a stricter Default Rule move and shape ours."""
    loaded = load_config(write_config(tmp_path, {"everyone": True}))
    with make_client(sandbox) as client:
        assert read_default_policy(client, loaded) == SEED_DEFAULT_POLICY
    admin = OrgAdmin(sandbox)
    policy = admin.policy(DEFAULT_SIGN_ON_POLICY)
    deny_outside_office(admin, policy["id"])
    stricter_default_rule(admin, policy["id"], idle=15, lifetime=480)
    with make_client(sandbox) as client:
        found = read_default_policy(client, loaded)
    assert found == DefaultPolicy(DefaultRule("ALLOW", False, 15, 480, False), 2)


def deny_outside_office(admin: OrgAdmin, policy_id: str) -> dict[str, Any]:
    """The org's own network DENY for Everyone in the Default Policy (outside a zone)."""
    zone = admin.call(
        "POST",
        "/api/v1/zones",
        {
            "type": "IP",
            "name": "Head office",
            "gateways": [{"type": "CIDR", "value": "192.0.2.0/24"}],
        },
    )
    rule: dict[str, Any] = admin.call(
        "POST",
        f"/api/v1/policies/{policy_id}/rules",
        {
            "type": "SIGN_ON",
            "name": "deny outside the office",
            "priority": 1,
            "conditions": {"network": {"connection": "ZONE", "exclude": [zone["id"]]}},
            "actions": {"signon": {"access": "DENY", "requireFactor": False}},
        },
    )
    return rule


def stricter_default_rule(admin: OrgAdmin, policy_id: str, idle: int, lifetime: int) -> None:
    rule = admin.rule(policy_id, DEFAULT_SIGN_ON_RULE)
    rule["actions"]["signon"]["session"] |= {
        "maxSessionIdleMinutes": idle,
        "maxSessionLifetimeMinutes": lifetime,
    }
    body = {k: rule[k] for k in ("type", "name", "actions")}
    admin.call("PUT", f"/api/v1/policies/{policy_id}/rules/{rule['id']}", body)


def test_generate_records_it_reuses_it_without_credentials_and_refuses_when_unknown(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = str(write_config(tmp_path, {"everyone": True}))
    assert main(["generate", "--config", config]) == 2  # no credentials, no lock
    err = capsys.readouterr().err
    assert "mfa.everyone: the Global Session Policy's Default Policy is not known" in err
    assert "`egress-guard generate` runs with Okta credentials" in err
    assert not (tmp_path / "generated" / LOCK_NAME).exists()  # nothing written
    admin = OrgAdmin(sandbox)
    policy = admin.policy(DEFAULT_SIGN_ON_POLICY)
    deny_outside_office(admin, policy["id"])
    with monkeypatch.context() as env:
        for name, value in sandbox_env(sandbox).items():
            env.setenv(name, value)
        assert main(["generate", "--config", config]) == 0
    lock = read_lock(tmp_path / "generated")
    assert lock is not None and lock.mfa_default_policy == DefaultPolicy(DefaultRule("ALLOW"), 2)
    mfa_tf = (tmp_path / "generated" / "mfa.tf").read_text()
    block = mfa_tf.split('"everyone_mfa"')[1].split("\n}")[0]
    assert re.search(r"\n  priority\s+= 2\n", block) and re.search(r"session_idle\s+= 120", block)
    # without credentials: the recorded Default Policy (same output), --check agrees
    assert main(["generate", "--config", config]) == 0
    assert main(["generate", "--config", config, "--check"]) == 0
    # the Default Rule now requires MFA: generate places no rule there, and says why
    rule = admin.rule(policy["id"], DEFAULT_SIGN_ON_RULE)
    rule["actions"]["signon"]["requireFactor"] = True
    body = {k: rule[k] for k in ("type", "name", "actions")}
    admin.call("PUT", f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", body)
    capsys.readouterr()
    with monkeypatch.context() as env:
        for name, value in sandbox_env(sandbox).items():
            env.setenv(name, value)
        assert main(["generate", "--config", config]) == 0
    err = capsys.readouterr().err
    assert "mfa.everyone: no MFA rule in the Global Session Policy 'Default Policy'" in err
    assert (
        "everyone_mfa" not in (tmp_path / "generated" / "mfa.tf").read_text()
        if (tmp_path / "generated" / "mfa.tf").exists()
        else True
    )


def test_drift_reports_when_the_default_policy_no_longer_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.drift.apply_expected import apply_expected
    from generator.drift.desired import load_desired_state

    config = write_config(tmp_path, {"everyone": True})
    out = tmp_path / "drift.json"
    argv = ["drift", "--config", str(config), "--format", "json", "--output", str(out)]
    monkeypatch.setattr(drift_command, "CLIENT_OPTIONS", {"retry": FAST_RETRY})
    with Sandbox.start(seed="hardened") as org:
        for name, value in sandbox_env(org).items():
            monkeypatch.setenv(name, value)
        admin = OrgAdmin(org)
        policy = admin.policy(DEFAULT_SIGN_ON_POLICY)
        deny_outside_office(admin, policy["id"])
        assert main(["generate", "--config", str(config)]) == 0  # reads and records it
        with make_client(org) as client:
            apply_expected(client, load_desired_state(config).state)
        ours = admin.rule(policy["id"], mfa_rule_name("egress-guard"))
        assert (
            ours["priority"] == 2
            and admin.rule(policy["id"], "deny outside the office")["priority"] == 1
        )
        main(argv)
        assert not mfa_checks(json.loads(out.read_text()))
        # the Default Rule now denies: our ALLOW rule lets in whom it denies
        rule = admin.rule(policy["id"], DEFAULT_SIGN_ON_RULE)
        rule["actions"]["signon"]["access"] = "DENY"
        body = {k: rule[k] for k in ("type", "name", "actions")}
        admin.call("PUT", f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", body)
        assert main(argv) == 2
        assert mfa_checks(json.loads(out.read_text())) == {
            ("mfa-default-rule:Default Policy", "critical")
        }
        rule["actions"]["signon"]["access"] = "ALLOW"
        admin.call(
            "PUT",
            f"/api/v1/policies/{policy['id']}/rules/{rule['id']}",
            body | {"actions": rule["actions"]},
        )
        # a rule added after ours lands below it (Okta: the next free priority)
        added = admin.call(
            "POST",
            f"/api/v1/policies/{policy['id']}/rules",
            {
                "type": "SIGN_ON",
                "name": "contractors deny",
                "priority": 50,
                "conditions": {"network": {"connection": "ANYWHERE"}},
                "actions": {"signon": {"access": "DENY", "requireFactor": False}},
            },
        )
        assert added["priority"] == 3
        assert main(argv) == 2
        assert mfa_checks(json.loads(out.read_text())) == {
            ("mfa-rule-below:Default Policy", "critical")
        }
        # a lock without the record: drift refuses, saying how to get one
        lock_path = tmp_path / "generated" / LOCK_NAME
        lock = json.loads(lock_path.read_text())
        del lock["mfa_default_policy"]
        lock_path.write_text(json.dumps(lock))
        capsys.readouterr()
        assert main(argv) == 1
    assert "Default Policy is not known" in capsys.readouterr().err


def test_drift_reports_our_rule_where_none_is_declared(tmp_path: Path) -> None:
    """The earlier placement left at priority 1 above a Default Rule that now requires MFA."""
    from generator.mfa.default_policy import default_policy_findings

    config = load_config(write_config(tmp_path, {"everyone": True}))
    mfa = build_mfa_state(
        config, default_policy=DefaultPolicy(DefaultRule("ALLOW", mfa_required=True), 1)
    )
    assert mfa is not None and mfa.everyone_rule is None
    ours = {"id": "r1", "name": OURS, "priority": 1, "status": "ACTIVE",
            "actions": {"signon": {"access": "ALLOW"}}}  # fmt: skip
    default = default_rule_json(DefaultRule("ALLOW", mfa_required=True), 2)
    [finding] = default_policy_findings(mfa, [ours, default], ours)
    assert finding.finding_class == "unmanaged" and finding.severity == "high"
    assert "already requires MFA" in finding.message
    denied = default_rule_json(DefaultRule("DENY"), 2)
    mfa = build_mfa_state(config, default_policy=DefaultPolicy(DefaultRule("DENY"), 1))
    assert mfa is not None
    [finding] = default_policy_findings(mfa, [ours, denied], ours)
    assert finding.finding_class == "unmanaged" and finding.severity == "critical"


def mfa_checks(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (f["check"], f["severity"])
        for f in report["findings"]
        if (f.get("check") or "").startswith("mfa-")
    }
