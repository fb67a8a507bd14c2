"""Drift read cost against the sandbox `large` seed with 20 ms latency per request.

Set-up, through the sandbox API (an in-memory sandbox, then served with the latency): the
desired state applied; ADMIN_POLICIES sign-on policies for the admin and break-glass groups
below ours (their rules allow, so the org stays in sync and every one of them is a rules read);
Okta's own controls turned on as the `hardened` seed does (okta_sandbox/seeds/hardened.py), so
that the control checks pass and "in sync" proves every read was made.
`--paginated` adds filler sign-on policies so that the policy listing needs more than one page
at Okta's maximum page size (the seed's 36 fit in one): one more dependent round trip.

Prints JSON with
- requests: what one drift run made vs the minimum possible, computed from the org's raw state
  and the API's documented maximum page sizes (DOCUMENTED_MAX_LIMIT, not the reader's
  settings): list pages at the maximum `limit`, one rules read per relevant policy (including
  policies for any group of a posture principal), the group, user and app lookups, the member
  listings of the admin and break-glass groups (Okta's built-in "Okta Administrators" is never
  listed: its members are the admin-role holders, looked up in searches of 20 ids) and one
  groups read per principal, and the
  control checks' reads (API tokens, their owners in searches of 20 ids and each owner's roles,
  the service apps, ThreatInsight, the Admin Console's session; the System Log not, as the run
  is `--no-events`) — target within 5 %;
- wall time of the drift run (its reads and the control checks) vs a sequential
  one-GET-per-managed-object read (how `terraform plan` refreshes; the controls' objects one at
  a time too), measured in the same run — target at most 0.25x.
Usage: .venv/bin/python benchmarks/bench_drift.py [--rounds N] [--paginated]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.controls.posture import ControlsCheck  # noqa: E402
from generator.controls.reads import ControlReadOptions  # noqa: E402
from generator.drift.apply_expected import apply_expected  # noqa: E402
from generator.drift.desired import load_desired_state  # noqa: E402
from generator.drift.run import DriftOptions, read_live, run_drift  # noqa: E402
from generator.model import DesiredState  # noqa: E402
from generator.okta.client import OktaClient  # noqa: E402
from generator.okta.platform import is_admins_group  # noqa: E402
from generator.okta.snapshot import LiveOrg  # noqa: E402
from okta_sandbox import Sandbox  # noqa: E402
from okta_sandbox.seeds.hardened import harden  # noqa: E402

LATENCY_MS = 20
REQUEST_TARGET = 1.05
WALL_TARGET = 0.25
ADMIN_POLICIES = 4  # sign-on policies for the admin / break-glass groups, below ours
PAGINATED_SIGN_ON_POLICIES = 230  # --paginated: more than one page at the maximum page size
EVERYONE = "Everyone"
# The largest `limit` each list endpoint accepts, from Okta's Management API reference
# (shared/okta/management-minimal.yaml): apps `maximum: 200`, groups `maximum: 10000`, users
# and group members default to their maximum (200, 1000); zones default to -1, i.e. every zone
# in one response (an org has at most 100). The policies list documents no maximum: Okta's
# usual 200 (as the sandbox enforces). A policy's rules are one response (no `after`).
DOCUMENTED_MAX_LIMIT: dict[str, int | None] = {
    "zones": None,
    "policies": 200,
    "apps": 200,
    "groups": 10000,
    "users": 200,
    "group_members": 1000,
}


def desired_state(directory: Path) -> DesiredState:
    document = yaml.safe_load((ROOT / "examples" / "egress-policy.yaml").read_text())
    document["output"]["dir"] = str(directory / "generated")
    document["okta"]["admin_console"]["phishing_resistant"] = True  # STIG V-273191
    config = directory / "egress-policy.yaml"
    config.write_text(yaml.safe_dump(document))
    return load_desired_state(config).state


# ---- set-up through the API -------------------------------------------------------------------


def _group_id(client: OktaClient, name: str) -> str:
    groups = client.get("/api/v1/groups", {"search": f'profile.name eq "{name}"'})
    return str(next(g["id"] for g in groups if g["profile"]["name"] == name))


def _policy(client: OktaClient, name: str, group_id: str, priority: int | None) -> str:
    body: dict[str, Any] = {
        "type": "OKTA_SIGN_ON",
        "name": name,
        "conditions": {"people": {"groups": {"include": [group_id]}}},
    }
    if priority is not None:
        body["priority"] = priority
    created, _ = client.request("POST", "/api/v1/policies", json=body)
    return str(created["id"])


def set_up(client: OktaClient, state: DesiredState, sign_on_policies: int) -> None:
    apply_expected(client, state)
    watched = [*state.admin_groups, *([state.break_glass.group] if state.break_glass.group else [])]
    ours = state.session_policy.priority
    for n in range(ADMIN_POLICIES):
        group = _group_id(client, watched[n % len(watched)])
        policy_id = _policy(client, f"bench admins {n}", group, ours + 1 + n)
        rule = {
            "type": "SIGN_ON",
            "name": "allow with MFA",
            "conditions": {"network": {"connection": "ANYWHERE"}},
            "actions": {"signon": {"access": "ALLOW", "requireFactor": True}},
        }
        client.request("POST", f"/api/v1/policies/{policy_id}/rules", json=rule)
    existing = client.list_all("/api/v1/policies", {"type": "OKTA_SIGN_ON", "limit": "200"})
    filler_group = _group_id(client, "bench-group-00")
    for n in range(sign_on_policies - len(existing)):
        _policy(client, f"bench filler {n:03d}", filler_group, None)


# ---- the minimum, from the raw org state ------------------------------------------------------


def _pages(items: int, endpoint: str) -> int:
    limit = DOCUMENTED_MAX_LIMIT[endpoint]
    return 1 if limit is None else max(1, math.ceil(items / limit))


def _group_named(org: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((g for g in org["groups"].values() if g["profile"]["name"] == name), None)


def minimum_requests(org: dict[str, Any], state: DesiredState) -> dict[str, int]:
    """Per kind of read, the fewest requests that read everything drift needs: the managed
    objects, and for the posture check every principal (admin-group and break-glass-group
    members, break-glass users) with all its groups, and the rules of every sign-on policy that
    can apply to one of them."""
    bg = [state.break_glass.group] if state.break_glass.group else []
    names = {*state.admin_groups, *bg, EVERYONE}
    watched = {g["id"] for name in names if (g := _group_named(org, name))}
    principal_groups = [g for name in [*state.admin_groups, *bg] if (g := _group_named(org, name))]
    logins = {login.lower() for login in state.break_glass.users}
    by_login = {uid for uid, u in org["users"].items() if u["profile"]["login"].lower() in logins}
    principals = {uid for g in principal_groups for uid in _members(org, g)}
    principals |= by_login
    for group_id, members in org["memberships"].items():
        if principals.intersection(members):
            watched.add(group_id)  # a group of a principal: its policies can apply to them
    sign_on = [p for p in org["policies"].values() if p["type"] == "OKTA_SIGN_ON"]

    def relevant(policy: dict[str, Any]) -> bool:
        include = ((policy.get("conditions") or {}).get("people") or {}).get("groups") or {}
        groups = set(include.get("include") or ())
        return policy["name"] == state.session_policy.name or not groups or bool(groups & watched)

    # a group's member listing; Okta's admins group is never listed: its members are the role
    # holders (ids shared with admin_role_holders), the ones not read by login in searches of 20
    members = sum(
        math.ceil(len(_role_holders(org) - by_login) / 20)
        if is_admins_group(g)
        else _pages(len(org["memberships"].get(g["id"], [])), "group_members")
        for g in principal_groups
    )
    owners = {t["userId"] for t in org["api_tokens"].values()}
    return {
        "zones": _pages(len(org["zones"]), "zones"),
        "sign_on_policies": _pages(len(sign_on), "policies"),
        "group_lookup": _pages(len(names), "groups"),  # one search for every name
        "user_lookup": _pages(len(state.break_glass.users), "users")
        if state.break_glass.users
        else 0,
        "app_lookups": len(state.app_policies),
        "sign_on_rules": sum(1 for p in sign_on if relevant(p)),
        "app_policy_rules": len(state.app_policies),
        "group_members": members,
        # the control checks: tokens, owners (search), owners' roles, service apps (one page),
        # ThreatInsight, Admin Console session
        "controls": 1 + (math.ceil(len(owners) / 20) + len(owners) if owners else 0) + 3,
        "principal_groups": len(principals),  # GET /users/{id}/groups, one response each
        **admin_role_reads(org, state),
    }


def _role_holders(org: dict[str, Any]) -> set[str]:
    """Every user holding an admin role: own, through a group, through a binding."""
    members = org["memberships"]
    holders: set[str] = set()
    for assignment in org.get("role_assignments", []):
        if assignment["assigneeType"] == "USER":
            holders.add(assignment["assigneeId"])
        elif assignment["assigneeType"] == "GROUP":
            holders.update(members.get(assignment["assigneeId"], []))
    for by_role in (org.get("iam") or {}).get("bindings", {}).values():
        for bound in by_role.values():
            for member in bound:
                if member["assigneeType"] == "USER":
                    holders.add(member["assigneeId"])
                else:
                    holders.update(members.get(member["assigneeId"], []))
    return holders & set(org["users"])


def _members(org: dict[str, Any], group: dict[str, Any]) -> set[str]:
    """A group's members: for Okta's built-in admins group, every admin-role holder (Okta keeps
    it so; the sandbox derives it the same way)."""
    if is_admins_group(group):
        return _role_holders(org)
    return set(org["memberships"].get(group["id"], []))


def admin_role_reads(org: dict[str, Any], state: DesiredState) -> dict[str, int]:
    """Every admin-role holder (docs/drift.md, "Every admin"): the assignees list (one page of
    200), the self-check (one roles read per admin / break-glass group, whose members are read
    anyway, but Okta's built-in admins group), per holder outside them one roles read and one
    groups read (they are posture principals too) plus one search per 20 of them for their
    logins, and the Admin Console policy's mappings."""
    covered_groups = [*state.admin_groups, *filter(None, [state.break_glass.group])]
    groups = [g for name in covered_groups if (g := _group_named(org, name))]
    covered = {m for g in groups for m in _members(org, g)}
    logins = {login.lower() for login in state.break_glass.users}
    covered |= {uid for uid, u in org["users"].items() if u["profile"]["login"].lower() in logins}
    uncovered = _role_holders(org) - covered
    return {
        "admin_role_holders": max(1, math.ceil(len(_role_holders(org)) / 200)),
        # not Okta's admins group: it holds no role, and its members are the list checked
        "admin_role_self_check": sum(1 for g in groups if not is_admins_group(g)),
        "admin_roles_uncovered": 2 * len(uncovered) + math.ceil(len(uncovered) / 20),
        "admin_console_policy_mappings": 1,
    }


# ---- the sequential per-object read ----------------------------------------------------------


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
    bg = [state.break_glass.group] if state.break_glass.group else []
    for name in [*state.admin_groups, *bg]:  # data "okta_group" (+ members: include_users)
        [group] = [g for g in get("/api/v1/groups", {"q": name}) if g["profile"]["name"] == name]
        if name in bg:
            get(f"/api/v1/groups/{group['id']}/users")
    for login in state.break_glass.users:  # data "okta_user": search, then its groups
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
    # The controls' objects, one at a time: each API token (okta_api_token reads by id), each
    # owner and their roles, the service apps, ThreatInsight, the Admin Console's session.
    assert live.controls is not None and isinstance(live.controls.api_tokens, tuple)
    for token in live.controls.api_tokens:
        get(f"/api/v1/api-tokens/{token['id']}")
    for owner in sorted({str(t["userId"]) for t in live.controls.api_tokens}):
        get(f"/api/v1/users/{owner}")
        get(f"/api/v1/users/{owner}/roles")
    get("/api/v1/apps", {"filter": 'name eq "oidc_client"', "limit": "200"})
    get("/api/v1/threats/configuration")
    get("/api/v1/first-party-app-settings/admin-console")
    return count


# ---- measurement --------------------------------------------------------------------------------


def _median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def measure(env: dict[str, str], state: DesiredState, rounds: int) -> dict[str, Any]:
    with OktaClient.from_env(env) as client:
        live = read_live(client, state, None, ControlReadOptions(with_events=False))
    drift_times, baseline_times, requests = [], [], []
    in_sync, baseline_requests = True, 0
    for _ in range(rounds):
        with OktaClient.from_env(env) as client:
            started = time.perf_counter()
            options = DriftOptions(with_events=False, posture_checks=(ControlsCheck(),))
            report = run_drift(client, state, options)
            drift_times.append(time.perf_counter() - started)
            requests.append(client.stats.requests)
            in_sync = in_sync and report.in_sync
        with OktaClient.from_env(env, concurrency=1) as client:
            started = time.perf_counter()
            baseline_requests = per_object_read(client, state, live)
            baseline_times.append(time.perf_counter() - started)
    return {
        "in_sync": in_sync,
        "requests": max(requests),
        "drift_s": _median(drift_times),
        "baseline_s": _median(baseline_times),
        "baseline_requests": baseline_requests,
        "relevant_sign_on_policies": len(live.sign_on_rules),
        "sign_on_policies": len(live.sign_on_policies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--paginated", action="store_true", help="enough sign-on policies for two list pages"
    )
    args = parser.parse_args()
    sign_on_policies = PAGINATED_SIGN_ON_POLICIES if args.paginated else 0
    with tempfile.TemporaryDirectory() as tmp:
        state = desired_state(Path(tmp))
        state_file = Path(tmp) / "org.json"
        with Sandbox.start(seed="large") as setup:  # in memory, no latency: a quick set-up
            env = {"OKTA_ORG_URL": setup.org_url, "OKTA_API_TOKEN": setup.api_token}
            with OktaClient.from_env(env) as client:
                set_up(client, state, sign_on_policies)
            setup.mutate(harden)
            state_file.write_text(json.dumps(setup.snapshot()))
        with Sandbox.start(state_file=state_file, latency_ms=LATENCY_MS, mode="process") as org:
            env = {"OKTA_ORG_URL": org.org_url, "OKTA_API_TOKEN": org.api_token}
            minimum = minimum_requests(org.snapshot(), state)
            measured = measure(env, state, args.rounds)
    made, least = measured["requests"], sum(minimum.values())
    ratio = measured["drift_s"] / measured["baseline_s"]
    result: dict[str, Any] = {
        "benchmark": "drift_read",
        "seed": "large",
        "paginated": args.paginated,
        "latency_ms_per_request": LATENCY_MS,
        "rounds": args.rounds,
        "in_sync": measured["in_sync"],
        "sign_on_policies": measured["sign_on_policies"],
        "relevant_sign_on_policies": measured["relevant_sign_on_policies"],
        "requests": made,
        "requests_minimum": least,
        "requests_minimum_by_kind": minimum,
        "requests_ratio": round(made / least, 3),
        "requests_target": f"<= {REQUEST_TARGET} x minimum",
        "requests_pass": made <= REQUEST_TARGET * least,
        "drift_wall_s": round(measured["drift_s"], 4),
        "per_object_wall_s": round(measured["baseline_s"], 4),
        "per_object_requests": measured["baseline_requests"],
        "wall_ratio": round(ratio, 3),
        "wall_target": f"<= {WALL_TARGET} x per-object read",
        "wall_pass": ratio <= WALL_TARGET,
    }
    result["pass"] = bool(result["requests_pass"] and result["wall_pass"] and result["in_sync"])
    print(json.dumps(result, indent=2))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
