"""`session_policy.tf`: the admins' Global Session Policy and its rules, chained by priority."""

from __future__ import annotations

from generator.model import DesiredState, SessionPolicy, SessionRule
from generator.render import addresses
from generator.render.common import chained, excluded_users, id_list, rule_head, session_signon
from generator.render.hcl import Attribute, Block


def policy_block(policy: SessionPolicy) -> Block:
    body = (
        Attribute("name", policy.name),
        Attribute("description", policy.description),
        Attribute("status", policy.status),
        Attribute("priority", policy.priority),
        Attribute("groups_included", id_list(policy.groups_included, addresses.group_id)),
    )
    return Block("resource", (addresses.SESSION_POLICY, policy.key), body)


def rule_block(policy: SessionPolicy, rule: SessionRule, previous: str | None) -> Block:
    body = rule_head(addresses.session_policy_id(policy.key), rule)
    users = excluded_users(rule.users_excluded, rule.groups_members_excluded)
    if users is not None:
        body.append(Attribute("users_excluded", users))
    body += session_signon(rule)
    return Block("resource", (addresses.SESSION_RULE, rule.key), tuple(body), chained(previous))


def session_policy_blocks(state: DesiredState) -> list[Block]:
    policy = state.session_policy
    blocks = [policy_block(policy)]
    previous: str | None = None
    for rule in sorted(policy.rules, key=lambda rule: rule.priority):
        blocks.append(rule_block(policy, rule, previous))
        previous = f"{addresses.SESSION_RULE}.{rule.key}"
    return blocks
