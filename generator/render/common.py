"""Helpers shared by the rule renderers: id lists, the attributes every rule starts with and
the `depends_on` priority chain."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.model import AppRule, SessionRule
from generator.render import addresses
from generator.render.hcl import Attribute, Call, HclList, Ref, Value


def id_list(names: Iterable[str], to_ref: Callable[[str], str]) -> HclList:
    """References for a set-valued attribute, sorted: output independent of input order."""
    return HclList(tuple(Ref(expr) for expr in sorted({to_ref(name) for name in names})))


def optional_ids(name: str, names: Iterable[str], to_ref: Callable[[str], str]) -> list[Attribute]:
    ids = id_list(names, to_ref)
    return [Attribute(name, ids)] if ids.items else []


def excluded_users(logins: Iterable[str], member_groups: Iterable[str]) -> Value | None:
    """User ids of `logins` plus the members of `member_groups`; None when there are none."""
    users = id_list(logins, addresses.user_id)
    groups = sorted({addresses.group_users(group) for group in member_groups})
    if not groups:
        return users if users.items else None
    if not users.items and len(groups) == 1:
        return Ref(groups[0])
    return Call("setunion", (users, *(Ref(group) for group in groups)))


def rule_head(policy_id: str, rule: SessionRule | AppRule) -> list[Attribute]:
    """The attributes a rule of either kind starts with: its policy (`policy_id`, a Terraform
    expression), name, priority, status, access and network condition."""
    return [
        Attribute("policy_id", Ref(policy_id)),
        Attribute("name", rule.name),
        Attribute("priority", rule.priority),
        Attribute("status", rule.status),
        Attribute("access", rule.access),
        Attribute("network_connection", rule.network_connection),
        *optional_ids("network_includes", rule.network_includes, addresses.zone_id),
        *optional_ids("network_excludes", rule.network_excludes, addresses.zone_id),
    ]


def session_signon(rule: SessionRule) -> list[Attribute]:
    """A Global Session Policy rule's MFA and session attributes (what follows its head)."""
    attributes = [Attribute("mfa_required", rule.mfa_required)]
    if rule.mfa_prompt is not None:
        attributes.append(Attribute("mfa_prompt", rule.mfa_prompt))
    return [
        *attributes,
        Attribute("session_idle", rule.session_idle_minutes),
        Attribute("session_lifetime", rule.session_lifetime_minutes),
        Attribute("session_persistent", rule.session_persistent),
    ]


def chained(previous_address: str | None) -> tuple[Attribute, ...]:
    """`depends_on` on the rule one priority above, so Terraform applies rules top-down."""
    if previous_address is None:
        return ()
    return (Attribute("depends_on", HclList((Ref(previous_address),))),)
