"""What the replay (`replay.py`) writes into the emulator org's state behind its API: the recorded
org's objects seeded with their recorded ids, and the recorded effect of successful calls the
emulator does not serve (an app created or changed, a user or group deleted or replaced).

Every function takes the replay's id map (recorded id -> emulator id) where it needs one and
returns or applies a change to the state `Sandbox.mutate` hands over."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cassettes import Interaction
from replay_compare import dig

STAMP = "2025-01-01T00:00:00.000Z"
Change = Callable[[dict[str, Any]], None]


# ---- seeding ------------------------------------------------------------------------------
def seed(
    state: dict[str, Any],
    idmap: dict[str, str],
    kind: str,
    rid: str,
    body: dict[str, Any] | None,
    parent: re.Match[str] | None,
) -> None:
    """Store the recorded object `rid` of `kind` (zone, policy, rule, group, user, app, token)."""
    if kind == "zone" and body is not None:
        state["zones"][rid] = body
    elif kind == "policy" and body is not None:
        policy = {"status": "ACTIVE", "priority": 1, "system": False, "conditions": None}
        policy |= {"created": STAMP, "lastUpdated": STAMP, **body, "id": rid}
        state["policies"][rid] = policy
        rules = state["rules"].setdefault(rid, {})
        if policy["type"] == "ACCESS_POLICY" and not rules:
            rules[f"rul{rid[3:]}"] = catch_all(f"rul{rid[3:]}")
    elif kind == "rule" and body is not None and parent is not None:
        policy_id = idmap[parent.group(1)]
        keys = ("status", "name", "priority", "created", "lastUpdated", "system")
        rule = {k: body[k] for k in keys if k in body}
        rule |= {"id": rid, "conditions": body.get("conditions"), "actions": body["actions"]}
        rule["type"] = body.get("type")
        state["rules"].setdefault(policy_id, {})[rid] = rule
    elif kind == "group":
        group = body or {
            "id": rid,
            "created": STAMP,
            "lastUpdated": STAMP,
            "lastMembershipUpdated": STAMP,
            "objectClass": ["okta:user_group"],
            "type": "OKTA_GROUP",
            "profile": {"name": f"seeded {rid}"},
        }
        state["groups"][rid] = group
        state["memberships"].setdefault(rid, [])
    elif kind == "user":
        seed_user(state, rid, body)
    elif kind == "app" and body is not None:
        store_app(state, idmap, rid, body, None)
    elif kind == "token" and body is not None:
        state["api_tokens"][rid] = body


def catch_all(rule_id: str) -> dict[str, Any]:
    """The Catch-all Rule of a recorded authentication policy the cassette never lists (as
    the recordings show the system default policy's: allow, 2FA, 12 hours)."""
    method = {"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT12H"}
    sign_on = {"access": "ALLOW", "verificationMethod": method}
    sign_on["keepMeSignedIn"] = {"postAuth": "NOT_ALLOWED"}
    return {
        "id": rule_id,
        "status": "ACTIVE",
        "name": "Catch-all Rule",
        "priority": 99,
        "created": STAMP,
        "lastUpdated": STAMP,
        "system": True,
        "conditions": None,
        "actions": {"appSignOn": sign_on},
        "type": "ACCESS_POLICY",
    }


def seed_user(state: dict[str, Any], rid: str, body: dict[str, Any] | None) -> None:
    user = body or {
        "id": rid,
        "status": "ACTIVE",
        "created": STAMP,
        "lastUpdated": STAMP,
        "profile": {"firstName": "Seeded", "lastName": rid},
    }
    profile = user.setdefault("profile", {})
    profile.setdefault("login", f"{rid}@seeded.example")
    profile.setdefault("email", profile["login"])
    state["users"][rid] = user
    everyone = next(g for g in state["groups"].values() if g["profile"]["name"] == "Everyone")
    state["memberships"].setdefault(everyone["id"], []).append(rid)


def store_app(
    state: dict[str, Any], idmap: dict[str, str], app_id: str, body: dict[str, Any], links: Any
) -> None:
    app = {k: v for k, v in body.items() if not k.startswith("_")}
    # a created app's answer carries its client secret, which Okta never shows again
    (app.get("credentials") or {}).get("oauthClient", {}).pop("client_secret", None)
    app.setdefault("visibility", {"appLinks": {}})
    app.setdefault("label", app.get("name", app_id))
    state["apps"][app_id] = app
    href = dig(links, "accessPolicy.href") if isinstance(links, dict) else None
    policy = idmap.get(href.rstrip("/").rsplit("/", 1)[-1]) if href else None
    if policy is None or policy not in state["policies"]:
        default = [
            p["id"]
            for p in state["policies"].values()
            if p["type"] == "ACCESS_POLICY" and p["system"]
        ]
        policy = default[0] if default else None
        if href and policy:  # the recorded org's default policy is the emulator's
            idmap.setdefault(href.rstrip("/").rsplit("/", 1)[-1], policy)
    if policy:
        state["app_policy"][app_id] = policy


# ---- unserved endpoints -------------------------------------------------------------------
def mirrored(
    item: Interaction, path: str, idmap: dict[str, str], sub_obj: Callable[[Any], Any]
) -> Change | None:
    """The recorded effect of a successful call the emulator does not serve (`path`: the
    request path with emulator ids), or None."""
    if item.status >= 300:
        return None
    method, tmpl, body = item.method, item.template, item.body
    segments = path.strip("/").split("/")
    if method == "DELETE" and tmpl in (
        "/api/v1/apps/{appId}",
        "/api/v1/groups/{groupId}",
        "/api/v1/users/{userId}",
    ):
        return _mirror_delete(segments[2], segments[3])
    if tmpl in ("/api/v1/apps", "/api/v1/apps/{appId}") and isinstance(body, dict):
        rid = str(body.get("id"))
        app_id = idmap.setdefault(rid, rid)
        links = body.get("_links")
        sub_links = sub_obj(links) if links else None
        return lambda s: store_app(s, idmap, app_id, sub_obj(body), sub_links)
    if tmpl == "/api/v1/api-tokens/{tokenId}" and method == "PUT" and isinstance(body, dict):
        return _mirror_replace("api_tokens", segments[3], sub_obj(body))
    if tmpl.startswith("/api/v1/apps/{appId}/lifecycle/"):
        return _mirror_app_status(segments[3], segments[-1] != "deactivate")
    if tmpl in ("/api/v1/groups/{groupId}", "/api/v1/users/{userId}") and (
        method == "PUT" and isinstance(body, dict)
    ):
        return _mirror_replace(segments[2], segments[3], sub_obj(body))
    return None


def _mirror_delete(collection: str, oid: str) -> Change:
    def change(state: dict[str, Any]) -> None:
        users = state["users"]
        user = users.get(oid) if collection == "users" else None
        if user is not None and user.get("status") != "DEPROVISIONED":
            user["status"] = "DEPROVISIONED"  # the first DELETE deactivates
            return
        state[collection].pop(oid, None)
        state["app_policy"].pop(oid, None)
        state["memberships"].pop(oid, None)

    return change


def _mirror_app_status(app_id: str, active: bool) -> Change:
    def change(state: dict[str, Any]) -> None:
        if app_id in state["apps"]:
            state["apps"][app_id]["status"] = "ACTIVE" if active else "INACTIVE"

    return change


def _mirror_replace(collection: str, oid: str, body: dict[str, Any]) -> Change:
    def change(state: dict[str, Any]) -> None:
        if oid in state[collection]:
            body.pop("_links", None)
            state[collection][oid] = body

    return change
