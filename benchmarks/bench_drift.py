"""Drift read cost against the sandbox `large` seed with 20 ms latency per request.

Prints JSON with
- requests: what one drift run made, vs the minimum possible (list pages at the page sizes the
  reader asks for, plus one rules read per relevant policy) — target within 5 %;
- wall time of the drift read vs a sequential one-GET-per-managed-object read (how
  `terraform plan` refreshes) measured in the same run — target at most 0.25x.
Usage: .venv/bin/python benchmarks/bench_drift.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.drift.apply_expected import apply_expected  # noqa: E402
from generator.drift.desired import load_desired_state  # noqa: E402
from generator.drift.run import DriftOptions, read_live, run_drift  # noqa: E402
from generator.model import DesiredState  # noqa: E402
from generator.okta.client import OktaClient  # noqa: E402
from generator.okta.reads import (  # noqa: E402
    DIRECT_USER_READS,
    EVERYONE,
    MEMBERS_PAGE_LIMIT,
    PAGE_LIMIT,
    SEARCH_CHUNK,
    targets_from_state,
)
from generator.okta.snapshot import LiveOrg  # noqa: E402
from generator.sandbox import Sandbox  # noqa: E402

LATENCY_MS = 20
REQUEST_TARGET = 1.05
WALL_TARGET = 0.25


def desired_state(directory: Path) -> DesiredState:
    document = yaml.safe_load((ROOT / "examples" / "egress-policy.yaml").read_text())
    document["output"]["dir"] = str(directory / "generated")
    config = directory / "egress-policy.yaml"
    config.write_text(yaml.safe_dump(document))
    return load_desired_state(config).state


def minimum_requests(org: dict[str, Any], state: DesiredState) -> int:
    """From the sandbox's raw state, independent of the reader's own bookkeeping."""
    targets = targets_from_state(state)
    names = {*targets.groups, EVERYONE}
    group_ids = {g["id"] for g in org["groups"].values() if g["profile"]["name"] in names}
    sign_on = [p for p in org["policies"].values() if p["type"] == "OKTA_SIGN_ON"]
    relevant = [
        p
        for p in sign_on
        if p["name"] == state.session_policy.name
        or group_ids
        & set(
            ((p.get("conditions") or {}).get("people") or {}).get("groups", {}).get("include", [])
        )
    ]
    member_pages = 0
    for name in targets.member_groups:
        group = next(g for g in org["groups"].values() if g["profile"]["name"] == name)
        count = sum(1 for m in org["memberships"].get(group["id"], []))
        member_pages += max(1, math.ceil(count / MEMBERS_PAGE_LIMIT))
    return (
        max(1, math.ceil(len(org["zones"]) / PAGE_LIMIT["zones"]))
        + max(1, math.ceil(len(sign_on) / PAGE_LIMIT["policies"]))
        + math.ceil(len(names) / SEARCH_CHUNK)  # groups: one search for all names
        + users_requests(len(targets.users))
        + len(targets.apps)  # one app lookup each
        + len(relevant)  # rules of each relevant sign-on policy
        + len(targets.apps)  # rules of each protected app's policy
        + member_pages
    )


def users_requests(logins: int) -> int:
    """A few logins: one direct read each; more: one search per SEARCH_CHUNK logins."""
    return logins if logins <= DIRECT_USER_READS else math.ceil(logins / SEARCH_CHUNK)


def per_object_read(client: OktaClient, state: DesiredState, live: LiveOrg) -> int:
    """What a Terraform refresh does: sequential reads, one per managed resource and the ones
    each data source makes (see shared provider facts: okta_group, okta_user, okta_app,
    okta_app_signon_policy)."""
    count = 0

    def get(path: str, params: dict[str, str] | None = None) -> Any:
        nonlocal count
        count += 1
        return client.get(path, params)

    for zone in state.zones:
        get(f"/api/v1/zones/{live.zone_named(zone.name)['id']}")  # type: ignore[index]
    policy = live.policy_named(state.session_policy.name)
    assert policy is not None
    get(f"/api/v1/policies/{policy['id']}")
    for rule in live.sign_on_rules[policy["id"]]:
        get(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}")
    targets = targets_from_state(state)
    for name in targets.groups:  # data "okta_group": q= lookup, members if include_users
        [group] = [g for g in get("/api/v1/groups", {"q": name}) if g["profile"]["name"] == name]
        if name in targets.member_groups:
            get(f"/api/v1/groups/{group['id']}/users")
    for login in targets.users:  # data "okta_user": search, then groups (skip_groups = false;
        # the admin-roles read of a real refresh is left out: the sandbox has no roles API)
        [user] = get("/api/v1/users", {"search": f'profile.login eq "{login}"', "limit": "1"})
        get(f"/api/v1/users/{user['id']}/groups")
    for app in live.apps:
        assert app.app is not None
        get("/api/v1/apps", {"q": app.label})  # data okta_app
        get(f"/api/v1/apps/{app.app['id']}")  # data okta_app_signon_policy
        get(f"/api/v1/policies/{app.policy_id}")
        ours = {r.name for a in state.app_policies if a.key == app.key for r in a.rules}
        for rule in app.rules:
            if rule["name"] in ours:
                get(f"/api/v1/policies/{app.policy_id}/rules/{rule['id']}")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        state = desired_state(Path(tmp))
    with Sandbox.start(seed="large", latency_ms=LATENCY_MS, mode="process") as sandbox:
        env = {"OKTA_ORG_URL": sandbox.org_url, "OKTA_API_TOKEN": sandbox.api_token}
        with OktaClient.from_env(env) as client:
            apply_expected(client, state)
            live = read_live(client, state, None)
        minimum = minimum_requests(sandbox.snapshot(), state)
        drift_times, baseline_times, requests, baseline_requests = [], [], [], 0
        in_sync = True
        for _ in range(args.rounds):
            with OktaClient.from_env(env) as client:
                started = time.perf_counter()
                report = run_drift(client, state, DriftOptions(with_events=False))
                drift_times.append(time.perf_counter() - started)
                requests.append(client.stats.requests)
                in_sync = in_sync and report.in_sync
            with OktaClient.from_env(env, concurrency=1) as client:
                started = time.perf_counter()
                baseline_requests = per_object_read(client, state, live)
                baseline_times.append(time.perf_counter() - started)
    made = max(requests)
    drift_s, baseline_s = statistics.median(drift_times), statistics.median(baseline_times)
    ratio = drift_s / baseline_s
    result = {
        "benchmark": "drift_read",
        "seed": "large",
        "latency_ms_per_request": LATENCY_MS,
        "rounds": args.rounds,
        "in_sync": in_sync,
        "requests": made,
        "requests_minimum": minimum,
        "requests_ratio": round(made / minimum, 3),
        "requests_target": f"<= {REQUEST_TARGET} x minimum",
        "requests_pass": made <= REQUEST_TARGET * minimum,
        "drift_wall_s": round(drift_s, 4),
        "per_object_wall_s": round(baseline_s, 4),
        "per_object_requests": baseline_requests,
        "wall_ratio": round(ratio, 3),
        "wall_target": f"<= {WALL_TARGET} x per-object read",
        "wall_pass": ratio <= WALL_TARGET,
    }
    result["pass"] = bool(result["requests_pass"] and result["wall_pass"] and in_sync)
    print(json.dumps(result, indent=2))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
