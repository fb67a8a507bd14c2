"""Read a `LiveOrg` with as few requests as the API allows, in as few round trips.

Started at once: zones, OKTA_SIGN_ON policies, the protected apps, the named groups (one
`search` for all of them) and users, and, when needed, every admin-role holder. Then, as soon as
their input arrives and bounded by the client's concurrency: the rules of every relevant sign-on
policy (page by page of the policy listing), of each protected app's policy, and the members of
the groups whose members are needed. Okta's built-in "Okta Administrators" group is never
listed (Okta does not list it): its members are the admin-role holders (`generator.okta.members`).
Any failure raises: a partial snapshot is never returned. The one exception is a group whose
members are needed only to know the admins (an admin group): when Okta will not list them, the
snapshot says so (`LiveOrg.unknown_members`) and the callers report it; a group whose members
egress-guard's rules exclude (the break-glass group) raises instead.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from generator.okta.client import OktaClient
from generator.okta.errors import OktaTransportError
from generator.okta.lookups import groups_by_name, quoted, users_by_id, users_by_login
from generator.okta.members import (
    AdminHolderIds,
    MembersNotListed,
    admins_group_members,
    list_members,
)
from generator.okta.paths import api_path
from generator.okta.platform import ADMIN_CONSOLE_APP, ADMINS_GROUP, EVERYONE_GROUP, is_admins_group
from generator.okta.policy_sharing import apps_sharing_policy
from generator.okta.read_targets import AppTarget, ReadTargets
from generator.okta.role_reads import KnownOrg, read_admin_roles, read_holder_ids
from generator.okta.roles import AdminRoles
from generator.okta.snapshot import JsonObject, LiveApp, LiveOrg, frozen_map, included_groups

PAGE_LIMIT = {"zones": 200, "policies": 200, "apps": 200}
# group name -> members, for the groups whose members are known; group name -> why, for the rest
Members = tuple[dict[str, tuple[JsonObject, ...]], dict[str, str]]


def policy_id_from_link(app: JsonObject) -> str | None:
    href = ((app.get("_links") or {}).get("accessPolicy") or {}).get("href")
    return str(href).rstrip("/").rsplit("/", 1)[-1] if href else None


class LiveOrgReader:
    def __init__(self, client: OktaClient) -> None:
        self.client = client

    def read(self, targets: ReadTargets) -> LiveOrg:
        group_names = tuple(dict.fromkeys([*targets.groups, EVERYONE_GROUP]))
        # Every independent list starts at once (zones, policies, apps, groups, users); each
        # dependent read (a policy's rules, a group's members) starts as soon as its input
        # arrives, in a pool bounded by the client's concurrency: the wall time is the longest
        # chain of round trips, not their sum.
        chains = 9 + len(targets.apps)
        with (
            ThreadPoolExecutor(max_workers=chains) as pool,
            ThreadPoolExecutor(max_workers=self.client.concurrency) as fetch,
        ):
            groups_f = pool.submit(groups_by_name, self.client, group_names)
            users_f = pool.submit(users_by_login, self.client, targets.users)
            # Every admin-role holder: what drift's role reads start from, and the members of
            # Okta's own admins group (which Okta does not list), read once for both.
            holder_ids_f = (
                pool.submit(read_holder_ids, self.client)
                if targets.admin_roles or ADMINS_GROUP in targets.member_groups
                else None
            )
            members_f = pool.submit(self._members_of, groups_f, holder_ids_f, users_f, targets)
            principals_f = pool.submit(
                self._principal_groups, members_f, users_f, holder_ids_f, targets, fetch
            )
            roles_f = (
                pool.submit(self._admin_roles, targets, groups_f, members_f, users_f, holder_ids_f)
                if targets.admin_roles
                else None
            )
            holders_f = pool.submit(self._holder_groups, roles_f, fetch)
            policies_f = pool.submit(
                self._sign_on_policies, groups_f, principals_f, holders_f, targets, fetch
            )
            apps_f = [
                pool.submit(self._app_with_rules, target, targets.admin_roles)
                for target in targets.apps
            ]
            zones_f = pool.submit(
                self.client.list_all, "/api/v1/zones", {"limit": str(PAGE_LIMIT["zones"])}
            )
            _start_workers(fetch, self.client.concurrency)  # while the first answers travel
            zones, groups = zones_f.result(), groups_f.result()
            members, unknown_members = members_f.result()
            (policies, sign_on_rules), users = policies_f.result(), users_f.result()
            user_groups = {**holders_f.result(), **principals_f.result()}
            apps = [future.result() for future in apps_f]
            admin_roles = roles_f.result() if roles_f is not None else None
        known = {str(u.get("id")) for u in users.values()}
        known |= {str(m.get("id")) for ms in members.values() for m in ms}
        rule_sets = [*sign_on_rules.values(), *(a.rules for a in apps)]
        unknown = sorted(_referenced_user_ids(rule_sets) - known)
        return LiveOrg(
            org_url=self.client.org_url,
            zones=tuple(zones),
            sign_on_policies=tuple(policies),
            sign_on_rules=frozen_map(sign_on_rules),
            apps=tuple(apps),
            groups=frozen_map(groups),
            users=frozen_map(users),
            group_members=frozen_map(members),
            read_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            referenced_users=users_by_id(self.client, unknown),
            user_groups=frozen_map(user_groups),
            admin_roles=admin_roles,
            unknown_members=frozen_map(unknown_members),
        )

    def _admin_roles(
        self,
        targets: ReadTargets,
        groups_f: Future[dict[str, JsonObject]],
        members_f: Future[Members],
        users_f: Future[dict[str, JsonObject]],
        holder_ids_f: Future[AdminHolderIds] | None,
    ) -> AdminRoles:
        def known() -> KnownOrg:
            groups, (members, _), users = groups_f.result(), members_f.result(), users_f.result()
            covered = [name for name in targets.principal_groups if name in members]
            people = [m for name in covered for m in members[name]]
            people += list(users.values())  # break-glass users
            return KnownOrg(
                covered=frozenset(str(p.get("id")) for p in people),
                users={str(p.get("id")): p for p in people},
                groups={str(g["id"]): name for name, g in groups.items()},
                # the self-check's groups; not Okta's admins group: it holds no role (none
                # can be granted to a built-in group) and its members are the list checked
                members={
                    str(groups[name]["id"]): tuple(str(m.get("id")) for m in members[name])
                    for name in covered
                    if not is_admins_group(groups[name])
                },
            )

        ids = holder_ids_f.result if holder_ids_f is not None else None
        return read_admin_roles(self.client, known, targets.list_service_apps, ids)

    def _holder_groups(
        self, roles_f: Future[AdminRoles] | None, fetch: ThreadPoolExecutor
    ) -> dict[str, tuple[JsonObject, ...]]:
        """Every group of every admin-role holder outside the principal groups (they are
        principals of the posture check too): user id -> its groups."""
        if roles_f is None:
            return {}
        roles = roles_f.result()
        ids = [holder.user_id for holder in roles.holders]
        futures = [fetch.submit(self._groups_of, user_id) for user_id in ids]
        return {user_id: future.result() for user_id, future in zip(ids, futures, strict=True)}

    def _principal_groups(
        self,
        members_f: Future[Members],
        users_f: Future[dict[str, JsonObject]],
        holder_ids_f: Future[AdminHolderIds] | None,
        targets: ReadTargets,
        fetch: ThreadPoolExecutor,
    ) -> dict[str, tuple[JsonObject, ...]]:
        """Every group of every principal (admin-group and break-glass-group members, the
        break-glass users): user id → its groups, one read per user, in parallel. Each read
        starts as soon as the user's id is known: the admin-role holders (the members of Okta's
        admins group) and the break-glass users before the members are looked up or listed."""
        started: dict[str, Future[tuple[JsonObject, ...]]] = {}

        def start(ids: Iterable[str]) -> None:
            for user_id in ids:
                if user_id not in started:
                    started[user_id] = fetch.submit(self._groups_of, user_id)

        if holder_ids_f is not None and ADMINS_GROUP in targets.principal_groups:
            start(holder_ids_f.result().ids)
        start(str(user.get("id")) for user in users_f.result().values())
        members, _ = members_f.result()
        people = [m for name in targets.principal_groups for m in members.get(name, ())]
        people += list(users_f.result().values())
        ids = list(dict.fromkeys(str(person.get("id")) for person in people))
        start(ids)
        # a holder Okta no longer knows is no member: its read, started early, is left unused
        return {user_id: started[user_id].result() for user_id in ids}

    def _groups_of(self, user_id: str) -> tuple[JsonObject, ...]:
        """GET /api/v1/users/{id}/groups: every group in one response (Okta documents no
        paging parameters for it; a Link next is still followed)."""
        return tuple(self.client.list_all(api_path("users", user_id, "groups")))

    def _sign_on_policies(
        self,
        groups_f: Future[dict[str, JsonObject]],
        principals_f: Future[dict[str, tuple[JsonObject, ...]]],
        holders_f: Future[dict[str, tuple[JsonObject, ...]]],
        targets: ReadTargets,
        fetch: ThreadPoolExecutor,
    ) -> tuple[list[JsonObject], dict[str, tuple[JsonObject, ...]]]:
        """Every OKTA_SIGN_ON policy, and the rules of the relevant ones: a policy's rules are
        requested as soon as its page arrives (ours and those without group condition), the
        named groups' ids are known (those including an admin, break-glass or Everyone group),
        or the principals' groups are (those including any other group of an admin or a
        break-glass account), or the admin-role holders' groups are — not after the last page,
        and not all after the slowest."""
        policies: list[JsonObject] = []
        rules_f: dict[str, Future[tuple[JsonObject, ...]]] = {}
        waiting: list[JsonObject] = []  # relevant only if they include a watched group

        def start_watched(watched: set[str]) -> None:
            unmatched = []
            for policy in waiting:
                if watched.intersection(included_groups(policy)):
                    rules_f[str(policy["id"])] = fetch.submit(self._rules, str(policy["id"]))
                else:
                    unmatched.append(policy)
            waiting[:] = unmatched

        params = {"type": "OKTA_SIGN_ON", "limit": str(PAGE_LIMIT["policies"])}
        for page in _read_ahead(self.client.pages("/api/v1/policies", params)):
            policies += page
            for policy in page:
                if _is_ours(policy, targets) or not included_groups(policy):
                    rules_f[str(policy["id"])] = fetch.submit(self._rules, str(policy["id"]))
                else:
                    waiting.append(policy)
            if groups_f.done():
                start_watched(_watched(groups_f.result(), {}))
            if principals_f.done():
                start_watched(_watched(groups_f.result(), principals_f.result()))
            if holders_f.done():
                start_watched(_watched(groups_f.result(), holders_f.result()))
        start_watched(_watched(groups_f.result(), {}))  # named groups: no wait for principals
        start_watched(_watched(groups_f.result(), principals_f.result()))
        start_watched(_watched(groups_f.result(), holders_f.result()))
        policies.sort(key=lambda p: (int(p.get("priority") or 0), str(p.get("id"))))
        rules = {
            str(p["id"]): rules_f[str(p["id"])].result()
            for p in policies
            if str(p["id"]) in rules_f
        }
        return policies, rules

    def _members_of(
        self,
        groups_f: Future[dict[str, JsonObject]],
        holder_ids_f: Future[AdminHolderIds] | None,
        users_f: Future[dict[str, JsonObject]],
        targets: ReadTargets,
    ) -> Members:
        """The members of `targets.member_groups` that exist, and the groups whose members
        are not known (why). Okta's admins group: the admin-role holders, never listed."""
        groups = groups_f.result()
        present = [name for name in targets.member_groups if name in groups]

        def one(name: str) -> tuple[JsonObject, ...] | str:
            group = groups[name]
            try:
                if is_admins_group(group) and holder_ids_f is not None:
                    known = {str(u.get("id")): u for u in users_f.result().values()}
                    return admins_group_members(self.client, holder_ids_f.result(), known)
                return list_members(self.client, name, group)
            except MembersNotListed as error:
                if name in targets.excluded_member_groups:
                    raise MembersNotListed(
                        name,
                        f"{error.reason}. egress-guard's deny rules exclude this group's "
                        "members one by one (okta.break_glass.group), so the org cannot be "
                        "compared or evaluated without them: use a group whose members Okta "
                        "lists",
                    ) from None
                return error.reason

        found = dict(zip(present, self.client.map_concurrent(one, present), strict=True))
        members = {name: got for name, got in found.items() if not isinstance(got, str)}
        unknown = {name: got for name, got in found.items() if isinstance(got, str)}
        return members, unknown

    def _app_with_rules(self, target: AppTarget, sharing: bool = False) -> LiveApp:
        """The app, its policy's rules; the other apps sharing the Admin Console's policy
        (`sharing`), the policy itself when it should be our dedicated one: in parallel."""
        app = self._app(target)
        if app.policy_id is None:
            return app
        policy_id, app_id = app.policy_id, str((app.app or {}).get("id"))
        share = sharing and target.name == ADMIN_CONSOLE_APP
        with ThreadPoolExecutor(max_workers=2) as aside:
            shared_f = (
                aside.submit(apps_sharing_policy, self.client, policy_id, app_id) if share else None
            )
            policy_f = (
                aside.submit(self.client.get, api_path("policies", policy_id))
                if target.dedicated_policy
                else None
            )
            rules = self._rules(policy_id)
            shared = shared_f.result() if shared_f is not None else None
            policy = policy_f.result() if policy_f is not None else None
        return LiveApp(app.key, app.label, app.app, policy_id, rules, shared, policy)

    def _rules(self, policy_id: str) -> tuple[JsonObject, ...]:
        rules = self.client.list_all(api_path("policies", policy_id, "rules"))
        return tuple(sorted(rules, key=lambda r: (int(r.get("priority") or 0), str(r.get("id")))))

    def _app(self, target: AppTarget) -> LiveApp:
        if target.name:
            params = {"filter": f"name eq {quoted(target.name)}", "limit": "200"}
        else:
            params = {"q": target.label, "limit": str(PAGE_LIMIT["apps"])}
        candidates = [
            app
            for app in self.client.list_all("/api/v1/apps", params)
            if app.get("status") == "ACTIVE"
            and (
                app.get("label") == target.label or (target.name and app.get("name") == target.name)
            )
        ]
        if not candidates:
            return LiveApp(target.key, target.label, None, None)
        app = candidates[0]
        policy_id = policy_id_from_link(app)
        if policy_id is None:
            raise OktaTransportError(
                f"app {target.label!r} ({app.get('id')}) has no accessPolicy link: "
                "is this an Identity Engine org?"
            )
        return LiveApp(target.key, target.label, app, policy_id)


