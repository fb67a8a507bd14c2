"""Okta groups and users by name, login or id, in as few requests as a `search` expression
allows (a handful of logins: one direct read each, in parallel). Used by `generator.okta.reads`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from generator.okta.client import OktaClient
from generator.okta.errors import OktaNotFoundError
from generator.okta.paths import api_path
from generator.okta.snapshot import JsonObject

PAGE_LIMIT = {"groups": 200, "users": 200}
SEARCH_CHUNK = 20  # names per `search` expression (keeps the query string short)
DIRECT_USER_READS = 3  # up to this many logins: one GET /users/{login} each, else a search


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def chunks(values: Sequence[str], size: int) -> list[Sequence[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def search_expression(attribute: str, values: Sequence[str]) -> str:
    return " or ".join(f"{attribute} eq {quoted(v)}" for v in values)


def groups_by_name(client: OktaClient, names: Sequence[str]) -> dict[str, JsonObject]:
    found: dict[str, JsonObject] = {}
    for chunk in chunks(names, SEARCH_CHUNK):
        params = {
            "search": search_expression("profile.name", chunk),
            "limit": str(PAGE_LIMIT["groups"]),
        }
        for group in client.list_all("/api/v1/groups", params):
            name = (group.get("profile") or {}).get("name")
            if name in chunk:
                found[str(name)] = group
    return found


def users_by_login(client: OktaClient, logins: Sequence[str]) -> dict[str, JsonObject]:
    if len(logins) <= DIRECT_USER_READS:
        # A handful of break-glass logins: direct reads by login are cheaper for Okta
        # than a search expression, and run in parallel.
        users = client.map_concurrent(partial(user_by_login, client), logins)
        return {login: user for login, user in zip(logins, users, strict=True) if user}
    found: dict[str, JsonObject] = {}
    wanted = {login.lower(): login for login in logins}
    for chunk in chunks(logins, SEARCH_CHUNK):
        params = {
            "search": search_expression("profile.login", chunk),
            "limit": str(PAGE_LIMIT["users"]),
        }
        for user in client.list_all("/api/v1/users", params):
            login = str((user.get("profile") or {}).get("login", "")).lower()
            if login in wanted:
                found[wanted[login]] = user
    return found


def user_by_login(client: OktaClient, login: str) -> JsonObject | None:
    try:
        user = client.get(api_path("users", login))
    except OktaNotFoundError:
        return None
    actual = str(((user or {}).get("profile") or {}).get("login", ""))
    return user if isinstance(user, dict) and actual.lower() == login.lower() else None


def users_by_id(client: OktaClient, user_ids: Sequence[str]) -> tuple[JsonObject, ...]:
    """Users named by id in rules (usually none: excluded users are ours)."""
    found: list[JsonObject] = []
    for chunk in chunks(user_ids, SEARCH_CHUNK):
        params = {"search": search_expression("id", chunk), "limit": str(PAGE_LIMIT["users"])}
        found += client.list_all("/api/v1/users", params)
    return tuple(found)
