"""`app_policies.tf`: our rules on each protected app's existing authentication policy."""

from __future__ import annotations

from generator.model import AppPolicyRules, AppRule, DesiredState
from generator.render import addresses
from generator.render.common import chained, optional_ids, rule_head
from generator.render.hcl import Attribute, Block, HclList


def rule_block(app: AppPolicyRules, rule: AppRule, previous: str | None) -> Block:
    body = [
        *rule_head(addresses.app_policy_id(app.key), rule),
        *optional_ids("groups_included", rule.groups_included, addresses.group_id),
        *optional_ids("groups_excluded", rule.groups_excluded, addresses.group_id),
        *optional_ids("users_excluded", rule.users_excluded, addresses.user_id),
        Attribute("factor_mode", rule.factor_mode),
        Attribute("re_authentication_frequency", rule.re_authentication_frequency),
    ]
    if rule.constraints:
        body.append(Attribute("constraints", HclList(rule.constraints)))
    return Block("resource", (addresses.APP_RULE, rule.key), tuple(body), chained(previous))


def app_policy_blocks(app: AppPolicyRules) -> list[Block]:
    blocks: list[Block] = []
    previous: str | None = None
    for rule in sorted(app.rules, key=lambda rule: rule.priority):
        blocks.append(rule_block(app, rule, previous))
        previous = f"{addresses.APP_RULE}.{rule.key}"
    return blocks


def app_policies_blocks(state: DesiredState) -> list[Block]:
    return [block for app in state.app_policies for block in app_policy_blocks(app)]
