"""The values the rendered rules carry over from the model: canonical gateways, monitor mode,
phishing resistance, break-glass exclusions, every zone trusted, and the Admin Console's rules
(every user by default, admin groups, a dedicated policy)."""

from __future__ import annotations

from pathlib import Path

import netaddr
from render_support import (
    SHARDS,
    VARIANTS,
    app_rule,
    app_rules,
    attr,
    config,
    of_type,
    refs,
    strings,
    write,
)

from generator.model import build_desired_state
from generator.settings import BreakGlassConfig


def test_single_hosts_are_canonical_slash_32(tmp_path: Path) -> None:
    module = write(tmp_path / "generated", VARIANTS["enforce"])
    gateways = [
        gateway
        for zone in of_type(module, "okta_network_zone")
        for gateway in strings(attr(zone, "gateways"))
    ]
    assert "203.0.113.7/32" in gateways
    for gateway in gateways:
        assert gateway == str(netaddr.IPNetwork(gateway).cidr)


def test_monitor_mode_deactivates_only_deny_rules(tmp_path: Path) -> None:
    for mode, deny_status in (("enforce", '"ACTIVE"'), ("monitor", '"INACTIVE"')):
        module = write(tmp_path / mode, VARIANTS[mode])
        rules = [r.body.attributes for r in of_type(module, "okta_policy_rule_signon")]
        texts = [{k: v.text for k, v in rule.items()} for rule in rules] + app_rules(module)
        assert len(texts) == 4
        for rule in texts:
            expected = deny_status if rule["access"] == '"DENY"' else '"ACTIVE"'
            assert rule["status"] == expected, rule["name"]


def test_phishing_resistant_constraint_only_when_opted_in(tmp_path: Path) -> None:
    on = write(tmp_path / "on", VARIANTS["phishing_resistant"])
    off = write(tmp_path / "off", VARIANTS["enforce"])
    allow = [rule for rule in app_rules(on) if rule["access"] == '"ALLOW"']
    assert allow
    for rule in allow:  # `required` explicit: the provider would send false otherwise
        assert strings(rule["constraints"]) == [
            '{\\"possession\\":{\\"phishingResistant\\":\\"REQUIRED\\",\\"required\\":true}}'
        ]
    assert app_rules(off) and all("constraints" not in rule for rule in app_rules(off))


def test_break_glass_group_members_and_users_are_excluded(tmp_path: Path) -> None:
    module = write(tmp_path / "generated", VARIANTS["break_glass_group"])
    group = module.resources["data.okta_group.break_glass_accounts"]
    assert attr(group, "include_users") == "true"
    admins = module.resources["data.okta_group.okta_administrators"]
    assert "include_users" not in admins.body.attributes
    user = module.resources["data.okta_user.second_bg_example_com"]
    (search,) = user.body.blocks
    assert search[0] == "search"
    assert {k: v.text for k, v in search[1].attributes.items()} == {
        "name": '"profile.login"',
        "value": '"second.bg@example.com"',
    }
    deny = module.resources["okta_policy_rule_signon.admins_deny_other"]
    excluded = attr(deny, "users_excluded")
    assert excluded.startswith("setunion(")
    assert "data.okta_group.break_glass_accounts.users" in excluded
    assert sorted(refs(excluded)) == [
        "data.okta_group.break_glass_accounts",
        "data.okta_user.breakglass_example_com",
        "data.okta_user.second_bg_example_com",
    ]
    app_deny = app_rule(module, "admin_console", "egress-guard deny admins elsewhere")
    assert refs(app_deny["groups_excluded"]) == ["data.okta_group.break_glass_accounts"]
    allow = app_rule(module, "admin_console", "egress-guard admins from trusted egress")
    assert "groups_excluded" not in allow


def test_without_break_glass_group_users_excluded_is_a_plain_list(tmp_path: Path) -> None:
    state = build_desired_state(
        config(break_glass=BreakGlassConfig(users=("breakglass@example.com",))), SHARDS
    )
    module = write(tmp_path / "generated", state)
    deny = module.resources["okta_policy_rule_signon.admins_deny_other"]
    assert attr(deny, "users_excluded") == "[data.okta_user.breakglass_example_com.id]"
    groups = [r for r in module.resources.values() if r.type == "okta_group"]
    assert all("include_users" not in g.body.attributes for g in groups)


