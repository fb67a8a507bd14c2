"""`MfaOrg`: everything that decides how many factors a sign-in takes, read from the live org.

Unlike drift's `LiveOrg` (the admins' view: the policies that can apply to admins and the
protected apps), this is every user's: every Global Session Policy with its rules, every active
app with the rules of its authentication policy, the zones those rules name, and the names of
the groups and users their conditions refer to.

Requests (started at once, the dependent ones as soon as their input arrives, bounded by the
client's concurrency): the zones; the OKTA_SIGN_ON policies and one rules read per policy; the
ACCESS_POLICY policies (their names); the active apps (pages of 200) and one rules read per
authentication policy an app uses; then one users search per 20 referenced group or user ids
(`search=id eq ...`). Any failure raises: a partial read never passes for "no one-factor path".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from generator.okta.client import OktaClient
from generator.okta.paths import api_path
from generator.okta.reads import policy_id_from_link
from generator.okta.snapshot import JsonObject, frozen_map

PAGE_LIMIT = 200
SEARCH_CHUNK = 20


@dataclass(frozen=True)
class MfaOrg:
    org_url: str
    zones: tuple[JsonObject, ...]
    sign_on_policies: tuple[JsonObject, ...]  # every OKTA_SIGN_ON policy
    access_policies: tuple[JsonObject, ...]  # every ACCESS_POLICY policy (names)
    rules: Mapping[str, tuple[JsonObject, ...]]  # policy id -> rules (sign-on: all; access:
    # those an active app uses)
    apps: tuple[JsonObject, ...]  # active apps
    group_names: Mapping[str, str]  # group id -> name, for every group a condition names
    user_logins: Mapping[str, str]  # user id -> login, for every user a condition names

    def app_policy_id(self, app: JsonObject) -> str | None:
        return policy_id_from_link(app)

    def apps_of(self, policy_id: str) -> tuple[JsonObject, ...]:
        return tuple(a for a in self.apps if policy_id_from_link(a) == policy_id)

    def access_policy(self, policy_id: str) -> JsonObject:
        found = next((p for p in self.access_policies if p.get("id") == policy_id), None)
        return found or {"id": policy_id, "name": policy_id}

    def policy_named(self, name: str, policy_type: str = "ACCESS_POLICY") -> JsonObject | None:
        pool = self.access_policies if policy_type == "ACCESS_POLICY" else self.sign_on_policies
        return next((p for p in pool if p.get("name") == name), None)


def _people(obj: JsonObject) -> JsonObject:
    return ((obj.get("conditions") or {}).get("people")) or {}


def referenced_ids(objects: Iterable[JsonObject], part: str) -> set[str]:
    """Ids under `conditions.people.<part>.include/exclude` of `objects` (part: groups|users)."""
    found: set[str] = set()
    for obj in objects:
        section = _people(obj).get(part) or {}
        for key in ("include", "exclude"):
            found.update(str(i) for i in section.get(key) or ())
    return found


class MfaOrgReader:
    def __init__(self, client: OktaClient) -> None:
        self.client = client

    def read(self, also_policies: Sequence[str] = ()) -> MfaOrg:
        """`also_policies`: authentication policy names whose rules are read even when no
        active app uses them (the ones egress-guard puts an MFA rule on)."""
        with (
            ThreadPoolExecutor(max_workers=4) as pool,
            ThreadPoolExecutor(max_workers=self.client.concurrency) as fetch,
        ):
            zones_f = pool.submit(self._list, "/api/v1/zones", {"limit": str(PAGE_LIMIT)})
            sign_on_f = pool.submit(self._policies, "OKTA_SIGN_ON")
            access_f = pool.submit(self._policies, "ACCESS_POLICY")
            apps_f = pool.submit(
                self._list,
                "/api/v1/apps",
                {"filter": 'status eq "ACTIVE"', "limit": str(PAGE_LIMIT)},
            )
            sign_on = sign_on_f.result()
            rules_f = {str(p["id"]): fetch.submit(self._rules, str(p["id"])) for p in sign_on}
            apps = apps_f.result()
            used = {pid for pid in map(policy_id_from_link, apps) if pid is not None}
            rules_f |= {pid: fetch.submit(self._rules, pid) for pid in sorted(used)}
            access = access_f.result()
            named = {str(p["id"]) for p in access if p.get("name") in set(also_policies)}
            rules_f |= {pid: fetch.submit(self._rules, pid) for pid in sorted(named - used)}
            rules = {pid: future.result() for pid, future in rules_f.items()}
            zones = zones_f.result()
        conditioned = [*sign_on, *(r for rs in rules.values() for r in rs)]
        groups = self._names("groups", referenced_ids(conditioned, "groups"))
        users = self._names("users", referenced_ids(conditioned, "users"))
        return MfaOrg(
            org_url=self.client.org_url,
            zones=tuple(zones),
            sign_on_policies=tuple(sorted(sign_on, key=_rank)),
            access_policies=tuple(access),
            rules=frozen_map(rules),
            apps=tuple(apps),
            group_names=frozen_map(groups),
            user_logins=frozen_map(users),
        )

    def _list(self, path: str, params: Mapping[str, str] | None = None) -> list[JsonObject]:
        return self.client.list_all(path, params)

    def _policies(self, policy_type: str) -> list[JsonObject]:
        return self._list("/api/v1/policies", {"type": policy_type, "limit": str(PAGE_LIMIT)})

    def _rules(self, policy_id: str) -> tuple[JsonObject, ...]:
        rules = self.client.list_all(api_path("policies", policy_id, "rules"))
        return tuple(sorted(rules, key=_rank))

    def _names(self, kind: str, ids: set[str]) -> dict[str, str]:
        """id -> group name (kind groups) or user login (kind users)."""
        wanted = sorted(ids)
        chunks: list[Sequence[str]] = [
            wanted[i : i + SEARCH_CHUNK] for i in range(0, len(wanted), SEARCH_CHUNK)
        ]
        pages = self.client.map_concurrent(
            lambda chunk: self._list(
                api_path(kind),
                {"search": " or ".join(f'id eq "{i}"' for i in chunk), "limit": "200"},
            ),
            chunks,
        )
        field = "name" if kind == "groups" else "login"
        return {
            str(obj.get("id")): str((obj.get("profile") or {}).get(field) or obj.get("id"))
            for page in pages
            for obj in page
        }


def _rank(obj: JsonObject) -> tuple[int, str]:
    return int(obj.get("priority") or 0), str(obj.get("id"))


def read_mfa_org(client: OktaClient, also_policies: Sequence[str] = ()) -> MfaOrg:
    return MfaOrgReader(client).read(also_policies)


def groups_of(client: OktaClient, user_id: str) -> tuple[JsonObject, ...]:
    """Every group of a user (`GET /api/v1/users/{id}/groups`)."""
    return tuple(client.list_all(api_path("users", user_id, "groups")))
