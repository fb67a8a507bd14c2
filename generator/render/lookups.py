"""`lookups.tf`: data sources for the groups, users and apps the model names (never raw IDs)."""

from __future__ import annotations

from generator.model import DesiredState
from generator.render import addresses
from generator.render.hcl import Attribute, Block, Ref


def referenced_groups(state: DesiredState) -> set[str]:
    names = set(state.group_names) | set(state.session_policy.groups_included)
    for rule in state.session_policy.rules:
        names.update(rule.groups_members_excluded)
    for app in state.app_policies:
        for app_rule in app.rules:
            names.update(app_rule.groups_included, app_rule.groups_excluded)
    return names


def member_groups(state: DesiredState) -> set[str]:
    """Groups whose member ids the rules use (looked up with `include_users = true`)."""
    return {name for rule in state.session_policy.rules for name in rule.groups_members_excluded}


def referenced_users(state: DesiredState) -> set[str]:
    logins = set(state.break_glass.users)
    for rule in state.session_policy.rules:
        logins.update(rule.users_excluded)
    for app in state.app_policies:
        for app_rule in app.rules:
            logins.update(app_rule.users_excluded, app_rule.users_included)
    return logins


def group_block(name: str, include_users: bool) -> Block:
    body = [Attribute("name", name)]
    if include_users:
        body.append(Attribute("include_users", True))
    return Block("data", (addresses.GROUP_DATA, addresses.group_name(name)), tuple(body))


def user_block(login: str) -> Block:
    search = Block("search", body=(Attribute("name", "profile.login"), Attribute("value", login)))
    return Block("data", (addresses.USER_DATA, addresses.user_name(login)), (search,))


def app_blocks(app_key: str, label: str, dedicated: bool = False) -> list[Block]:
    """The app, and the policy it has (not looked up when we give it a dedicated one)."""
    blocks = [Block("data", (addresses.APP_DATA, app_key), (Attribute("label", label),))]
    if not dedicated:
        blocks.append(
            Block(
                "data",
                (addresses.APP_POLICY_DATA, app_key),
                (Attribute("app_id", Ref(addresses.app_id(app_key))),),
            )
        )
    return blocks


def lookups_blocks(state: DesiredState) -> list[Block]:
    with_members = member_groups(state)
    groups = sorted(referenced_groups(state), key=lambda name: (addresses.group_name(name), name))
    users = sorted(referenced_users(state), key=lambda login: (addresses.user_name(login), login))
    blocks = [group_block(name, name in with_members) for name in groups]
    blocks += [user_block(login) for login in users]
    blocks += [
        Block("data", (addresses.ZONE, zone.key), (Attribute("name", zone.name),))
        for zone in state.system_zones
    ]
    for app in sorted(state.app_policies, key=lambda app: app.key):
        blocks += app_blocks(app.key, app.app_label, app.dedicated_policy is not None)
    return blocks
