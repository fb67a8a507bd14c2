"""The engine: de-duplication by uuid, the severity floor, detection parameters checked, state
carried across runs (a replay split over two runs is still seen), memory bounded by the window."""

from __future__ import annotations

import json

import pytest
from watch_support import CONTEXT, SCRIPT, engine, event

from generator.errors import InputError
from generator.watch.detections.session_replay import SessionReplay
from generator.watch.engine import Engine, build_detections


def test_an_event_seen_twice_counts_once() -> None:
    runner = engine()
    created = event("user.lifecycle.create")
    assert len(runner.process(created)) == 1
    assert runner.process(dict(created)) == []
    assert (runner.events, runner.duplicates) == (1, 1)


def test_the_severity_floor() -> None:
    failure = event("user.session.start", result="FAILURE")
    assert engine("info").process(failure)
    assert engine("low").process(dict(failure, uuid="other")) == []


@pytest.mark.parametrize(
    ("only", "parameters", "message"),
    [
        (["XYZ-001"], {}, "unknown detection 'XYZ-001'"),
        ([], {"BF-001": {"attempts": 3}}, "BF-001.attempts: unknown parameter"),
        ([], {"BF-001": {"failures_per_user": "five"}}, "'five' is not a int"),
        ([], {"BF-001": {"failures_per_user": True}}, "True is not a int"),
        ([], {"SES-001": {"ignore_moves_within_trusted": 1}}, "1 is not a bool"),
        ([], {"BF-002": {"denials": 0}}, "must be at least 1"),
    ],
)
def test_bad_detection_settings_name_what_is_wrong(
    only: list[str], parameters: dict[str, dict[str, object]], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        build_detections(CONTEXT, only, parameters=parameters)


def test_parameters_change_thresholds() -> None:
    strict = Engine(build_detections(CONTEXT, parameters={"BF-001": {"failures_per_user": 2}}))
    failures = [event("user.session.start", result="FAILURE", minute=m) for m in range(2)]
    assert [a.severity for f in failures for a in strict.process(f)] == ["medium"]


def test_correlation_state_survives_a_restart() -> None:
    first_run = engine()
    first_run.process(event("user.session.start", session="idxCarry"))
    saved = json.loads(json.dumps(first_run.export_state()))  # through the state file's JSON
    second_run = engine()
    second_run.import_state(saved)
    replay = event(
        "user.session.access_admin_app", session="idxCarry", ip="192.0.2.9", agent=SCRIPT, minute=5
    )
    assert "SES-001" in {a.detection for a in second_run.process(replay)}
    assert second_run.process(replay) == []  # and the seen uuids came along


def test_memory_is_bounded_by_the_window_not_the_event_count() -> None:
    runner = engine()
    replay = next(d for d in runner.detections if isinstance(d, SessionReplay))
    for n in range(30_000):  # one new session a minute for three weeks
        runner.process(event("user.session.start", session=f"idx{n}", minute=n))
    runner.expire()
    window = replay.params.window_minutes
    assert len(replay.sessions) <= window + 1
    assert len(runner.seen.uuids) <= runner.seen.window_ms // 60_000 + 1
    stale = runner.export_state()
    assert len(stale["detections"]["SES-001"]) == len(replay.sessions)