def test_every_zone_is_trusted_by_every_rule(tmp_path: Path) -> None:
    state = VARIANTS["many_zones"]
    module = write(tmp_path / "generated", state)
    zone_addresses = sorted(f"okta_network_zone.{zone.key}" for zone in state.zones)
    assert len(zone_addresses) == 42
    allow = module.resources["okta_policy_rule_signon.admins_allow_trusted"]
    assert sorted(refs(attr(allow, "network_includes"))) == zone_addresses
    app_deny = app_rule(module, "admin_console", "egress-guard deny admins elsewhere")
    assert sorted(refs(app_deny["network_excludes"])) == zone_addresses


# ---- the Admin Console's rules: every user by default, admin groups, dedicated policy ----

ADMINS_REF = "data.okta_group.okta_administrators.id"
ALLOW, DENY = "egress-guard admins from trusted egress", "egress-guard deny admins elsewhere"
BREAK_GLASS = "egress-guard break-glass from anywhere"


def test_console_rules_cover_every_user_by_default(tmp_path: Path) -> None:
    module = write(tmp_path / "m", VARIANTS["break_glass_group"])
    for name in (ALLOW, DENY):
        assert "groups_included" not in app_rule(module, "admin_console", name)
    deny = app_rule(module, "admin_console", DENY)
    assert "data.okta_user.breakglass_example_com.id" in deny["users_excluded"]
    assert deny["groups_excluded"] == "[data.okta_group.break_glass_accounts.id]"
    # other apps are used by everyone: their rules stay scoped to the admin groups
    extra = write(tmp_path / "x", VARIANTS["extra_apps"])
    assert ADMINS_REF in app_rule(extra, "app_aws", DENY)["groups_included"]
    assert "groups_included" not in app_rule(extra, "admin_console", DENY)


def test_admin_group_scoping_keeps_todays_rules(tmp_path: Path) -> None:
    module = write(tmp_path / "m", VARIANTS["console_admin_groups"])
    for name in (ALLOW, DENY):
        assert ADMINS_REF in app_rule(module, "admin_console", name)["groups_included"]


def test_dedicated_policy_is_created_filled_then_assigned(tmp_path: Path) -> None:
    module = write(tmp_path / "m", VARIANTS["dedicated_console_policy"])
    [policy] = of_type(module, "okta_app_signon_policy")
    assert strings(attr(policy, "name")) == ["egress-guard Okta Admin Console"]
    assert attr(policy, "catch_all") == "false"  # the Catch-all Rule denies
    rules = module.resources["okta_app_signon_policy_rules.admin_console"]
    assert attr(rules, "policy_id") == "okta_app_signon_policy.admin_console.id"
    [assignment] = of_type(module, "okta_app_access_policy_assignment")
    assert attr(assignment, "app_id") == "data.okta_app.admin_console.id"
    assert attr(assignment, "policy_id") == "okta_app_signon_policy.admin_console.id"
    # assigned only once the rules exist: the app never has the policy without them
    assert assignment.depends_on == ("okta_app_signon_policy_rules.admin_console",)
    assert "data.okta_app_signon_policy.admin_console" not in module.resources
    bg = app_rule(module, "admin_console", BREAK_GLASS)
    # from anywhere but Okta's own blocklist: a zone named, as STIG V-279693 asks of every rule
    assert (strings(bg["access"]), strings(bg["network_connection"])) == (["ALLOW"], ["ZONE"])
    assert bg["network_excludes"] == "[data.okta_network_zone.system_blocked.id]"
    blocked = module.resources["data.okta_network_zone.system_blocked"]
    assert strings(attr(blocked, "name")) == ["BlockedIpZone"]
    assert bg["users_included"] == "[data.okta_user.breakglass_example_com.id]"
    assert bg["groups_included"] == "[data.okta_group.break_glass_accounts.id]"
