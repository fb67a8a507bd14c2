"""Sandbox state: one JSON file shared by processes, process mode, the CLI, and the seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from okta_sandbox import Sandbox, seeds
from okta_sandbox.core.store import Store


def session(sandbox: Sandbox) -> requests.Session:
    http = requests.Session()
    http.headers["Authorization"] = f"SSWS {sandbox.api_token}"
    return http


def zone_names(sandbox: Sandbox) -> set[str]:
    with session(sandbox) as http:
        return {z["name"] for z in http.get(f"{sandbox.org_url}/api/v1/zones", timeout=10).json()}


def test_two_servers_on_one_state_file_see_one_org(tmp_path: Path, sandbox_factory: Any) -> None:
    state = tmp_path / "org.json"
    first = sandbox_factory(state_file=state)
    second = sandbox_factory(state_file=state)
    assert first.api_token == second.api_token
    with session(first) as http:
        http.post(
            f"{first.org_url}/api/v1/zones", json={"type": "IP", "name": "shared"}, timeout=10
        ).raise_for_status()
    assert "shared" in zone_names(second)
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert "shared" in {z["name"] for z in saved["zones"].values()}


def test_concurrent_writes_through_two_servers_are_all_kept(
    tmp_path: Path, sandbox_factory: Any
) -> None:
    state = tmp_path / "org.json"
    servers = [sandbox_factory(state_file=state), sandbox_factory(state_file=state)]

    def create(n: int) -> int:
        target = servers[n % 2]
        with session(target) as http:
            return http.post(
                f"{target.org_url}/api/v1/zones", timeout=10, json={"type": "IP", "name": f"c{n}"}
            ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(create, range(40))) == {200}
    assert {f"c{n}" for n in range(40)} <= zone_names(servers[0])
    events = servers[1].snapshot()["logs"]
    assert sum(e["eventType"] == "zone.create" for e in events) == 40


def test_process_mode_snapshot_and_faults(tmp_path: Path) -> None:
    with Sandbox.start(
        mode="process", state_file=tmp_path / "org.json", faults=["429x1@/api/v1/zones"]
    ) as sandbox:
        with session(sandbox) as http:
            limited = http.get(f"{sandbox.org_url}/api/v1/zones", timeout=10)  # --fault from CLI
            assert limited.status_code == 429 and limited.json()["errorCode"] == "E0000047"
            http.post(
                f"{sandbox.org_url}/api/v1/groups", json={"profile": {"name": "P"}}, timeout=10
            ).raise_for_status()
            sandbox.add_fault("503x1@/api/v1/groups")
            assert sandbox.active_faults() == ["503x1@/api/v1/groups"]
            assert http.get(f"{sandbox.org_url}/api/v1/groups", timeout=10).status_code == 503
            sandbox.clear_faults()
        names = {g["profile"]["name"] for g in sandbox.snapshot()["groups"].values()}
        assert "P" in names
    restarted = Sandbox.launch(state_file=tmp_path / "org.json")
    try:
        names = {g["profile"]["name"] for g in restarted.snapshot()["groups"].values()}
        assert "P" in names  # the state survives a restart
    finally:
        restarted.stop()


def test_cli_serve_prints_url_and_token_and_refuses_bad_input(tmp_path: Path) -> None:
    state = tmp_path / "cli.json"
    command = [
        sys.executable,
        "-m",
        "okta_sandbox",
        "serve",
        "--state",
        str(state),
        "--seed",
        "empty",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url_line, token_line = process.stdout.readline(), process.stdout.readline()
        assert url_line.startswith("Okta sandbox org: http://127.0.0.1:")
        org_url, token = url_line.split(": ", 1)[1].strip(), token_line.split(": ", 1)[1].strip()
        users = requests.get(
            f"{org_url}/api/v1/users", timeout=10, headers={"Authorization": f"SSWS {token}"}
        ).json()
        assert [u["profile"]["login"] for u in users] == ["admin@example.com"]
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
        process.stdout.close()  # type: ignore[union-attr]
    bad_fault = subprocess.run(
        [*command, "--fault", "explode"], capture_output=True, text=True, timeout=30
    )
    assert bad_fault.returncode == 2 and "invalid fault spec" in bad_fault.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    bad_state = subprocess.run(
        [sys.executable, "-m", "okta_sandbox", "serve", "--state", str(broken)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert bad_state.returncode == 2 and "broken.json" in bad_state.stderr


def test_empty_seed_is_what_okta_creates() -> None:
    state = seeds.build("empty")
    assert {z["name"] for z in state["zones"].values()} == {
        "LegacyIpZone",
        "BlockedIpZone",
        "DefaultExemptIpZone",
        "DefaultEnhancedDynamicZone",
    }
    assert {g["profile"]["name"] for g in state["groups"].values()} == {
        "Everyone",
        "Okta Administrators",
    }
    assert {p["name"] for p in state["policies"].values()} == {
        "Default Policy",
        "Okta Admin Console",
        "Okta Dashboard",
        "Any two factors",
        "Password only",
        "One factor access",
    }
    assert {a["name"] for a in state["apps"].values()} == {"saasure", "okta_enduser"}
    assert state["logs"] == []


def test_large_seed_sizes() -> None:
    state = seeds.build("large")
    assert len(state["zones"]) == 94  # 90 + the 4 system zones
    bench = [p for p in state["policies"].values() if p["name"].startswith("bench-policy")]
    assert len(bench) == 60
    assert all(len(state["rules"][p["id"]]) == 20 for p in bench)
    assert sum(u["profile"]["login"].startswith("user") for u in state["users"].values()) == 5000
    assert len(state["logs"]) == 100_000
    published = [e["published"] for e in state["logs"]]
    assert published == sorted(published)
    sign_ins = [
        e
        for e in state["logs"]
        if e["eventType"] == "user.session.start" and e["outcome"]["result"] == "SUCCESS"
    ]
    sessions = {e["authenticationContext"]["externalSessionId"] for e in sign_ins}
    assert len(sessions) == len(sign_ins) > 10_000
    zones = {e["client"]["zone"] for e in state["logs"]}
    assert "null" in zones and any(z.startswith("bench-zone-") for z in zones)
    ips_by_session: dict[str, set[str]] = {}
    for event in state["logs"]:
        if event["eventType"] == "user.session.access_admin_app":
            session = event["authenticationContext"]["externalSessionId"]
            ips_by_session.setdefault(session, set()).add(event["client"]["ipAddress"])
    # the IOC detection looks for: one admin session used from two places
    assert any(len(ips) > 1 for ips in ips_by_session.values())


def test_the_system_log_lives_beside_the_state_file(tmp_path: Path) -> None:
    state_file = tmp_path / "org.json"
    log_file = tmp_path / "org.json.logs.jsonl"
    first = Store(seeds.build("default"), state_file)
    second = Store(None, state_file)  # another process on the same org
    seeded = log_file.read_bytes()
    assert "logs" not in json.loads(state_file.read_text(encoding="utf-8"))
    with first.transaction(write=True) as org:
        org["groups"]["00gX"] = {"id": "00gX"}
        org["logs"].append({"eventType": "group.lifecycle.create", "published": "z"})
    assert log_file.read_bytes().startswith(seeded)  # appended, not rewritten
    with second.transaction(write=True) as org:
        assert "00gX" in org["groups"] and org["logs"][-1]["eventType"] == "group.lifecycle.create"
        org["logs"].append({"eventType": "zone.create", "published": "zz"})
    with first.transaction(write=False) as org:
        assert [e["eventType"] for e in org["logs"][-2:]] == [
            "group.lifecycle.create",
            "zone.create",
        ]
    restarted = Store(None, state_file)
    assert len(restarted.snapshot()["logs"]) == len(seeded.splitlines()) + 2


def test_a_failed_write_leaves_neither_state_nor_log_changed(tmp_path: Path) -> None:
    store = Store(seeds.build("empty"), tmp_path / "org.json")
    with pytest.raises(RuntimeError), store.transaction(write=True) as org:
        org["zones"].clear()
        org["logs"].append({"eventType": "zone.delete"})
        raise RuntimeError("handler failed")
    snapshot = store.snapshot()
    assert len(snapshot["zones"]) == 4 and snapshot["logs"] == []
    assert (tmp_path / "org.json.logs.jsonl").read_bytes() == b""


def test_a_version_1_state_file_is_migrated(tmp_path: Path) -> None:
    old = seeds.build("default")
    old["version"] = 1  # the log was part of the document
    (tmp_path / "org.json").write_text(json.dumps(old), encoding="utf-8")
    migrated = Store(None, tmp_path / "org.json").snapshot()
    assert migrated["logs"] == old["logs"] and migrated["version"] == 2
    document = json.loads((tmp_path / "org.json").read_text(encoding="utf-8"))
    assert "logs" not in document
    lines = (tmp_path / "org.json.logs.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(old["logs"])


def test_the_serve_command_offers_every_seed() -> None:
    from okta_sandbox import cli

    assert cli.SEED_NAMES == seeds.SEEDS
