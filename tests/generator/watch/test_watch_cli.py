"""`egress-guard watch` end to end against the sandbox's `attacks` org: every detection, exit
codes, the state file (resume without misses or repeats, the outbox), partial reads, formats,
usage errors, --input, and --follow stopped by a signal."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from drift_support import use_org
from markdown_it import MarkdownIt
from paths import REPO, SHARED_OKTA
from watch_support import CONFIG

from generator.cli import main
from generator.commands import watch as watch_command
from generator.okta.client import RetryPolicy
from okta_sandbox import Sandbox
from okta_sandbox.core.session import OrgSession

MD = MarkdownIt("commonmark").enable("table")
EVERY_PLANTED = {
    "ADM-001",
    "SES-001",
    "SES-002",
    "MFA-001",
    "MFA-002",
    "USR-001",
    "USR-002",
    "PRV-001",
    "PRV-002",
    "TOK-001",
    "TOK-002",
    "POL-001",
    "BRK-001",
    "SUS-001",
    "BF-001",
    "BF-002",
}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "egress-policy.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = RetryPolicy(max_attempts=2, backoff_base=0.0, max_rate_limit_waits=1)
    monkeypatch.setattr(watch_command, "CLIENT_OPTIONS", {"retry": fast, "sleep": lambda _: None})


@pytest.fixture
def attacks(sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    sandbox: Sandbox = sandbox_factory(seed="attacks")
    use_org(monkeypatch, sandbox)
    yield sandbox


def watch(config: Path, *extra: str) -> int:
    return main(["watch", "--config", str(config), *extra])


def report_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_every_planted_attack_is_detected(attacks: Sandbox, config: Path, tmp_path: Path) -> None:
    out = tmp_path / "watch.json"
    assert watch(config, "--since", "3h", "--format", "json", "--output", str(out)) == 2
    report = report_of(out)
    assert report["complete"] is True and report["events"] > 50
    assert {a["detection"] for a in report["alerts"]} >= EVERY_PLANTED
    replay = next(a for a in report["alerts"] if a["detection"] == "SES-001")
    assert replay["severity"] == "critical" and replay["client_ip"] == "192.0.2.201"
    assert {r["action"] for r in replay["responses"]} == {"clear_sessions", "suspend_user"}
    assert all(a["severity"] != "info" for a in report["alerts"])  # default floor: low


def test_nothing_found_exits_0_and_errors_exit_1(
    sandbox: Sandbox, config: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    use_org(monkeypatch, sandbox)
    assert watch(config, "--since", "20m") == 0  # the default seed's history ends an hour ago
    assert "0 alert(s)" in capsys.readouterr().out
    monkeypatch.setenv("OKTA_API_TOKEN", "00-not-a-token")
    assert watch(config, "--since", "20m") == 1
    assert "E0000011" in capsys.readouterr().err


def test_state_resumes_without_misses_or_repeats(
    attacks: Sandbox, config: Path, tmp_path: Path
) -> None:
    state, out = tmp_path / "state.json", tmp_path / "run.json"
    args = ("--state", str(state), "--since", "3h", "--format", "json", "--output", str(out))
    assert watch(config, *args) == 2
    first = report_of(out)
    assert watch(config, *args) == 0  # nothing new: no event read twice, no alert repeated
    assert report_of(out)["alerts"] == [] and "--since is ignored" in " ".join(
        report_of(out)["notes"]
    )
    okta = OrgSession(attacks.org_url, attacks.api_token)
    created = okta.post(
        "/api/v1/users",
        json={
            "profile": {
                "login": "mallory@example.com",
                "email": "mallory@example.com",
                "firstName": "Mallory",
                "lastName": "M",
            }
        },
    )
    assert created.status_code == 200
    assert watch(config, *args) == 2
    later = report_of(out)
    assert {a["detection"] for a in later["alerts"]} == {"USR-001", "USR-002"}
    assert later["events"] == 2  # exactly the two new events
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["pending"] == [] and saved["next_url"].startswith(attacks.org_url)
    assert {a["id"] for a in saved["recent"]} >= {a["id"] for a in first["alerts"]}


def test_a_stored_cursor_okta_refuses_restarts_from_the_last_event(
    attacks: Sandbox, config: Path, tmp_path: Path
) -> None:
    state, out = tmp_path / "state.json", tmp_path / "run.json"
    args = ("--state", str(state), "--format", "json", "--output", str(out))
    assert watch(config, "--since", "3h", *args) == 2
    saved = json.loads(state.read_text(encoding="utf-8"))
    saved["next_url"] = saved["next_url"].replace("after=", "after=garbage")
    state.write_text(json.dumps(saved), encoding="utf-8")
    assert watch(config, *args) == 0  # re-read from just before the last event; all seen
    assert any("refused the stored cursor" in n for n in report_of(out)["notes"])


def test_a_partial_read_is_an_error_that_still_reports(
    attacks: Sandbox, config: Path, tmp_path: Path
) -> None:
    out, state = tmp_path / "run.json", tmp_path / "state.json"
    attacks.add_fault("repeat-cursor@/api/v1/logs")  # page 2's next link repeats page 2
    code = watch(
        config, "--since", "7d", "--state", str(state), "--format", "json", "--output", str(out)
    )
    assert code == 1
    report = report_of(out)
    assert report["complete"] is False and "repeats the page" in report["error"]
    assert report["events"] >= 1000  # the pages read were processed and are reported
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["events"] == report["events"]  # the cursor stands after the processed pages


def test_persistent_server_errors_exit_1(attacks: Sandbox, config: Path, capsys: Any) -> None:
    attacks.add_fault("503@/api/v1/logs")
    assert watch(config, "--since", "1h") == 1
    captured = capsys.readouterr()
    assert "INCOMPLETE" in captured.out and "503" in captured.err


class _FrozenClock(datetime):
    """The watch command's clock stopped at the first reading: runs of the same org in each
    format report the same times (the role-holding groups' read time is in the evidence)."""

    frozen: datetime | None = None

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _FrozenClock:
        if cls.frozen is None:
            cls.frozen = datetime.now(tz)
        return cls.fromtimestamp(cls.frozen.timestamp(), tz)


def test_formats(
    attacks: Sandbox, config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    okta = OrgSession(attacks.org_url, attacks.api_token)
    hostile = "</details><img src=x> @security-team [x](https://evil.example) | #12"
    group = okta.post("/api/v1/groups", json={"profile": {"name": hostile}}).json()
    okta.post(f"/api/v1/groups/{group['id']}/roles", json={"type": "SUPER_ADMIN"})
    monkeypatch.setattr(_FrozenClock, "frozen", None)
    monkeypatch.setattr(watch_command, "datetime", _FrozenClock)
    outputs = {}
    for name in ("text", "json", "ndjson", "sarif", "markdown"):
        outputs[name] = tmp_path / f"watch.{name}"
        args = ("--since", "3h", "--format", name, "--output", str(outputs[name]))
        assert watch(config, *args) == 2
    alerts = [json.loads(line) for line in outputs["ndjson"].read_text().splitlines()]
    assert alerts == report_of(outputs["json"])["alerts"]
    sarif = report_of(outputs["sarif"])
    run = sarif["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= EVERY_PLANTED
    assert len(run["results"]) == len(alerts)
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    markdown = outputs["markdown"].read_text()
    assert "Admin privileges granted to" in markdown
    tokens = MD.parse(markdown)
    kinds = {c.type for t in tokens for c in t.children or []} | {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "link_open", "image"}
    assert "\\</details>\\<img src=x> @&#8203;security-team" in markdown
    row_widths, width = [], 0
    for token in tokens:
        if token.type == "tr_open":
            width = 0
        elif token.type in ("td_open", "th_open"):
            width += 1
        elif token.type == "tr_close":
            row_widths.append(width)
    assert row_widths and set(row_widths) == {2}  # no value added a table cell
    text = outputs["text"].read_text()
    assert "\x1b" not in text and "egress-guard respond EGW-" in text
    rendered = tmp_path / "again.md"
    assert (
        main(
            [
                "report",
                "watch",
                "--report",
                str(outputs["json"]),
                "--format",
                "markdown",
                "--output",
                str(rendered),
            ]
        )
        == 0
    )
    # the same alerts, without reading the log again; each run above read the role-holding
    # groups afresh, so only the time of that read may differ
    assert _without_read_times(rendered.read_text()) == _without_read_times(markdown)


def _without_read_times(report: str) -> str:
    return re.sub(r"read \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "read <time>", report)


@pytest.mark.parametrize(
    "extra",
    [
        ["--follow", "--until", "1h"],
        ["--follow", "--format", "json"],
        ["--state", "s.json", "--until", "1h"],
        ["--detections", "NOPE-001"],
        ["--since", "yesterday-ish"],
        ["--since", "200d"],
        ["--format", "yaml"],
    ],
)
def test_usage_and_input_errors_exit_1(config: Path, extra: list[str], capsys: Any) -> None:
    try:
        code = watch(config, *extra)
    except SystemExit as exit_:  # argparse's own usage errors (exit 1 here: 2 means alerts)
        code = int(exit_.code or 0)
    assert code == 1
    assert capsys.readouterr().err


def test_config_errors_exit_1(tmp_path: Path, capsys: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CONFIG + "watch: {parameters: {BF-001: {failures_per_user: 0}}}\n")
    assert main(["watch", "--config", str(bad), "--input", str(bad)]) == 1
    assert "watch.parameters.BF-001.failures_per_user" in capsys.readouterr().err
    assert main(["watch", "--since", "1h"]) == 1
    assert main(["watch", "--config", str(tmp_path / "missing.yaml")]) == 1


def test_input_file_of_exported_events(config: Path, tmp_path: Path) -> None:
    records = [
        json.loads(line)
        for line in (SHARED_OKTA / "syslog-samples" / "dev.jsonl").read_text().splitlines()
    ]
    exported = tmp_path / "export.ndjson"
    exported.write_text(
        "".join(json.dumps(r["event"]) + "\n" for r in records if r["kind"] == "event")
    )
    out = tmp_path / "out.json"
    assert watch(config, "--input", str(exported), "--format", "json", "--output", str(out)) == 2
    report = report_of(out)
    assert {a["category"] for a in report["alerts"]} >= {"privilege_granted", "mfa_weakened"}
    # public samples reuse uuids: events already seen are skipped, and counted
    assert report["events"] + report["duplicates"] == 24
    broken = tmp_path / "broken.ndjson"
    broken.write_text('{"eventType": "x"}\nnot json\n')
    assert watch(config, "--input", str(broken)) == 1


def test_list_detections(capsys: Any) -> None:
    assert main(["watch", "--list-detections"]) == 0
    listed = capsys.readouterr().out
    assert all(detection in listed for detection in EVERY_PLANTED | {"MFA-003"})


def test_follow_streams_and_stops_on_sigterm(
    attacks: Sandbox, config: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    env = {
        "PATH": "/usr/bin:/bin",
        "OKTA_ORG_URL": attacks.org_url,
        "OKTA_API_TOKEN": attacks.api_token,
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "generator", "watch", "--config", str(config), "--since", "3h"]
    command += ["--follow", "--poll-seconds", "1", "--format", "ndjson", "--state", str(state)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    first = json.loads(process.stdout.readline())  # alerts stream as they are found
    assert first["id"].startswith("EGW-")
    deadline = time.monotonic() + 30
    while not state.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2, err
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["events"] > 50 and saved["pending"] == []


def test_an_interrupted_delivery_is_made_on_the_next_run(
    attacks: Sandbox,
    config: Path,
    tmp_path: Path,
    httpserver: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from werkzeug import Response as WerkzeugResponse

    from generator.watch.sinks import webhook

    monkeypatch.setattr(webhook, "BACKOFF", 0.0)
    monkeypatch.setenv("EGRESS_GUARD_WEBHOOK_URL", httpserver.url_for("/hook"))
    received: list[dict[str, Any]] = []
    status = {"code": 503}

    def hook(request: Any) -> Any:
        received.append(request.get_json())
        return WerkzeugResponse("", status=status["code"])

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    state, out = tmp_path / "state.json", tmp_path / "run.json"
    args = (
        "--since",
        "3h",
        "--state",
        str(state),
        "--webhook",
        "--format",
        "json",
        "--output",
        str(out),
    )
    assert watch(config, *args) == 1  # the webhook stayed down: an error
    first = report_of(out)
    assert "not delivered after 5 attempts" in first["error"] and first["alerts"]
    pending = json.loads(state.read_text(encoding="utf-8"))["pending"]
    assert {a["id"] for a in pending} == {a["id"] for a in first["alerts"]}
    status["code"] = 200
    received.clear()
    assert watch(config, *args) == 2  # delivered now, without reading an event twice
    second = report_of(out)
    assert second["events"] == 0 and second["complete"] is True
    assert len(received) == 1 and any(a["id"] in received[0]["text"] for a in first["alerts"])
    assert json.loads(state.read_text(encoding="utf-8"))["pending"] == []
