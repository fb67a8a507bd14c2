"""Group membership changes planted by the `attacks` seed: the membership and its event
(`group.user_membership.add` / `.remove`, targets the `User` and the `UserGroup`, as the
directory's API logs them), ordinary ones among the week's noise, and the one that makes a user
an admin without any privilege event, and the break-glass account taken out of its group."""

from __future__ import annotations

from typing import Any

from okta_sandbox.directory.roles import assign
from okta_sandbox.directory.routes import MEMBERSHIP_EVENTS, group_target
from okta_sandbox.seeds.networks import HOME_IPS, OFFICE_IPS
from okta_sandbox.seeds.objects import add_group
from okta_sandbox.seeds.planter import Planter


def join(
    planter: Planter,
    minutes_ago: float,
    group: dict[str, Any],
    login: str,
    by: str,
    ip: str,
    add: bool,
) -> None:
    """`login` added to (removed from) `group` by `by`: the membership and its event."""
    members = planter.state["memberships"][group["id"]]
    user_id = planter.user(login)["id"]
    members[:] = [m for m in members if m != user_id] + ([user_id] if add else [])
    event_type, message = MEMBERSHIP_EVENTS[add]
    planter.add(
        minutes_ago,
        event_type,
        message,
        by,
        ip,
        [planter.target_user(login), group_target(group)],
        uri=f"/api/v1/groups/{group['id']}/users/{user_id}",
    )


def admin_group_joined(planter: Planter, stamp: str) -> None:
    """Ordinary membership changes of "Engineering" during the week; then dave made an admin
    by joining "Okta Operators", a group holding ORG_ADMIN since `stamp` (before the log's
    week, so no grant event: only a read of the role-holding groups knows it) with no member
    (a just-in-time admin group)."""
    state, alice, bob = planter.state, "alice.admin@example.com", "bob.admin@example.com"
    engineering = add_group(state, "Engineering", stamp, description="Product engineering")
    for days, login, add in (
        (6, "carol@example.com", True),
        (5, "dave@example.com", True),
        (3, "erin@example.com", True),
        (2, "erin@example.com", False),
    ):
        join(planter, days * 1440 + 17, engineering, login, alice, OFFICE_IPS[0], add)
    operators = add_group(state, "Okta Operators", stamp, description="Just-in-time admins")
    assign(state, "GROUP", operators["id"], "ORG_ADMIN", stamp)
    join(planter, 22, operators, "dave@example.com", bob, HOME_IPS[2], add=True)


def break_glass_removed(planter: Planter) -> None:
    """The emergency account taken out of the break-glass group (the deny rules' exemption):
    a lockout in waiting, and the responders' way in closed."""
    group = next(
        g
        for g in planter.state["groups"].values()
        if g["profile"]["name"] == "Break Glass Accounts"
    )
    join(planter, 21, group, "breakglass@example.com", "bob.admin@example.com", HOME_IPS[2], False)
