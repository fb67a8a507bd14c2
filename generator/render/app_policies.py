"""`app_policies.tf`: our rules on each protected app's existing authentication policy.

One `okta_app_signon_policy_rules` resource per policy holds all our rules there (the provider
writes them in priority order and adopts a rule of the same name; the maintainers' answer to
the priority drift of one resource per rule: okta/terraform-provider-okta#2953, #1028, #1286).
It manages only the rules it names: the policy's other rules and its Catch-all Rule are left
alone. Every rule sends its `priority` and `re_authentication_frequency` (the resource has no
default for the latter and Okta would fill in 12 hours).

egress-guard 0.1 rendered one `okta_app_signon_policy_rule` per rule: a `removed` block per
such address forgets them without deleting anything, and the grouped resource adopts the same
rules by name on its first apply (the migration the provider documents).

A dedicated Admin Console policy (opt-in, `okta.admin_console.dedicated_policy`) is rendered as
`okta_app_signon_policy` (its Catch-all Rule denying: `catch_all = false`) holding our rules, and
`okta_app_access_policy_assignment` assigning it to the app, applied after the rules so the app
never has the new policy without them.
"""

from __future__ import annotations

from generator.model import AppPolicyRules, AppRule, DesiredState
from generator.render import addresses
from generator.render.common import optional_ids
from generator.render.hcl import Attribute, Block, HclList, Ref


def rule_block(rule: AppRule) -> Block:
    body = [
        Attribute("name", rule.name),
        Attribute("priority", rule.priority),
        Attribute("status", rule.status),
        Attribute("access", rule.access),
        Attribute("network_connection", rule.network_connection),
        *optional_ids("network_includes", rule.network_includes, addresses.zone_id),
        *optional_ids("network_excludes", rule.network_excludes, addresses.zone_id),
        *optional_ids("groups_included", rule.groups_included, addresses.group_id),
        *optional_ids("groups_excluded", rule.groups_excluded, addresses.group_id),
        *optional_ids("users_included", rule.users_included, addresses.user_id),
        *optional_ids("users_excluded", rule.users_excluded, addresses.user_id),
        Attribute("factor_mode", rule.factor_mode),
        Attribute("re_authentication_frequency", rule.re_authentication_frequency),
    ]
    if rule.constraints:
        body.append(Attribute("constraints", HclList(rule.constraints)))
    return Block("rule", body=tuple(body))


def legacy_removed(app: AppPolicyRules) -> list[Block]:
    """Forget 0.1's one-resource-per-rule addresses; destroy nothing."""
    lifecycle = Block("lifecycle", body=(Attribute("destroy", False),))
    return [
        Block(
            "removed",
            body=(Attribute("from", Ref(f"{addresses.LEGACY_APP_RULE}.{rule.key}")), lifecycle),
        )
        for rule in addresses.app_rule_order(app)
    ]


def dedicated_policy_block(app: AppPolicyRules, name: str) -> Block:
    """Our policy for the app; its Catch-all Rule denies: our rules decide everyone's access,
    break-glass included."""
    body = (
        Attribute("name", name),
        Attribute("description", app.description),
        Attribute("catch_all", False),
    )
    return Block("resource", (addresses.APP_POLICY, app.key), body)


def assignment_block(app: AppPolicyRules) -> Block:
    body = (
        Attribute("app_id", Ref(addresses.app_id(app.key))),
        Attribute("policy_id", Ref(addresses.app_policy_id(app.key, dedicated=True))),
        Attribute("depends_on", HclList((Ref(addresses.app_rules(app.key)),))),
    )
    return Block("resource", (addresses.APP_POLICY_ASSIGNMENT, app.key), body)


def app_policy_blocks(app: AppPolicyRules) -> list[Block]:
    dedicated = app.dedicated_policy is not None
    body: tuple[Attribute | Block, ...] = (
        Attribute("policy_id", Ref(addresses.app_policy_id(app.key, dedicated))),
        *(rule_block(rule) for rule in addresses.app_rule_order(app)),
    )
    rules = Block("resource", (addresses.APP_RULES, app.key), body)
    if app.dedicated_policy is None:
        return [rules, *legacy_removed(app)]
    policy = dedicated_policy_block(app, app.dedicated_policy)
    return [policy, rules, assignment_block(app), *legacy_removed(app)]


def app_policies_blocks(state: DesiredState) -> list[Block]:
    return [block for app in state.app_policies for block in app_policy_blocks(app)]
