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
    status: str = "ACTIVE",
) -> dict[str, Any]:
    zone: dict[str, Any] = {
        "type": zone_type,
        "id": ids.new_id("zone"),
        "name": name,
        "status": status,
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
    return next(
        g
        for g in state["groups"].values()
        if g["type"] == "BUILT_IN" and g["profile"]["name"] == "Everyone"
    )


def user_type_id(state: State) -> str:
    """The org's default user type: one id for every user (recorded: `type.id` is the same for
    all users of an org, and the `schema` link names the schema with the same suffix)."""
    return "oty" + str(state["org"]["id"])[3:]


def realm_id(state: State) -> str:
    """The org's default realm, which every user shows as `realmId` (recorded since late 2025:
    POST /api/v1/users in TestAccResourceOktaAppSignOnPolicyRule_crud/oie-00)."""
    return "guo" + str(state["org"]["id"])[3:]


def user_profile(
    login: str, first: str, last: str, profile: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A user's profile as Okta answers it: what was sent but nulls, `mobilePhone` and
    `secondEmail` always (null when not given), `email` the login when not given."""
    extra = {k: v for k, v in (profile or {}).items() if v is not None}
    return {
        **extra,
        "firstName": first,
        "lastName": last,
        "mobilePhone": extra.get("mobilePhone"),
        "secondEmail": extra.get("secondEmail"),
        "login": login,
        "email": extra.get("email", login),
    }


def make_user(
    state: State,
    login: str,
    first: str,
    last: str,
    active: bool = True,
    created: str | None = None,
    password: bool = True,
    profile: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A user as Okta creates one: ACTIVE with a password; activated without one it is
    PROVISIONED (no `password` credential, `passwordChanged` null); not activated, STAGED
    (recorded: POST /api/v1/users in TestAccDataSourceOktaUser_SkipAdminRoles,
    TestAccResourceOktaUser_statusDeprovisioned)."""
    stamp = created or ids.now_iso()
    status = ("ACTIVE" if password else "PROVISIONED") if active else "STAGED"
    credentials: dict[str, Any] = {"provider": {"type": "OKTA", "name": "OKTA"}}
    if password:
        credentials = {"password": {}, **credentials}
    user = {
        "id": ids.new_id("user"),
        "status": status,
        "created": stamp,
        "activated": stamp if active else None,
        "statusChanged": stamp if active else None,
        "lastLogin": None,
        "lastUpdated": stamp,
        "passwordChanged": stamp if status == "ACTIVE" else None,
        "realmId": realm_id(state),
        "type": {"id": user_type_id(state)},
        "profile": user_profile(login, first, last, profile),
        "credentials": credentials,
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
        "priority": 0,
        "system": system,
        "conditions": conditions,
        "created": stamp,
        "lastUpdated": stamp,
        "type": policy_type,
    }
    if description is not None:  # Okta omits a description that was never set
        policy["description"] = description
    if policy_type == "ACCESS_POLICY":
        # Authentication policies are not ordered: Okta shows them all at priority 1 (every
        # recorded GET /api/v1/policies?type=ACCESS_POLICY, the system one included).
        policy["priority"] = priority if priority is not None else 1
    else:
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
    state: State,
    policy: dict[str, Any],
    stamp: str,
    access: str,
    factor_mode: str,
    reauth: str,
    constraints: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An authentication policy's system Catch-all Rule, pinned last."""
    actions = access_actions(access, factor_mode, reauth, constraints)
    body = {"name": "Catch-all Rule", "actions": actions}
    return add_rule(state, policy, body, stamp, system=True, priority=CATCH_ALL_PRIORITY)


def add_app(
    state: State, name: str, label: str, policy: dict[str, Any], stamp: str, app_link: str | None
) -> dict[str, Any]:
    app_id = ids.new_id("app")
    app = {
        "id": app_id,
        "orn": f"orn:okta:idp:{state['org']['id']}:apps:{name}:{app_id}",
        "name": name,
        "label": label,
        "status": "ACTIVE",
        "lastUpdated": stamp,
        "created": stamp,
        "accessibility": {"selfService": False},
        "visibility": {
            "autoSubmitToolbar": False,
            "hide": {"iOS": False, "web": False},
            "appLinks": {app_link: True} if app_link else {},
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
            "manualProvisioning": False,
            "implicitAssignment": False,
            "emOptInStatus": "NONE",
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
