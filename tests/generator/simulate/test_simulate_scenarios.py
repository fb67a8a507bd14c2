"""Scenario table for the policy simulator (point evaluation), desired state and raw Okta JSON."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from generator.model import DesiredState, Shard, build_desired_state
from generator.settings import BreakGlassConfig, Config, OktaConfig
from generator.simulate import (
    Principal,
    evaluate,
    partition,
    policy_set_from_okta,
    policy_set_from_state,
)
from generator.simulate.addresses import parse_address
from generator.simulate.policyset import PolicySet

ADMINS = "Okta Administrators"
BG_GROUP = "Break Glass Accounts"
BG_USER = "breakglass@example.com"
TRUSTED = ("198.51.100.0/24", "203.0.113.0/25")
PREFIX = "egress-guard"


def desired(mode: str = "enforce", shards: tuple[Shard, ...] | None = None) -> DesiredState:
    config = Config(
        path=Path("test.yaml"),
        mode=mode,  # type: ignore[arg-type]
        okta=OktaConfig(
            admin_groups=(ADMINS,),
            break_glass=BreakGlassConfig(users=(BG_USER,), group=BG_GROUP),
        ),
    )
    return build_desired_state(config, shards or (Shard("corporate", 1, TRUSTED),))


def admin(*extra: str) -> Principal:
    return Principal.of("admin", users=("alice@example.com",), groups=(ADMINS, *extra))


# ---- raw Okta API JSON builders (shapes per the Management API spec) -------------------------


def zone(zone_id: str, gateways: list[str], proxies: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": zone_id,
        "name": zone_id,
        "type": "IP",
        "status": "ACTIVE",
        "usage": "POLICY",
        "gateways": [{"type": "CIDR", "value": v} for v in gateways],
        "proxies": [{"type": "CIDR", "value": v} for v in proxies] if proxies else None,
    }


def signon_policy(pid: str, priority: int, groups: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "name": pid,
        "type": "OKTA_SIGN_ON",
        "status": extra.get("status", "ACTIVE"),
        "priority": priority,
        "system": extra.get("system", False),
        "conditions": {"people": {"groups": {"include": groups}}},
    }


def signon_rule(
    rid: str, priority: int, access: str, network: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "name": rid,
        "type": "SIGN_ON",
        "priority": priority,
        "status": extra.get("status", "ACTIVE"),
        "conditions": {
            "network": network or {"connection": "ANYWHERE"},
            "people": {"users": {"exclude": extra.get("users_exclude", [])}},
        },
        "actions": {
            "signon": {
                "access": access,
                "requireFactor": extra.get("mfa", False),
                "factorPromptMode": "ALWAYS",
                "session": {"maxSessionIdleMinutes": 15, "maxSessionLifetimeMinutes": 120},
            }
        },
    }


def app_rule(
    rid: str, priority: int, access: str, network: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "name": rid,
        "type": "ACCESS_POLICY",
        "priority": priority,
        "status": extra.get("status", "ACTIVE"),
        "system": extra.get("system", False),
        "conditions": {
            "network": network or {"connection": "ANYWHERE"},
            "people": {
                "groups": {"include": extra.get("groups", [])},
                "users": {"exclude": extra.get("users_exclude", [])},
            },
        },
        "actions": {
            "appSignOn": {
                "access": access,
                "verificationMethod": {
                    "type": "ASSURANCE",
                    "factorMode": "2FA",
                    "reauthenticateIn": "PT2H",
                },
            }
        },
    }


GROUP_IDS = {"g-admins": ADMINS, "g-everyone": "Everyone", "g-helpdesk": "Helpdesk"}


def live_org(
    extra_policies: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]] = (),
) -> PolicySet:
    """A live org: our policy (priority 10; extra policies keep their own), Default Policy last."""
    ours = signon_policy("ours", 10, ["g-admins"])
    ours_rules = [
        signon_rule("allow-trusted", 1, "ALLOW", {"connection": "ZONE", "include": ["z1"]}),
        signon_rule("deny-other", 2, "DENY", users_exclude=["u-bg"]),
    ]
    default = signon_policy("Default Policy", 99, ["g-everyone"], system=True)
    default_rules = [signon_rule("Default Rule", 1, "ALLOW")]
    policies = [(ours, ours_rules), *extra_policies, (default, default_rules)]
    console = {"id": "console", "name": "Okta Admin Console", "type": "ACCESS_POLICY"}
    console_rules = [
        app_rule(
            "admins-trusted",
            1,
            "ALLOW",
            {"connection": "ZONE", "include": ["z1"]},
            groups=["g-admins"],
        ),
        app_rule(
            "admins-deny",
            2,
            "DENY",
            {"connection": "ZONE", "exclude": ["z1"]},
            groups=["g-admins"],
            users_exclude=["u-bg"],
        ),
        app_rule("Admin App Policy", 3, "ALLOW"),
        app_rule("Catch-all Rule", 99, "DENY", system=True),
    ]
    rules = {p["id"]: r for p, r in policies}
    rules["console"] = console_rules
    return policy_set_from_okta(
        [zone("z1", ["198.51.100.0/24", "2001:db8::/32"], ["203.0.113.0/24"])],
        [p for p, _ in policies],
        rules,
        console,
        group_names=GROUP_IDS,
    )


def test_break_glass_in_admin_group_falls_through_to_default_policy() -> None:
    policy_set = policy_set_from_state(desired())
    principal = Principal.of("bg", users=(BG_USER,), groups=(ADMINS,))
    decision = evaluate(policy_set, principal, "192.0.2.10")
    assert decision.session.policy == "Default Policy"
    assert decision.session.rule == "Default Rule"
    assert decision.can_sign_in and decision.can_reach_console
    assert decision.admin_console.rule == "Admin App Policy"
    inside = evaluate(policy_set, principal, "198.51.100.7")
    assert inside.session.rule == f"{PREFIX} allow trusted egress"


@pytest.mark.parametrize(
    ("mode", "session_rule", "console_rule", "allowed"),
    [
        ("enforce", f"{PREFIX} deny other networks", f"{PREFIX} deny admins elsewhere", False),
        ("monitor", "Default Rule", "Admin App Policy", True),
    ],
)
def test_monitor_mode_inactive_deny_rule_lets_admins_in(
    mode: str, session_rule: str, console_rule: str, allowed: bool
) -> None:
    decision = evaluate(policy_set_from_state(desired(mode)), admin(), "192.0.2.10")
    assert decision.session.rule == session_rule
    assert decision.admin_console.rule == console_rule
    assert decision.can_sign_in is allowed
    assert decision.can_reach_console is allowed


def test_unmanaged_higher_priority_policy_overrides_ours() -> None:
    rogue = signon_policy("rogue", 1, ["g-admins"])
    policy_set = live_org([(rogue, [signon_rule("anywhere", 1, "ALLOW")])])
    decision = evaluate(policy_set, admin(), "192.0.2.10")
    assert (decision.session.policy, decision.session.rule) == ("rogue", "anywhere")
    assert decision.can_sign_in
    baseline = evaluate(live_org(), admin(), "192.0.2.10")
    assert (baseline.session.policy, baseline.session.rule) == ("ours", "deny-other")


def test_inactive_unmanaged_policy_is_skipped() -> None:
    rogue = signon_policy("rogue", 1, ["g-admins"], status="INACTIVE")
    decision = evaluate(
        live_org([(rogue, [signon_rule("anywhere", 1, "ALLOW")])]), admin(), "192.0.2.10"
    )
    assert decision.session.rule == "deny-other"


def test_excluded_user_skips_deny_rules() -> None:
    excluded = Principal.of("bg", users=("u-bg", BG_USER), groups=(ADMINS,))
    decision = evaluate(live_org(), excluded, "192.0.2.10")
    assert (decision.session.policy, decision.session.rule) == ("Default Policy", "Default Rule")
    assert decision.admin_console.rule == "Admin App Policy"
    other = evaluate(live_org(), admin(), "192.0.2.10")
    assert other.admin_console.rule == "admins-deny"
    assert not other.can_reach_console


@pytest.mark.parametrize(
    ("address", "rule", "allowed"),
    [
        ("2001:db8::1", "allow-trusted", True),
        ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "allow-trusted", True),
        ("2001:db9::1", "deny-other", False),
        ("::ffff:198.51.100.7", "deny-other", False),  # IPv4-mapped IPv6 is not the IPv4 zone
        ("198.51.100.7", "allow-trusted", True),
    ],
)
def test_ipv6_sources(address: str, rule: str, allowed: bool) -> None:
    decision = evaluate(live_org(), admin(), address)
    assert decision.session.rule == rule
    assert decision.can_reach_console is allowed


def test_admin_in_two_groups_takes_first_matching_policy() -> None:
    helpdesk = signon_policy("helpdesk", 1, ["g-helpdesk"])
    helpdesk_rules = [
        signon_rule(
            "helpdesk-office", 1, "ALLOW", {"connection": "ZONE", "include": ["z1"]}, mfa=True
        ),
    ]
    policy_set = live_org([(helpdesk, helpdesk_rules)])
    both = admin("Helpdesk")
    inside = evaluate(policy_set, both, "198.51.100.9")
    assert (inside.session.policy, inside.session.rule) == ("helpdesk", "helpdesk-office")
    assert inside.session.mfa_required and inside.session.mfa_prompt == "ALWAYS"
    # No helpdesk rule matches outside the zone: the next policy (ours) decides.
    outside = evaluate(policy_set, both, "192.0.2.10")
    assert (outside.session.policy, outside.session.rule) == ("ours", "deny-other")
    only_admin = evaluate(policy_set, admin(), "198.51.100.9")
    assert only_admin.session.policy == "ours"


@pytest.mark.parametrize(
    ("client", "via", "inside"),
    [
        ("198.51.100.7", (), True),  # gateway, direct
        ("203.0.113.5", (), False),  # a trusted proxy alone is not inside the zone
        ("198.51.100.7", ("203.0.113.5",), True),  # gateway client behind a trusted proxy
        ("192.0.2.1", ("203.0.113.5",), False),  # other client behind the proxy
        ("192.0.2.1", ("198.51.100.1",), True),  # the connecting address is a gateway
        ("198.51.100.7", ("192.0.2.50",), False),  # untrusted proxy: Okta does not look past it
        ("198.51.100.7", ("203.0.113.1", "203.0.113.2"), True),  # two trusted proxies
        ("198.51.100.7", tuple(f"203.0.113.{i}" for i in range(1, 6)), False),  # > 5 hops
    ],
)
def test_zone_with_gateways_and_proxies(client: str, via: tuple[str, ...], inside: bool) -> None:
    decision = evaluate(live_org(), admin(), client, via)
    assert (decision.session.rule == "allow-trusted") is inside
    assert decision.can_reach_console is inside
    # Symbolic mode reaches the same decision for the client's range.
    point = parse_address(client)
    [segment] = [s for s in partition(live_org(), admin(), via) if s.first <= point <= s.last]
    assert segment.decision == decision


def test_session_and_console_details_from_the_desired_state() -> None:
    decision = evaluate(policy_set_from_state(desired()), admin(), "198.51.100.7")
    assert decision.session.mfa_required and decision.session.mfa_prompt == "ALWAYS"
    assert decision.session.session_lifetime_minutes == 120
    assert decision.session.session_idle_minutes == 15
    assert decision.admin_console.factor_mode == "2FA"
    assert decision.admin_console.reauthenticate_in == "PT2H"


def test_blocklist_zone_denies_before_policies() -> None:
    base = live_org()
    blocked = policy_set_from_okta(
        [
            zone("z1", ["198.51.100.0/24"]),
            {**zone("BlockedIpZone", ["198.51.100.128/25"]), "usage": "BLOCKLIST"},
        ],
        [],
        {},
        None,
    )
    merged = PolicySet(blocked.zones, base.signon_policies, base.admin_console, "live")
    decision = evaluate(merged, admin(), "198.51.100.200")
    assert not decision.can_sign_in
    assert "BlockedIpZone" in str(decision.session.rule)
    assert evaluate(merged, admin(), "198.51.100.1").can_sign_in


def test_dynamic_zone_is_reported_as_uncertain() -> None:
    base = live_org()
    dynamic = {
        "id": "dyn",
        "name": "DefaultEnhancedDynamicZone",
        "type": "DYNAMIC_V2",
        "status": "ACTIVE",
        "usage": "BLOCKLIST",
    }
    rogue = signon_policy("geo", 1, ["g-admins"])
    policy_set = live_org(
        [
            (
                rogue,
                [signon_rule("geo-allow", 1, "ALLOW", {"connection": "ZONE", "include": ["dyn"]})],
            )
        ]
    )
    with_dynamic = PolicySet(
        (*base.zones, *policy_set_from_okta([dynamic], [], {}, None).zones),
        policy_set.signon_policies,
        policy_set.admin_console,
        "live",
    )
    decision = evaluate(with_dynamic, admin(), "192.0.2.10")
    assert decision.session.rule == "deny-other"
    assert decision.uncertain == ("DefaultEnhancedDynamicZone",)
