"""The objects of a seeded org, in the shape the API serves them (minus `_links`): zones,
groups, users, policies, rules, apps and API tokens, created directly in a state."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.routing import State
from okta_sandbox.core.store import STATE_VERSION
from okta_sandbox.facts import CATCH_ALL_PRIORITY
from okta_sandbox.policies import priorities
from okta_sandbox.policies.rules import RULE_TYPE_FOR_POLICY, access_actions, validate_rule


def new_state(created: datetime) -> State:
    return {
        "version": STATE_VERSION,
        "org": {
            "id": ids.new_id("org"),
            "name": "Egress Guard Sandbox",
            "created": ids.iso(created),
        },
        "zones": {},
        "policies": {},
        "rules": {},
        "apps": {},
        "app_policy": {},
        "groups": {},
        "users": {},
        "memberships": {},
        "api_tokens": {},
        "oauth_clients": {},
        "sessions": {},
        "logs": [],
        "secrets": {"ssws": {}, "access_tokens": {}, "primary": None},
    }


def add_zone(
    state: State,
    name: str,
    usage: str,
    stamp: str,
    system: bool = False,
    zone_type: str = "IP",
    gateways: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    zone: dict[str, Any] = {
        "type": zone_type,
        "id": ids.new_id("zone"),
        "name": name,
        "status": "ACTIVE",
        "usage": usage,
        "created": stamp,
        "lastUpdated": stamp,
        "system": system,
    }
    if zone_type == "IP":
        zone["gateways"] = gateways if gateways else (None if system else [])
        zone["proxies"] = None
    else:
        zone.update(
            locations={"include": [], "exclude": []},
            asns={"include": [], "exclude": []},
            ipServiceCategories={"include": ["ALL_ANONYMIZERS"], "exclude": []},
        )
    state["zones"][zone["id"]] = zone
    return zone


def new_group(
    name: str, stamp: str, built_in: bool = False, description: str | None = None
) -> dict[str, Any]:
    """A group as Okta shows it, not yet in any state."""
    group: dict[str, Any] = {
        "id": ids.new_id("group"),
        "created": stamp,
        "lastUpdated": stamp,
        "lastMembershipUpdated": stamp,
        "objectClass": ["okta:user_group"],
        "type": "BUILT_IN" if built_in else "OKTA_GROUP",
        "profile": {"name": name},
    }
    if description is not None:
        group["profile"]["description"] = description
    return group


def add_group(
    state: State, name: str, stamp: str, built_in: bool = False, description: str | None = None
) -> dict[str, Any]:
    group = new_group(name, stamp, built_in, description)
    state["groups"][group["id"]] = group
    state["memberships"][group["id"]] = []
    return group


def everyone(state: State) -> dict[str, Any]:
    return next(g for g in state["groups"].values() if g["type"] == "BUILT_IN")


def make_user(
    state: State, login: str, first: str, last: str, active: bool = True, created: str | None = None
) -> dict[str, Any]:
    stamp = created or ids.now_iso()
    user = {
        "id": ids.new_id("user"),
        "status": "ACTIVE" if active else "STAGED",
        "created": stamp,
        "activated": stamp if active else None,
        "statusChanged": stamp if active else None,
        "lastLogin": None,
        "lastUpdated": stamp,
        "passwordChanged": stamp if active else None,
        "type": {"id": "oty" + ids.new_id("user")[3:]},
        "profile": {
            "firstName": first,
            "lastName": last,
            "mobilePhone": None,
            "secondEmail": None,
            "login": login,
            "email": login,
        },
        "credentials": {"password": {}, "provider": {"type": "OKTA", "name": "OKTA"}},
    }
    state["users"][user["id"]] = user
    state["memberships"][everyone(state)["id"]].append(user["id"])
    return user


def add_policy(
    state: State,
    policy_type: str,
    name: str,
    stamp: str,
    system: bool = False,
    conditions: dict[str, Any] | None = None,
    description: str | None = None,
    status: str = "ACTIVE",
    priority: int | None = None,
) -> dict[str, Any]:
    """A policy placed among those of its type (at `priority`, else last), with no rules yet."""
    kind = "signon_policy" if policy_type == "OKTA_SIGN_ON" else "access_policy"
    policy: dict[str, Any] = {
        "id": ids.new_id(kind),
        "status": status,
        "name": name,
        "description": description,
        "priority": 0,
        "system": system,
        "conditions": conditions,
        "created": stamp,
        "lastUpdated": stamp,
        "type": policy_type,
    }
    siblings = [p for p in state["policies"].values() if p["type"] == policy_type]
    priorities.place(siblings, policy, priority)
    state["policies"][policy["id"]] = policy
    state["rules"][policy["id"]] = {}
    return policy


def new_rule(
    policy: dict[str, Any],
    name: str,
    conditions: dict[str, Any] | None,
    actions: dict[str, Any],
    stamp: str,
    status: str = "ACTIVE",
    system: bool = False,
) -> dict[str, Any]:
    """A rule of `policy` (priority 0 until placed), not yet in any state."""
    return {
        "id": ids.new_id("rule"),
        "status": status,
        "name": name,
        "priority": 0,
        "created": stamp,
        "lastUpdated": stamp,
        "system": system,
        "conditions": conditions,
        "actions": actions,
        "type": RULE_TYPE_FOR_POLICY[policy["type"]],
    }


def add_rule(
    state: State,
    policy: dict[str, Any],
    body: dict[str, Any],
    stamp: str,
    system: bool = False,
    priority: int | None = None,
) -> dict[str, Any]:
    name, conditions, actions = validate_rule(state, policy, body)
    if system and policy["type"] == "ACCESS_POLICY":
        conditions = None
    rule = new_rule(policy, name, conditions, actions, stamp, system=system)
    if priority is not None and system:
        rule["priority"] = priority
        settle = [*state["rules"][policy["id"]].values(), rule]
        priorities.settle_pinned(settle)
    else:
        priorities.place(list(state["rules"][policy["id"]].values()), rule, priority)
    state["rules"][policy["id"]][rule["id"]] = rule
    return rule


def add_catch_all(
    state: State, policy: dict[str, Any], stamp: str, access: str, factor_mode: str, reauth: str
) -> dict[str, Any]:
    """An authentication policy's system Catch-all Rule, pinned last."""
    body = {"name": "Catch-all Rule", "actions": access_actions(access, factor_mode, reauth)}
    return add_rule(state, policy, body, stamp, system=True, priority=CATCH_ALL_PRIORITY)


