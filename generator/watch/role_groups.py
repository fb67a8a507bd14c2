"""Which groups hold an admin role: read from the org for PRV-002 and BRK-001, at most once per
refresh interval (the read is cached in the watch state file).

It reuses the role reads of `generator/okta/role_reads.py` (okta-api notes §A10):

1. `GET /api/v1/iam/assignees/users` (paged in the body): every user holding an admin role;
2. `GET /api/v1/users/{id}/roles` for each: the roles each holds, with `assignmentType: GROUP`
   and the group in `_links.assignee.href` for the roles held through a group (custom-role
   bindings to a group included). The groups seen there are the role-holding groups.

Cost: 1 request per 200 holders + 1 per holder (a 50-admin org: 51 requests a day at the
default interval). A group that holds a role but has no member yet (a just-in-time admin group)
is not found this way; `scan_all_groups` reads every group's roles instead (`GET /api/v1/groups`
and one `GET /api/v1/groups/{id}/roles` per group; needs `okta.groups.read` too). Grants and
revocations in the log are learned in between (PRV-002).

Without `okta.roles.read` (the scope not granted, or a 403 from Okta) the read is recorded as
not possible, with the reason, and not tried again before the interval is over: the note is
said once per interval, not on every run. A read that fails otherwise (5xx, a dropped
connection) is not cached: the previous read, if any, is used and the next run tries again.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from generator.okta.client import OktaClient
from generator.okta.errors import OktaApiError, OktaError
from generator.okta.role_reads import (
    ASSIGNEES,
    ASSIGNEES_LIMIT,
    body_pages,
    group_grants,
    user_grants,
)
from generator.okta.roles import RoleGrant
from generator.okta.scopes import ROLES_SCOPE
from generator.watch.admin_groups import RoleGroups
from generator.watch.detection import Detection

ROLE_AWARE = frozenset({"PRV-002", "BRK-001"})  # the detections that use the read
GROUPS_PAGE = "200"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _refused(client: OktaClient, status: int) -> str:
    if ROLES_SCOPE in client.missing_scopes:
        return f"the OAuth service app is not granted {ROLES_SCOPE}"
    return f"GET {ASSIGNEES} was refused (HTTP {status}; needs {ROLES_SCOPE})"


def read_role_groups(client: OktaClient, *, scan_all: bool, now: datetime) -> RoleGroups:
    """The groups holding an admin role now; a refusal (403) is a `problem`, any other
    failure raises."""
    if ROLES_SCOPE in client.missing_scopes:
        return RoleGroups(read_at=_iso(now), problem=_refused(client, 403))
    try:
        pages = body_pages(client, ASSIGNEES, "value", {"limit": str(ASSIGNEES_LIMIT)})
        holders = tuple(dict.fromkeys(str(item["id"]) for page in pages for item in page))
    except OktaApiError as error:
        if error.status not in (401, 403):
            raise
        return RoleGroups(read_at=_iso(now), problem=_refused(client, error.status))
    grants = client.map_concurrent(lambda user: user_grants(client, user), holders)
    groups = _holding(itertools.chain.from_iterable(grants))
    how = f"through {len(holders)} role holder(s)"
    if scan_all:
        try:
            every = client.list_all("/api/v1/groups", {"limit": GROUPS_PAGE})
        except OktaApiError as error:
            if error.status not in (401, 403):
                raise
            how += f"; every group's roles not read (GET /api/v1/groups: HTTP {error.status})"
        else:
            rest = [str(g["id"]) for g in every if str(g["id"]) not in groups]
            read = client.map_concurrent(lambda group: group_grants(client, group), rest)
            for group_id, roles in zip(rest, read, strict=True):
                held = {r.role_type for r in roles if r.active}
                if held:
                    groups[group_id] = held
            how = f"every group's roles ({len(every)} group(s))"
    return RoleGroups(
        read_at=_iso(now),
        groups={g: tuple(sorted(roles)) for g, roles in sorted(groups.items())},
        holders=len(holders),
        how=how,
    )


def _holding(grants: Iterable[RoleGrant]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for grant in grants:
        if grant.assignment_type == "GROUP" and grant.group_id and grant.active:
            groups.setdefault(grant.group_id, set()).add(grant.role_type)
    return groups


@dataclass
class RoleGroupsKeeper:
    """The role-holding groups of one watch run: the cached read while it is fresh, a new read
    when it is due (at the start, and between pages with `--follow`)."""

    client: OktaClient | None  # None: no org to read (--input)
    refresh: timedelta
    scan_all: bool
    cached: RoleGroups | None = None

    def due(self, now: datetime) -> bool:
        if self.client is None:
            return False
        if self.cached is None or self.cached.read_at_ms is None:
            return True
        if self.scan_all and self.cached.read and "every group's roles" not in self.cached.how:
            return True  # read the holders' way before scan_all_groups was set
        age_ms = now.timestamp() * 1000 - self.cached.read_at_ms
        return age_ms >= self.refresh.total_seconds() * 1000 or age_ms < 0

    def current(self, now: datetime) -> tuple[RoleGroups, list[str], bool]:
        """The groups to use, what to say about them (only when read now), and whether the
        state file should keep them."""
        if self.client is None:
            return RoleGroups(problem="no org to read (--input)"), [], False
        if not self.due(now):
            assert self.cached is not None
            return self.cached, [], False
        try:
            fresh = read_role_groups(self.client, scan_all=self.scan_all, now=now)
        except OktaError as error:
            if self.cached is not None and self.cached.read:
                return (
                    self.cached,
                    [
                        f"role-holding groups: could not be read again ({error}); using the read "
                        f"of {self.cached.read_at}"
                    ],
                    False,
                )
            failed = RoleGroups(problem=f"could not be read ({error})")
            return failed, [_said(failed, self.refresh)], False
        self.cached = fresh
        return fresh, [_said(fresh, self.refresh)], True


def _said(roles: RoleGroups, refresh: timedelta) -> str:
    hours = int(refresh.total_seconds() // 3600)
    if roles.read:
        return (
            f"role-holding groups read ({ROLES_SCOPE}): {len(roles.groups)} group(s) hold an "
            f"admin role, found {roles.how}; read again after {hours} h"
        )
    return (
        f"role-holding groups not read: {roles.problem}. PRV-002 and BRK-001 know the config's "
        "admin groups, Okta Administrators and the role grants seen in the log only; grant "
        f"{ROLES_SCOPE} (and request it in OKTA_API_SCOPES) to cover every group holding an "
        f"admin role (said once every {hours} h)"
    )


def apply_role_groups(detections: Iterable[Detection], roles: RoleGroups) -> None:
    """Give the detections the groups read during a `--follow` run."""
    for detection in detections:
        admin = detection.context.admin_groups
        detection.context = replace(detection.context, admin_groups=replace(admin, roles=roles))
