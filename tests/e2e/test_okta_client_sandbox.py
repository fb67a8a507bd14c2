"""The client and the LiveOrg reader against the sandbox: bounded concurrency and what the
snapshot holds."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from drift_support import GSP, load, make_client, write_config

from generator.drift.desired import Desired
from generator.okta import reads
from generator.okta.read_targets import targets_from_state
from generator.okta.reads import read_live_org
from okta_sandbox import Sandbox


class CountingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        with self._lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            return super().request(*args, **kwargs)
        finally:
            with self._lock:
                self.in_flight -= 1


class RecordingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.urls.append(url)
        return super().request(method, url, *args, **kwargs)


@pytest.fixture(scope="module")
def desired(tmp_path_factory: pytest.TempPathFactory) -> Desired:
    return load(write_config(tmp_path_factory.mktemp("reads")))


def test_requests_in_flight_never_exceed_the_concurrency() -> None:
    session = CountingSession()
    with Sandbox.start(seed="default", latency_ms=40) as sandbox:
        client = make_client(sandbox, concurrency=3, session=session)
        zones = client.list_all("/api/v1/zones")
        ids = [z["id"] for z in zones] * 3
        got = client.map_concurrent(lambda zone_id: client.get(f"/api/v1/zones/{zone_id}"), ids)
    assert [z["id"] for z in got] == ids
    assert 2 <= session.peak <= 3  # parallel, and bounded


def test_snapshot_holds_what_drift_and_posture_need(desired: Desired, tmp_path: Path) -> None:
    with Sandbox.start(seed="default") as sandbox:
        admin_policy = {
            "type": "OKTA_SIGN_ON",
            "name": GSP,
            "priority": 1,
            "conditions": {"people": {"groups": {"include": []}}},
        }
        http = requests.Session()
        http.headers["Authorization"] = f"SSWS {sandbox.api_token}"
        admins = next(
            g
            for g in http.get(f"{sandbox.org_url}/api/v1/groups").json()
            if g["profile"]["name"] == "Okta Administrators"
        )
        admin_policy["conditions"]["people"]["groups"]["include"] = [admins["id"]]
        created = http.post(f"{sandbox.org_url}/api/v1/policies", json=admin_policy).json()
        session = RecordingSession()
        with make_client(sandbox, session=session) as client:
            live = read_live_org(client, targets_from_state(desired.state))
            requests_made = client.stats.requests
    assert {z["name"] for z in live.zones} >= {"LegacyIpZone", "BlockedIpZone"}
    priorities = [p["priority"] for p in live.sign_on_policies]
    assert priorities == sorted(priorities) and live.sign_on_policies[0]["id"] == created["id"]
    # Rules are read for ours and the Default Policy (Everyone), not for unrelated policies.
    default = next(p for p in live.sign_on_policies if p["name"] == "Default Policy")
    assert set(live.sign_on_rules) == {created["id"], default["id"]}
    [console] = live.apps
    assert console.app is not None and console.app["name"] == "saasure"
    assert {r["name"] for r in console.rules} >= {"Catch-all Rule"}
    assert set(live.groups) == {"Okta Administrators", "Break Glass Accounts", "Everyone"}
    assert set(live.users) == {"breakglass@example.com"}
    members = live.group_members["Break Glass Accounts"]
    assert [m["profile"]["login"] for m in members] == ["breakglass@example.com"]
    assert live.display_name("user", members[0]["id"]) == "breakglass@example.com"
    # Posture principals: the admin group's members, and every group of each principal. The
    # admin group is Okta's built-in one: never listed (Okta refuses), its members are the
    # admin-role holders.
    assert f"/api/v1/groups/{admins['id']}/users" not in {urlsplit(u).path for u in session.urls}
    assert not live.unknown_members
    admins = [m["profile"]["login"] for m in live.group_members["Okta Administrators"]]
    assert sorted(admins) == ["alice.admin@example.com", "bob.admin@example.com", members[0][
        "profile"]["login"]]  # fmt: skip
    assert len(live.user_groups) == 3  # alice, bob, breakglass (admin and break-glass)
    breakglass = live.groups_of(members[0]["id"]) or ()
    assert {g["profile"]["name"] for g in breakglass} >= {"Break Glass Accounts", "Everyone"}
    # zones, policies, groups, users, app; rules x2 (sign-on), rules (console), members of the
    # break-glass group, of the admin group: the role holders' ids and one search for the two
    # not read yet (alice, bob), one groups read per principal x3
    assert requests_made == 14


def test_rules_of_relevant_policies_are_read_across_policy_pages(
    desired: Desired, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One policy per page: each relevant policy's rules are still read, exactly once, and
    those of a policy for other groups are not."""
    monkeypatch.setitem(reads.PAGE_LIMIT, "policies", 1)
    session = RecordingSession()
    with Sandbox.start(seed="default") as sandbox:
        http = requests.Session()
        http.headers["Authorization"] = f"SSWS {sandbox.api_token}"
        base = f"{sandbox.org_url}/api/v1"
        groups = {g["profile"]["name"]: g["id"] for g in http.get(f"{base}/groups").json()}
        other = http.post(f"{base}/groups", json={"profile": {"name": "Contractors"}}).json()
        created = {}
        for name, include in (
            ("for admins", [groups["Okta Administrators"]]),
            ("for contractors", [other["id"]]),
            ("for nobody in particular", None),
        ):
            conditions = {"people": {"groups": {"include": include}}} if include else {}
            body = {"type": "OKTA_SIGN_ON", "name": name, "conditions": conditions}
            created[name] = http.post(f"{base}/policies", json=body).json()["id"]
        with make_client(sandbox, session=session) as client:
            live = read_live_org(client, targets_from_state(desired.state))
    paths = [urlsplit(url).path for url in session.urls]
    default = next(p["id"] for p in live.sign_on_policies if p["name"] == "Default Policy")
    relevant = {created["for admins"], created["for nobody in particular"], default}
    assert set(live.sign_on_rules) == relevant
    rule_reads = [p for p in paths if p.startswith("/api/v1/policies/") and p.endswith("/rules")]
    sign_on_reads = [p.split("/")[4] for p in rule_reads if p.split("/")[4] in live.sign_on_rules]
    assert sorted(sign_on_reads) == sorted(relevant)  # each once
    assert paths.count("/api/v1/policies") == len(live.sign_on_policies) == 4