def _start_workers(pool: ThreadPoolExecutor, count: int) -> None:
    """Start `count` idle workers now. The pool would start one per submission, each start
    waiting for the interpreter lock while answers are being parsed: a few milliseconds every
    dependent read would otherwise spend before its request goes out."""
    gate = threading.Event()
    for _ in range(count):
        pool.submit(gate.wait)
    gate.set()


def _read_ahead(pages: Iterator[list[JsonObject]]) -> Iterator[list[JsonObject]]:
    """`pages`, each next page requested before the current one is handed out: the listing's
    next request is on the critical path and must not queue behind the reads its page starts."""
    with ThreadPoolExecutor(max_workers=1) as ahead:
        upcoming = ahead.submit(next, pages, None)
        while (page := upcoming.result()) is not None:
            upcoming = ahead.submit(next, pages, None)
            yield page


def _is_ours(policy: JsonObject, targets: ReadTargets) -> bool:
    if targets.session_policy_id is not None and policy.get("id") == targets.session_policy_id:
        return True
    return policy.get("name") == targets.session_policy_name


def _watched(
    groups: dict[str, JsonObject], user_groups: dict[str, tuple[JsonObject, ...]]
) -> set[str]:
    """Group ids whose sign-on policies can apply to a principal."""
    ids = {str(g["id"]) for g in groups.values()}
    return ids | {str(g.get("id")) for found in user_groups.values() for g in found}


def _referenced_user_ids(rule_sets: Sequence[Sequence[JsonObject]]) -> set[str]:
    ids: set[str] = set()
    for rules in rule_sets:
        for rule in rules:
            people = (rule.get("conditions") or {}).get("people") or {}
            users = people.get("users") or {}
            ids.update(str(i) for part in ("include", "exclude") for i in users.get(part) or ())
    return ids


def read_live_org(client: OktaClient, targets: ReadTargets) -> LiveOrg:
    return LiveOrgReader(client).read(targets)
