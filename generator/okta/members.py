"""Who is in a group, read so that an answer Okta cannot give never reads as "nobody".

- Okta's BUILT_IN "Okta Administrators" group (`platform.is_admins_group`) holds every
  admin-role holder, and its member listing is reportedly not supported (docs/okta-facts.md):
  the tool never asks for it. Its members are the users `GET /api/v1/iam/assignees/users`
  lists (`AdminHolderIds`, read once and shared with the admin-role reads), looked up by id in
  searches of 20. When those cannot be read (no `okta.roles.read`, or a 403), the members are
  *unknown*, said so by the caller, never an empty group.
- Any other group: `GET /api/v1/groups/{id}/users`. An answer refusing the listing (400, 403,
  405, 501 — Okta's "Unsupported operation" is 501 E0000060) raises `MembersNotListed`, naming
  the group and Okta's answer; callers turn it into a clear error or an explicit "unknown".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.okta.client import OktaClient
from generator.okta.errors import OktaApiError, OktaError
from generator.okta.paths import api_path
from generator.okta.platform import ADMINS_GROUP, is_admins_group
from generator.okta.scopes import ROLES_SCOPE
from generator.okta.snapshot import JsonObject

MEMBERS_LIMIT = 1000  # the documented maximum of GET /api/v1/groups/{id}/users
SEARCH_CHUNK = 20  # ids per `search` expression
# Answers that refuse a member listing (as opposed to a transient failure or a vanished group).
REFUSING_STATUSES = frozenset({400, 403, 405, 501})


class MembersNotListed(OktaError):
    """Okta did not list a group's members: what the group's members are is not known."""

    def __init__(self, group: str, reason: str) -> None:
        self.group = group
        self.reason = reason
        super().__init__(f"the members of group {group!r} could not be listed: {reason}")


@dataclass(frozen=True)
class AdminHolderIds:
    """Every user id `GET /api/v1/iam/assignees/users` lists, or why it could not be read."""

    ids: tuple[str, ...] = ()
    problem: str | None = None


def admins_group_reason(problem: str) -> str:
    """Why the admins group's members are unknown, and the fix."""
    return (
        f"Okta does not list the members of its built-in {ADMINS_GROUP!r} group; egress-guard "
        f"takes them from the admin-role holders, which could not be read ({problem}); grant "
        f"{ROLES_SCOPE} to the OAuth service app (or use a token of an admin allowed to read "
        "roles)"
    )


def list_members(client: OktaClient, name: str, group: JsonObject) -> tuple[JsonObject, ...]:
    """The members of a group other than Okta's admins group (which raises: never listed)."""
    if is_admins_group(group):
        raise MembersNotListed(name, "Okta does not list the members of its built-in group")
    path = api_path("groups", group.get("id"), "users")
    try:
        return tuple(client.list_all(path, {"limit": str(MEMBERS_LIMIT)}))
    except OktaApiError as error:
        if error.status in REFUSING_STATUSES:
            raise MembersNotListed(name, str(error)) from None
        raise


def users_by_id(client: OktaClient, user_ids: Sequence[str]) -> tuple[JsonObject, ...]:
    """The users with these ids (searches of 20 ids), in the order of `user_ids`; ids Okta no
    longer knows are left out."""
    found: dict[str, JsonObject] = {}
    chunks = [user_ids[i : i + SEARCH_CHUNK] for i in range(0, len(user_ids), SEARCH_CHUNK)]

    def search(chunk: Sequence[str]) -> list[JsonObject]:
        expression = " or ".join(f'id eq "{user_id}"' for user_id in chunk)
        return client.list_all("/api/v1/users", {"search": expression, "limit": "200"})

    for users in client.map_concurrent(search, chunks):
        found.update({str(user.get("id")): user for user in users})
    return tuple(found[user_id] for user_id in user_ids if user_id in found)


def admins_group_members(
    client: OktaClient, holders: AdminHolderIds, known: Mapping[str, JsonObject] | None = None
) -> tuple[JsonObject, ...]:
    """Okta's admins group's members: every admin-role holder (`holders`), the users already
    read (`known`, by id) not asked for again. Raises `MembersNotListed` when the holders
    could not be read."""
    if holders.problem is not None:
        raise MembersNotListed(ADMINS_GROUP, admins_group_reason(holders.problem))
    have = dict(known or {})
    missing = [user_id for user_id in holders.ids if user_id not in have]
    have.update({str(user.get("id")): user for user in users_by_id(client, missing)})
    return tuple(have[user_id] for user_id in holders.ids if user_id in have)
