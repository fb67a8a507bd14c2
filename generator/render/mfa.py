"""`mfa.tf` (only when something is enforced): the rule requiring MFA for Everyone in the
Global Session Policy's Default Policy, and the two-factor rule directly above the Catch-all
Rule of each named authentication policy whose Catch-all allows with one factor (none where it
denies or already asks for two: the model's `skipped`), each policy looked up by data source
(never an id). The Admin Console policy's two-factor rule is among our rules there
(`app_policies.tf`)."""

from __future__ import annotations

from generator.model import DesiredState, SessionRule
from generator.model_mfa import MfaAppRule
from generator.render import addresses
from generator.render.app_policies import rule_block
from generator.render.common import rule_head, session_signon
from generator.render.hcl import Attribute, Block, Ref


def everyone_blocks(rule: SessionRule) -> list[Block]:
    lookup = Block(
        "data",
        (addresses.DEFAULT_POLICY_DATA, addresses.DEFAULT_SIGN_ON),
        (Attribute("type", "OKTA_SIGN_ON"),),
    )
    body = rule_head(addresses.default_sign_on_policy_id(), rule)
    body += session_signon(rule)
    return [lookup, Block("resource", (addresses.SESSION_RULE, rule.key), tuple(body))]


def app_rule_blocks(mfa_rule: MfaAppRule) -> list[Block]:
    """One `okta_app_signon_policy_rules` per policy (as `app_policies.tf` renders ours on the
    protected apps' policies), holding only our rule: the policy's own rules are left alone."""
    if mfa_rule.rule is None:
        return []
    lookup = Block(
        "data",
        (addresses.POLICY_DATA, mfa_rule.key),
        (Attribute("name", mfa_rule.policy_name), Attribute("type", "ACCESS_POLICY")),
    )
    body = (
        Attribute("policy_id", Ref(addresses.policy_id(mfa_rule.key))),
        rule_block(mfa_rule.rule),
    )
    return [lookup, Block("resource", (addresses.APP_RULES, mfa_rule.key), body)]


def mfa_blocks(state: DesiredState) -> list[Block]:
    mfa = state.mfa
    if mfa is None:
        return []
    blocks = everyone_blocks(mfa.everyone_rule) if mfa.everyone_rule else []
    for mfa_rule in mfa.app_rules:
        blocks += app_rule_blocks(mfa_rule)
    return blocks
