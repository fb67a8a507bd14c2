"""The org as an apply leaves it: live objects outside egress-guard kept, ours replaced by the
desired state's, placed at their configured priorities as Okta places them."""

from __future__ import annotations

from generator.simulate.overlay import overlay
from generator.simulate.policyset import (
    AppPolicy,
    AppRule,
    NetZone,
    PolicySet,
    SignOnPolicy,
    SignOnRule,
)


def policy(pid: str, priority: int, *, managed: bool = False, system: bool = False) -> SignOnPolicy:
    rule = SignOnRule(f"{pid}-r", "r", 1, "ALLOW")
    return SignOnPolicy(pid, pid, priority, (), (rule,), managed=managed, system=system)


def test_ours_replace_the_live_managed_objects_at_their_priority() -> None:
    live = PolicySet(
        zones=(NetZone("z1", "egress-guard-corporate-01"), NetZone("z2", "Office")),
        signon_policies=(
            policy("engineering", 1),
            policy("old-ours", 2, managed=True),
            policy("helpdesk", 3),
            policy("default", 4, system=True),
        ),
        admin_console=AppPolicy(
            "console",
            "Okta Admin Console",
            (
                AppRule("mine-old", "egress-guard x", 1, "ALLOW", managed=True),
                AppRule("org-rule", "Admin App Policy", 2, "ALLOW"),
                AppRule("catch", "Catch-all Rule", 99, "DENY", system=True),
            ),
        ),
        source="live",
    )
    desired = PolicySet(
        zones=(NetZone("corporate_01", "egress-guard-corporate-01"),),
        signon_policies=(policy("ours", 1, managed=True), policy("default_policy", 9, system=True)),
        admin_console=AppPolicy(
            "admin_console",
            "Okta Admin Console",
            (
                AppRule("allow", "egress-guard allow", 1, "ALLOW", managed=True),
                AppRule("deny", "egress-guard deny", 2, "DENY", managed=True),
            ),
        ),
        source="desired",
    )
    merged = overlay(live, desired)
    assert [z.id for z in merged.zones] == ["z2", "corporate_01"]
    order = sorted(merged.signon_policies, key=lambda p: p.priority)
    assert [p.id for p in order] == ["ours", "engineering", "helpdesk", "default"]
    assert merged.admin_console is not None
    rules = sorted(merged.admin_console.rules, key=lambda r: r.priority)
    assert [r.id for r in rules] == ["allow", "deny", "org-rule", "catch"]
    assert rules[-1].priority == 99 and merged.admin_console.id == "console"