def add_app(
    state: State, name: str, label: str, policy: dict[str, Any], stamp: str, app_link: str
) -> dict[str, Any]:
    app = {
        "id": ids.new_id("app"),
        "name": name,
        "label": label,
        "status": "ACTIVE",
        "lastUpdated": stamp,
        "created": stamp,
        "accessibility": {"selfService": False},
        "visibility": {
            "autoSubmitToolbar": False,
            "hide": {"iOS": False, "web": False},
            "appLinks": {app_link: True},
        },
        "features": [],
        "signOnMode": "OPENID_CONNECT",
        "credentials": {
            "userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"},
            "signing": {"kid": secrets.token_urlsafe(32)},
        },
        "settings": {
            "app": {},
            "notifications": {
                "vpn": {"network": {"connection": "DISABLED"}, "message": None, "helpUrl": None}
            },
        },
    }
    state["apps"][app["id"]] = app
    state["app_policy"][app["id"]] = policy["id"]
    return app


def add_api_token(state: State, user: dict[str, Any], name: str, stamp: str) -> str:
    value = "00" + secrets.token_urlsafe(30)[:40]
    # No `tokenWindow`: the spec's pattern for it is broken (matches only "P").
    token = {
        "name": name,
        "userId": user["id"],
        "network": {"connection": "ANYWHERE"},
        "id": ids.new_id("api_token"),
        "clientName": "Okta API",
        "expiresAt": ids.iso(ids.now() + timedelta(days=30)),
        "created": stamp,
        "lastUpdated": stamp,
    }
    state["api_tokens"][token["id"]] = token
    state["secrets"]["ssws"][value] = token["id"]
    return value
