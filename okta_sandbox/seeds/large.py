"""The `large` seed: 90 zones, 60 policies x 20 rules, 5,000 users (the seeds' MFA factor mix:
`seeds.mfa`), 100,000 log events."""

from __future__ import annotations

import random
from datetime import timedelta

from okta_sandbox.core import ids
from okta_sandbox.core.routing import State
from okta_sandbox.seeds import build_default
from okta_sandbox.seeds.history import add_history
from okta_sandbox.seeds.mfa import mix_factors
from okta_sandbox.seeds.objects import (
    add_catch_all,
    add_group,
    add_policy,
    add_rule,
    add_zone,
    make_user,
)

LOG_EVENTS = 100_000


def build_large() -> State:
    """90 zones, 60 policies with 20 rules each, 5,000 users, 100,000 log events."""
    state = build_default()
    stamp = ids.iso(ids.now() - timedelta(days=20))
    rng = random.Random(42)
    zones = [
        add_zone(
            state,
            f"bench-zone-{n:02d}",
            "POLICY",
            stamp,
            gateways=[
                {"type": "CIDR", "value": f"10.{n}.{k}.0/24"} for k in range(rng.randint(1, 150))
            ],
        )
        for n in range(90)
    ]
    users = [
        make_user(state, f"user{n:04d}@example.com", "User", f"{n:04d}", created=stamp)
        for n in range(5000)
    ]
    mix_factors(state, users, stamp, rng)
    group_ids = [add_group(state, f"bench-group-{n:02d}", stamp)["id"] for n in range(20)]
    for n in range(60):
        policy_type = "OKTA_SIGN_ON" if n % 2 == 0 else "ACCESS_POLICY"
        conditions = (
            {"people": {"groups": {"include": [group_ids[n % 20]]}}}
            if policy_type == "OKTA_SIGN_ON"
            else None
        )
        policy = add_policy(
            state, policy_type, f"bench-policy-{n:02d}", stamp, conditions=conditions
        )
        if policy_type == "ACCESS_POLICY":
            add_catch_all(state, policy, stamp, "DENY", "2FA", "PT2H")
        for r in range(20 - (policy_type == "ACCESS_POLICY")):
            zone = zones[(n * 20 + r) % len(zones)]
            add_rule(
                state,
                policy,
                {
                    "name": f"bench-rule-{r:02d}",
                    "conditions": {"network": {"connection": "ZONE", "include": [zone["id"]]}},
                },
                stamp,
            )
    logins = {"alice.admin@example.com", "bob.admin@example.com", "breakglass@example.com"}
    admins = [u for u in state["users"].values() if u["profile"]["login"] in logins]
    admin_ids = {u["id"] for u in admins} | {u["id"] for u in users[:5]}  # delegated admins
    add_history(
        state,
        users[:200] + admins,
        count=LOG_EVENTS - len(state["logs"]),
        days=6,
        admins=admin_ids,
        rng=rng,
    )
    return state
