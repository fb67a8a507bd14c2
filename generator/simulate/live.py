"""Glue to the drift helper's `LiveOrg` snapshot (`generator.okta.snapshot`): a live policy set
and the live principals the preflight assertions are evaluated for."""

from __future__ import annotations

from generator.model import DesiredState
from generator.okta.platform import EVERYONE_GROUP
from generator.okta.snapshot import JsonObject, LiveOrg
from generator.simulate.from_okta import policy_set_from_okta
from generator.simulate.policyset import PolicySet, Principal

CONSOLE_KEY = "admin_console"


def policy_set_from_live(live: LiveOrg, name_prefix: str | None = None) -> PolicySet:
    rules = dict(live.sign_on_rules)
    console = live.app(CONSOLE_KEY)
    console_policy = None
    if console is not None and console.policy_id is not None:
        console_policy = {"id": console.policy_id, "name": console.label, "status": "ACTIVE"}
        rules[console.policy_id] = console.rules
    group_names = {str(group.get("id")): name for name, group in live.groups.items()}
    policy_set = policy_set_from_okta(
        live.zones,
        live.sign_on_policies,
        rules,
        console_policy,
        group_names=group_names,
        managed_marker=name_prefix,
    )
    unread = [
        str(p.get("name"))
        for p in live.sign_on_policies
        if str(p.get("id")) not in live.sign_on_rules and p.get("status") == "ACTIVE"
    ]
    if unread:
        note = (
            "live: rules not read for policies that target none of the config's groups "
            f"(they cannot apply to its principals): {', '.join(unread)}"
        )
        policy_set = PolicySet(
            policy_set.zones,
            policy_set.signon_policies,
            policy_set.admin_console,
            policy_set.source,
            (*policy_set.assumptions, note),
        )
    return policy_set


def _user_keys(live: LiveOrg, login: str) -> tuple[str, ...]:
    user = live.users.get(login)
    return (login, str(user.get("id"))) if user is not None else (login,)


def _with_real_groups(live: LiveOrg, user: JsonObject | None, what: str) -> Principal | None:
    """A break-glass user exactly as Okta sees it: login, id and every group it belongs to
    (None when its groups were not read)."""
    if user is None:
        return None
    user_id = str(user.get("id"))
    groups = live.groups_of(user_id)
    if groups is None:
        return None
    login = str((user.get("profile") or {}).get("login") or user_id)
    names = [str((g.get("profile") or {}).get("name") or g.get("id")) for g in groups]
    keys = tuple(dict.fromkeys([*names, *(str(g.get("id")) for g in groups)]))
    shown = [n for n in names if n != EVERYONE_GROUP]
    label = f"{login} ({what}; groups: {', '.join(shown) or 'none'})"
    return Principal.of(label, users=(login, user_id), groups=keys)


def live_break_glass_principals(state: DesiredState, live: LiveOrg) -> tuple[Principal, ...]:
    """Break-glass users and the break-glass group's members with their live ids and every
    group they belong to, as read; a user whose groups were not read is evaluated with and
    without the admin groups instead."""
    real: list[Principal] = []
    handled: set[str] = set()
    for login in state.break_glass.users:
        principal = _with_real_groups(live, live.users.get(login), "break-glass user")
        if principal is not None:
            real.append(principal)
            handled.add(login.lower())
    bg_group = state.break_glass.group
    for member in live.group_members.get(bg_group, ()) if bg_group else ():
        login = str((member.get("profile") or {}).get("login") or member.get("id"))
        if login.lower() in handled:
            continue
        principal = _with_real_groups(live, member, f"member of '{bg_group}'")
        if principal is not None:
            real.append(principal)
            handled.add(login.lower())
    return tuple(real) + _assumed_break_glass(state, live, handled)


def _assumed_break_glass(
    state: DesiredState, live: LiveOrg, handled: set[str]
) -> tuple[Principal, ...]:
    """Break-glass users whose groups are unknown: with and without the admin groups."""
    bg_group = state.break_glass.group
    bg_members = set(live.member_ids(bg_group)) if bg_group else set()
    variants: list[tuple[str, ...]] = [(), *((g,) for g in state.admin_groups)]
    if len(state.admin_groups) > 1:
        variants.append(state.admin_groups)
    principals: list[Principal] = []
    for login in state.break_glass.users:
        if login.lower() in handled:
            continue
        keys = _user_keys(live, login)
        in_bg = bool(bg_group) and bool(bg_members.intersection(keys))
        base = (bg_group,) if in_bg and bg_group else ()
        for admins in variants:
            groups = tuple(dict.fromkeys(base + admins))
            label = f"{login} (groups: {', '.join(groups)})" if groups else login
            principals.append(Principal.of(label, users=keys, groups=groups))
    configured = {
        key.lower() for login in state.break_glass.users for key in _user_keys(live, login)
    }
    if bg_group:
        for member in live.group_members.get(bg_group, ()):
            member_id = str(member.get("id"))
            login = str((member.get("profile") or {}).get("login") or member_id)
            if login.lower() in handled:
                continue
            if member_id.lower() in configured or login.lower() in configured:
                continue
            for admins in variants:
                groups = tuple(dict.fromkeys((bg_group, *admins)))
                principals.append(
                    Principal.of(
                        f"{login} (groups: {', '.join(groups)})",
                        users=(login, member_id),
                        groups=groups,
                    )
                )
    return tuple(principals)
