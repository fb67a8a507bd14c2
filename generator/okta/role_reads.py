"""Read every admin-role holder of the org with the fewest requests (okta-api notes §A10).

1. `GET /api/v1/iam/assignees/users` (paged in the body): the id of every user holding a role
   (`read_holder_ids`; the live-org reader reads it once and shares it: the same list is the
   membership of Okta's built-in "Okta Administrators", which Okta does not list).
2. Users already known to be covered (admin-group members, break-glass accounts: the caller
   read them anyway) need nothing more. Every other holder: `GET /api/v1/users/{id}/roles`,
   which lists group-derived and custom (binding) roles too, with how each was granted.
3. Self-check of step 1, whose documentation does not say whether users holding a role only
   through a group are listed: `GET /api/v1/groups/{id}/roles` for the groups whose members the
   caller read. A group holding an active role with a member step 1 did not list proves it does
   not list them in this org; then every group's roles are read instead (`GET /api/v1/groups`,
   then each group's roles and each role-holding group's members) and the report says so.
   Built-in groups are never checked nor scanned: no role can be granted to them (E0000211).
4. Names: logins of holders the caller did not read (one `search` per 20 ids), group names (one
   `search` per 20 ids), and only when a custom role was seen, the custom roles and resource
   sets (`GET /api/v1/iam/roles`, `/api/v1/iam/resource-sets`).
5. OAuth service apps: `GET /api/v1/apps?filter=name eq "oidc_client"`, then
   `GET /oauth2/v1/clients/{id}/roles` for each active service app.

`/iam` lists page in the body (`_links.next`), and Okta puts its `-admin` host in those links:
the cursor is taken from the link and the next page asked of the org's own host.
A 403 on step 1 (scope or admin permission missing) is reported as unreadable roles; any other
failure raises (a partial read must fail the run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from generator.okta.client import OktaClient
from generator.okta.errors import OktaApiError, OktaNotFoundError, OktaPaginationError
from generator.okta.lookups import chunks, search_expression
from generator.okta.members import AdminHolderIds, MembersNotListed, list_members
from generator.okta.paths import api_path, under
from generator.okta.platform import BUILT_IN_GROUP
from generator.okta.roles import AdminRoles, RoleGrant, RoleHolder, ServiceAppRoles
from generator.okta.scopes import ROLES_SCOPE
from generator.okta.snapshot import JsonObject

ASSIGNEES = "/api/v1/iam/assignees/users"
CUSTOM_SETS = "/api/v1/iam/resource-sets"
ASSIGNEES_LIMIT = 200
SEARCH_CHUNK = 20
GROUPS_LIMIT = 10000  # the documented maximum of GET /api/v1/groups


@dataclass(frozen=True)
class KnownOrg:
    """What the caller already read: no request is spent on it again."""

    covered: frozenset[str]  # user ids covered whatever their roles (admin groups, break-glass)
    users: Mapping[str, JsonObject]  # user id -> user object (logins, status)
    groups: Mapping[str, str]  # group id -> name
    members: Mapping[str, tuple[str, ...]]  # group id -> member user ids (groups read whole)


def body_pages(
    client: OktaClient, path: str, key: str, params: Mapping[str, str] | None = None
) -> Iterator[list[JsonObject]]:
    """The pages of an `/iam` list: items under `key`, the next page in `_links.next.href`."""
    query: Mapping[str, str] | None = params
    seen: set[str] = set()
    while True:
        body = client.get(path, query)
        items = body.get(key) if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise OktaPaginationError(f"GET {path}: expected a JSON object with a '{key}' list")
        yield items
        href = ((body.get("_links") or {}).get("next") or {}).get("href")
        if not href:
            return
        # Only the query of the link: its host may be the org's -admin host.
        query = dict(parse_qsl(urlsplit(str(href)).query))
        cursor = query.get("after", "")
        if not cursor or cursor in seen:
            raise OktaPaginationError(f"GET {path}: the next page's cursor is missing or repeats")
        seen.add(cursor)


def _login(user: JsonObject) -> str:
    return str((user.get("profile") or {}).get("login") or user.get("id"))


class AdminRoleReader:
    def __init__(self, client: OktaClient) -> None:
        self.client = client
        self.notes: list[str] = []

    def read(
        self,
        known: KnownOrg | Callable[[], KnownOrg],
        list_service_apps: bool = True,
        holder_ids: Callable[[], AdminHolderIds] | None = None,
    ) -> AdminRoles:
        """`known` may be a callable waiting for the caller's reads: the assignees list (and
        the service apps) are requested before it is called. `list_service_apps`: False when
        the caller lists them itself (drift's control reads do) and adds their roles with
        `service_app_roles`. `holder_ids`: the assignees list as the caller already reads it
        (Okta's admins group's members are the same list), instead of a read of its own."""
        if ROLES_SCOPE in self.client.missing_scopes:
            return AdminRoles(problem=f"the OAuth service app is not granted {ROLES_SCOPE}")
        with ThreadPoolExecutor(max_workers=2) as aside:
            ids_f = aside.submit(holder_ids or (lambda: read_holder_ids(self.client)))
            apps_f = aside.submit(self._service_apps if list_service_apps else tuple)
            resolved = known() if callable(known) else known
            listed = ids_f.result()
            if listed.problem is not None:
                return AdminRoles(problem=listed.problem)
            holders, extra = self._holders(resolved, listed.ids)
            apps = apps_f.result()
        names = self._names(holders, resolved)
        return AdminRoles(
            holder_ids=tuple(dict.fromkeys((*listed.ids, *extra))),
            holders=holders,
            service_apps=apps,
            names=names,
            notes=tuple(self.notes),
        )

    def _holders(
        self, known: KnownOrg, ids: tuple[str, ...]
    ) -> tuple[tuple[RoleHolder, ...], tuple[str, ...]]:
        extra = self._self_check(known, set(ids))
        uncovered = [u for u in (*ids, *extra) if u not in known.covered]
        roles = self.client.map_concurrent(self._user_roles, uncovered)
        users = self._users(uncovered, known)
        holders = tuple(
            RoleHolder(
                user_id=user_id,
                login=_login(users.get(user_id) or {"id": user_id}),
                status=str((users.get(user_id) or {}).get("status") or "UNKNOWN"),
                grants=grants,
            )
            for user_id, grants in zip(uncovered, roles, strict=True)
            if grants
        )
        return holders, extra

    # ---- step 2 ------------------------------------------------------------------------------

    def _user_roles(self, user_id: str) -> tuple[RoleGrant, ...]:
        return user_grants(self.client, user_id)

    # ---- step 3 ------------------------------------------------------------------------------

    def _group_roles(self, group_id: str) -> tuple[RoleGrant, ...]:
        return group_grants(self.client, group_id)

    def _self_check(self, known: KnownOrg, listed: set[str]) -> tuple[str, ...]:
        """Users holding a role that the assignees list left out (after the fallback scan)."""
        groups = list(known.members)
        roles = dict(
            zip(groups, self.client.map_concurrent(self._group_roles, groups), strict=True)
        )
        missed = sorted(
            {
                member
                for group, grants in roles.items()
                if any(g.active for g in grants)
                for member in known.members[group]
                if member not in listed
            }
        )
        holding = [known.groups.get(g, g) for g, grants in roles.items() if grants]
        if not missed:
            if holding:
                self.notes.append(
                    f"{ASSIGNEES} lists the members of role-holding groups in this org (checked "
                    f"on {', '.join(sorted(holding))})"
                )
            return ()
        self.notes.append(
            f"{ASSIGNEES} left out {len(missed)} member(s) of role-holding groups in this org: "
            "every group's roles were read instead"
        )
        return self._scan_groups(known, listed)

    def _scan_groups(self, known: KnownOrg, listed: set[str]) -> tuple[str, ...]:
        """Every member of every role-holding group, beyond `listed`. Built-in groups are
        skipped: no role can be granted to them (E0000211), and Okta's admins group does not
        list its members."""
        everyone = self.client.list_all("/api/v1/groups", {"limit": str(GROUPS_LIMIT)})
        rest = [
            g
            for g in everyone
            if str(g["id"]) not in known.members and g.get("type") != BUILT_IN_GROUP
        ]
        roles = self.client.map_concurrent(self._group_roles, [str(g["id"]) for g in rest])
        holding = [g for g, grants in zip(rest, roles, strict=True) if grants]
        members = self.client.map_concurrent(self._member_ids, holding)
        found = {m for ids in (*members, *known.members.values()) for m in ids}
        return tuple(sorted(found - listed))

    def _member_ids(self, group: JsonObject) -> tuple[str, ...]:
        name = str((group.get("profile") or {}).get("name") or group.get("id"))
        try:
            return tuple(str(m["id"]) for m in list_members(self.client, name, group))
        except MembersNotListed as error:
            self.notes.append(
                f"{error}: admins holding a role only through it may be missing (Okta did not "
                "list them)"
            )
            return ()

    # ---- step 4 ------------------------------------------------------------------------------

    def _users(self, user_ids: Sequence[str], known: KnownOrg) -> dict[str, JsonObject]:
        found = {u: known.users[u] for u in user_ids if u in known.users}
        missing = [u for u in user_ids if u not in found]
        for chunk in chunks(missing, SEARCH_CHUNK):
            expression = search_expression("id", chunk)
            for user in self.client.list_all(
                "/api/v1/users", {"search": expression, "limit": "200"}
            ):
                found[str(user.get("id"))] = user
        return found

    def _names(self, holders: Sequence[RoleHolder], known: KnownOrg) -> dict[str, str]:
        grants = [g for holder in holders for g in holder.grants]
        names = dict(known.groups)
        wanted = sorted({g.group_id for g in grants if g.group_id and g.group_id not in names})
        for chunk in chunks(wanted, SEARCH_CHUNK):
            expression = search_expression("id", chunk)
            for group in self.client.list_all(
                "/api/v1/groups", {"search": expression, "limit": "200"}
            ):
                names[str(group.get("id"))] = str((group.get("profile") or {}).get("name"))
        if any(g.role_type == "CUSTOM" for g in grants):
            names.update(custom_labels(self.client))
        return names

    # ---- step 5 ------------------------------------------------------------------------------

    def _service_apps(self) -> tuple[ServiceAppRoles, ...]:
        params = {"filter": 'name eq "oidc_client"', "limit": "200"}
        return service_app_roles(self.client, self.client.list_all("/api/v1/apps", params))


def read_holder_ids(client: OktaClient) -> AdminHolderIds:
    """Step 1: every user the org lists as holding a role; a missing scope or a 403 is the
    problem it could not be read for."""
    if ROLES_SCOPE in client.missing_scopes:
        return AdminHolderIds(problem=f"the OAuth service app is not granted {ROLES_SCOPE}")
    params = {"limit": str(ASSIGNEES_LIMIT)}
    try:
        pages = list(body_pages(client, ASSIGNEES, "value", params))
    except OktaApiError as error:
        if error.status != 403:
            raise
        return AdminHolderIds(problem=f"GET {ASSIGNEES} was refused (HTTP 403): {error}")
    return AdminHolderIds(tuple(dict.fromkeys(str(item["id"]) for page in pages for item in page)))


def _client_roles(client: OktaClient, client_id: str) -> tuple[RoleGrant, ...]:
    try:
        found = client.get(under("/oauth2/v1/clients", client_id, "roles"))
    except OktaNotFoundError:
        return ()
    return tuple(RoleGrant.from_json(role) for role in found or ())


def service_app_roles(
    client: OktaClient, apps: Sequence[JsonObject]
) -> tuple[ServiceAppRoles, ...]:
    """The roles of the active OAuth service apps among `apps` (`oidc_client` apps as
    `/api/v1/apps` lists them): `GET /oauth2/v1/clients/{id}/roles` each."""
    services = [
        app
        for app in apps
        if app.get("status") == "ACTIVE"
        and ((app.get("settings") or {}).get("oauthClient") or {}).get("application_type")
        == "service"
    ]
    roles = client.map_concurrent(
        lambda app_id: _client_roles(client, app_id), [str(a["id"]) for a in services]
    )
    return tuple(
        ServiceAppRoles(str(app["id"]), str(app.get("label") or app["id"]), grants)
        for app, grants in zip(services, roles, strict=True)
        if grants
    )


def group_grants(client: OktaClient, group_id: str) -> tuple[RoleGrant, ...]:
    """`GET /api/v1/groups/{id}/roles`: the roles assigned to the group."""
    found = client.get(api_path("groups", group_id, "roles"))
    return tuple(RoleGrant.from_json(role) for role in found or ())


def user_grants(client: OktaClient, user_id: str) -> tuple[RoleGrant, ...]:
    """`GET /api/v1/users/{id}/roles`: every role the user holds, group-derived included."""
    try:
        found = client.get(api_path("users", user_id, "roles"))
    except OktaNotFoundError:
        return ()  # deleted since it was listed
    return tuple(RoleGrant.from_json(role) for role in found or ())


def custom_labels(client: OktaClient) -> dict[str, str]:
    """Custom role and resource set ids -> labels (`/api/v1/iam/roles`, `/resource-sets`)."""
    names: dict[str, str] = {}
    for key, path in (("roles", "/api/v1/iam/roles"), ("resource-sets", CUSTOM_SETS)):
        for page in body_pages(client, path, key):
            names.update({str(item.get("id")): str(item.get("label")) for item in page})
    return names


def read_user_roles(
    client: OktaClient, user: JsonObject, groups: Sequence[JsonObject]
) -> AdminRoles:
    """One user's admin roles, the names of the groups they are granted through taken from
    `groups` (the user's own), custom roles named when held."""
    user_id = str(user.get("id"))
    grants = user_grants(client, user_id)
    names = {str(g.get("id")): str((g.get("profile") or {}).get("name")) for g in groups}
    if any(g.role_type == "CUSTOM" for g in grants):
        names.update(custom_labels(client))
    holder = RoleHolder(user_id, _login(user), str(user.get("status") or "UNKNOWN"), grants)
    held = (holder,) if grants else ()
    return AdminRoles(holder_ids=(user_id,) if grants else (), holders=held, names=names)


def read_admin_roles(
    client: OktaClient,
    known: KnownOrg | Callable[[], KnownOrg],
    list_service_apps: bool = True,
    holder_ids: Callable[[], AdminHolderIds] | None = None,
) -> AdminRoles:
    return AdminRoleReader(client).read(known, list_service_apps, holder_ids)
