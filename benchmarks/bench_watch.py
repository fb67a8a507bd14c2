"""Benchmark: every watch detection over 1,000,000 generated System Log events.

The events are what an org's log looks like (Okta's LogEvent shape, explicit nulls included):
sign-ins as sessions (push sent, push approved, sign-on policy evaluation, session start, SSO),
admins opening the Admin Console from trusted egress, failed sign-ins, denied pushes, policy and
zone changes, and now and then an attack (a session replayed from elsewhere, the Admin Console
from an untrusted address, a burst of failures). Three events a second of log time: a million
events span four days, four times the 24-hour session window, so the state reaches its bound
after the first day and must stay there (it is trimmed every 10,000 events).

Events are generated in chunks of 10,000 (so the generator's memory is bounded too) and only
`Engine.process` is timed. Targets: at least 50,000 events/s, and memory bounded by the replay
window, not by the event count: the process's peak RSS after 250,000 events and after 1,000,000
differ by less than 64 MB, and the engine's state (sessions, counters, seen uuids) stays within
the window's worth of sessions. A second pass measures `tracemalloc`'s peak for 100,000 and
300,000 events with a one-hour session window (traced runs are slow, so they are shorter; both
fill their window many times over): the peak must not grow with the count (ratio under 1.5).
Prints one JSON object; exit 1 when a target is missed.

The rate target is judged on the CPU time of the timed loop (`events_per_cpu_second`: the
detections are single-threaded, so on an idle core it equals the wall-clock rate);
`events_per_second` (wall clock) and the load average are printed beside it, because a machine
shared with other work stretches the wall-clock time, not the CPU time (as bench_ipsets does).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.watch.detection import TrustedRanges, WatchContext
from generator.watch.detections.session_replay import SessionReplay
from generator.watch.engine import Engine, build_detections

COUNT = 1_000_000
CHUNK = 10_000
TARGET_RATE = 50_000
RSS_GROWTH_LIMIT_MB = 64
TRACED_RATIO_LIMIT = 1.5
START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
STEP_MS = 350  # about 3 events a second: a million events span four days of log
TRUSTED = ("163.116.128.0/17", "198.51.100.0/24")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
SCRIPT = "python-requests/2.32.3"
CONSOLE = {
    "id": "0oaconsole",
    "type": "AppInstance",
    "alternateId": "Okta Admin Console",
    "displayName": "Okta Admin Console",
    "detailEntry": None,
}


def _iso(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def _template(event_type: str, result: str | None, targets: list[Any] | None) -> dict[str, Any]:
    return {
        "uuid": "",
        "published": "",
        "eventType": event_type,
        "version": "0",
        "severity": "INFO",
        "displayMessage": event_type,
        "legacyEventType": None,
        "actor": {},
        "client": {},
        "authenticationContext": {},
        "outcome": None if result is None else {"result": result, "reason": None},
        "securityContext": {
            "asNumber": None,
            "asOrg": None,
            "isp": None,
            "domain": None,
            "isProxy": None,
        },
        "debugContext": {"debugData": {"requestId": "r", "threatSuspected": "false"}},
        "transaction": {"type": "WEB", "id": "t", "detail": None},
        "request": {"ipChain": []},
        "target": targets,
    }


SIGN_IN = [
    _template("system.push.send_factor_verify_push", "SUCCESS", None),
    _template("user.authentication.auth_via_mfa", "SUCCESS", None),
    _template("policy.evaluate_sign_on", "ALLOW", [CONSOLE]),
    _template("user.session.start", "SUCCESS", None),
    _template("user.authentication.sso", "SUCCESS", [CONSOLE]),
    _template("user.session.access_admin_app", "SUCCESS", [CONSOLE]),
]
FAILED = _template("user.session.start", "FAILURE", None)
DENIED = _template("user.authentication.auth_via_mfa", "FAILURE", None)
RULE = {"id": "0pr1", "type": "PolicyRule", "alternateId": "r", "displayName": "Dashboard rule"}
CHANGE = _template("policy.rule.update", "SUCCESS", [RULE])
THREAT = _template("security.threat.detected", "DENY", None)


def events(count: int) -> Iterator[list[dict[str, Any]]]:
    """`count` events in chunks: sessions of 6 events, and the occasional oddity."""
    produced, session, moment = 0, 0, START_MS
    actors = [
        {"id": f"00u{n:05d}", "type": "User", "alternateId": f"user{n}@example.com",
         "displayName": f"User {n}", "detailEntry": None}
        for n in range(5000)
    ]  # fmt: skip
    clients: dict[tuple[str, str], dict[str, Any]] = {}

    def client(ip: str, agent: str) -> dict[str, Any]:
        key = (ip, agent)
        if key not in clients:
            clients[key] = {
                "ipAddress": ip,
                "userAgent": {"rawUserAgent": agent, "os": "Linux", "browser": "FIREFOX"},
                "zone": "null",
                "device": "Computer",
                "id": None,
            }
        return clients[key]

    chunk: list[dict[str, Any]] = []
    while produced < count:
        session += 1
        actor = actors[session % len(actors)]
        sid = f"idx{session:022d}"
        home = f"163.116.{130 + session % 20}.{session % 250 + 1}"
        context = {"externalSessionId": sid, "rootSessionId": sid, "authenticationStep": 0}
        kind = session % 100
        if kind < 5:
            steps: list[tuple[dict[str, Any], str, str, dict[str, Any]]]
            steps = [(FAILED, home, BROWSER, {"externalSessionId": "unknown"})]
        elif kind < 7:
            steps = [(DENIED, home, BROWSER, {"externalSessionId": "unknown"})]
        elif kind == 7:
            steps = [(THREAT, "192.0.2.9", SCRIPT, {"externalSessionId": "unknown"})]
        else:
            steps = [(t, home, BROWSER, context) for t in SIGN_IN]
            if kind == 8:
                steps.append((SIGN_IN[5], "192.0.2.66", SCRIPT, context))  # the replay
            elif kind == 9:
                steps.append((CHANGE, home, BROWSER, context))
            elif kind == 10:
                steps[2] = (SIGN_IN[2], "203.0.113.151", BROWSER, context)  # untrusted console
        for template, ip, agent, auth in steps:
            moment += STEP_MS
            produced += 1
            event = template.copy()
            event["uuid"] = f"{produced:08x}-0000-4000-a000-000000000000"
            event["published"] = _iso(moment)
            event["actor"] = actor
            event["client"] = client(ip, agent)
            event["authenticationContext"] = auth
            chunk.append(event)
            if len(chunk) == CHUNK or produced == count:
                yield chunk
                chunk = []
            if produced == count:
                return


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def run(
    count: int, checkpoints: tuple[int, ...] = (), parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    context = WatchContext(trusted=TrustedRanges.of(TRUSTED, "bench"))
    engine = Engine(build_detections(context, parameters=parameters), min_severity="low")
    replay = next(d for d in engine.detections if isinstance(d, SessionReplay))
    seconds, cpu, alerts, done = 0.0, 0.0, 0, 0
    marks: dict[str, Any] = {}
    for chunk in events(count):
        started, started_cpu = time.perf_counter(), time.process_time()
        for event in chunk:
            alerts += len(engine.process(event))
        seconds += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
        done += len(chunk)
        if done in checkpoints:
            marks[str(done)] = {
                "peak_rss_mb": round(rss_mb(), 1),
                "sessions_remembered": len(replay.sessions),
                "uuids_remembered": len(engine.seen.uuids),
            }
    return {
        "events": done,
        "alerts": alerts,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "events_per_second": round(done / seconds),
        "events_per_cpu_second": round(done / cpu),
        "checkpoints": marks,
    }


def traced_peak(count: int) -> float:
    gc.collect()
    tracemalloc.start()
    run(count, parameters={"SES-001": {"window_minutes": 60}})
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def main() -> int:
    cpu = time.process_time()
    full = run(COUNT, checkpoints=(250_000, 500_000, 1_000_000))
    early, late = full["checkpoints"]["250000"], full["checkpoints"]["1000000"]
    growth = late["peak_rss_mb"] - early["peak_rss_mb"]
    small, large = traced_peak(100_000), traced_peak(300_000)
    window_sessions = 24 * 60 * 60 * 1000 // (STEP_MS * 6)  # sessions in the 24 h window
    result = {
        "benchmark": "watch detections over generated System Log events",
        **full,
        "process_cpu_seconds": round(time.process_time() - cpu, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "rss_growth_250k_to_1m_mb": round(growth, 1),
        "tracemalloc_peak_mb": {"100000": small, "300000": large},
        "targets": {
            "events_per_second": TARGET_RATE,
            "rss_growth_mb_below": RSS_GROWTH_LIMIT_MB,
            "tracemalloc_ratio_below": TRACED_RATIO_LIMIT,
            "sessions_at_most": window_sessions,
        },
    }
    result["pass"] = {
        "rate": full["events_per_cpu_second"] >= TARGET_RATE,
        "rss_bounded": growth < RSS_GROWTH_LIMIT_MB,
        "traced_bounded": large / max(small, 0.1) < TRACED_RATIO_LIMIT,
        "state_bounded": late["sessions_remembered"] <= window_sessions,
    }
    print(json.dumps(result, indent=2))
    return 0 if all(result["pass"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
