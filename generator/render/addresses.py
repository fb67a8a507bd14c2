"""Terraform addresses of everything rendered for the model (other tools rely on this naming).

All addresses are relative to the generated module (`module.egress_guard` in the root module).
"""

from __future__ import annotations

from generator.model import AppPolicyRules, AppRule, slug

MODULE_ADDRESS = "module.egress_guard"

ZONE = "okta_network_zone"
SESSION_POLICY = "okta_policy_signon"
SESSION_RULE = "okta_policy_rule_signon"
APP_RULES = "okta_app_signon_policy_rules"  # all our rules of one app's policy
LEGACY_APP_RULE = "okta_app_signon_policy_rule"  # one per rule: what 0.1 rendered
GROUP_DATA = "okta_group"
USER_DATA = "okta_user"
APP_DATA = "okta_app"
APP_POLICY_DATA = "okta_app_signon_policy"
THREAT_INSIGHT = "okta_threat_insight_settings"
API_TOKEN = "okta_api_token"
POLICY_DATA = "okta_policy"  # an authentication policy by name (mfa.app_policies)
DEFAULT_POLICY_DATA = "okta_default_policy"  # the Global Session Policy's Default Policy
DEFAULT_SIGN_ON = "sign_on"  # its Terraform name
APP_POLICY = "okta_app_signon_policy"  # a dedicated authentication policy (resource)
APP_POLICY_ASSIGNMENT = "okta_app_access_policy_assignment"


def group_name(group: str) -> str:
    """Terraform name of the `data "okta_group"` looking up the group called `group`."""
    return slug(group)


def user_name(login: str) -> str:
    """Terraform name of the `data "okta_user"` looking up the user with login `login`."""
    return slug(login)


def zone_id(key: str) -> str:
    """A zone of ours, or one of Okta's own looked up by name (keys `system_*`)."""
    if key.startswith("system_"):
        return f"data.{ZONE}.{key}.id"
    return f"{ZONE}.{key}.id"


def session_policy_id(key: str) -> str:
    return f"{SESSION_POLICY}.{key}.id"


def group_id(group: str) -> str:
    return f"data.{GROUP_DATA}.{group_name(group)}.id"


def group_users(group: str) -> str:
    """The member user ids of a group looked up with `include_users = true`."""
    return f"data.{GROUP_DATA}.{group_name(group)}.users"


def user_id(login: str) -> str:
    return f"data.{USER_DATA}.{user_name(login)}.id"


def app_id(app_key: str) -> str:
    return f"data.{APP_DATA}.{app_key}.id"


def app_policy_id(app_key: str, dedicated: bool = False) -> str:
    """The app's authentication policy: looked up (the policy it has), or our own."""
    if dedicated:
        return f"{APP_POLICY}.{app_key}.id"
    return f"data.{APP_POLICY_DATA}.{app_key}.id"


def app_rules(app_key: str) -> str:
    """The `okta_app_signon_policy_rules` resource holding our rules of an app's policy."""
    return f"{APP_RULES}.{app_key}"


def app_rule_order(app: AppPolicyRules) -> list[AppRule]:
    """An app's rules in the order their `rule` blocks are rendered: by priority."""
    return sorted(app.rules, key=lambda rule: rule.priority)


def app_rule(app: AppPolicyRules, rule: AppRule) -> str:
    """Where one of those rules lives: its `rule` block, `<resource>.rule[<index>]`."""
    index = next(n for n, other in enumerate(app_rule_order(app)) if other.key == rule.key)
    return f"{app_rules(app.key)}.rule[{index}]"


def policy_id(key: str) -> str:
    """The id of `data "okta_policy" "<key>"` (an authentication policy looked up by name)."""
    return f"data.{POLICY_DATA}.{key}.id"


def default_sign_on_policy_id() -> str:
    return f"data.{DEFAULT_POLICY_DATA}.{DEFAULT_SIGN_ON}.id"
