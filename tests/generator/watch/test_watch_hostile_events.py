"""Hostile or malformed System Log events never crash the watch: any member of a real event
(the shared labelled samples) replaced by a value of another type, null, a huge number or a
long hostile string still gives a classification, never an exception (a crash would stop the
watch and drop every alert after it)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import SHARED_OKTA

from generator.watch.detection import TrustedRanges, WatchContext
from generator.watch.evaluate import RFC1918, classify, read_records

RECORDS = read_records(SHARED_OKTA / "syslog-samples" / "dev.jsonl")
CONTEXT = WatchContext(trusted=TrustedRanges.of(RFC1918, "samples README: RFC 1918"))
ODD_VALUES = st.sampled_from(
    [
        None,
        "",
        0,
        -1,
        10**30,
        1e308,
        True,
        [],
        {},
        [None],
        {"": None},
        "x" * 5000,
        "‮<img src=x>@all\x00\n",
        "1.2.3.4.5",
        "not-a-date",
        "9999-99-99T99:99:99Z",
    ]
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def _replace(event: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        event = event[step]
    event[path[-1]] = value


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_mutated_real_event_is_classified_never_crashes(data: st.DataObject) -> None:
    record = copy.deepcopy(data.draw(st.sampled_from(RECORDS)))
    events = record["events"] if record["kind"] == "sequence" else [record["event"]]
    for _ in range(data.draw(st.integers(1, 4))):
        event = data.draw(st.sampled_from(events))
        path = data.draw(st.sampled_from(_paths(event)))
        _replace(event, path, copy.deepcopy(data.draw(ODD_VALUES)))
    assert classify(record, CONTEXT)


@given(st.sampled_from(RECORDS), ODD_VALUES)
@settings(max_examples=100, deadline=None)
def test_an_event_that_is_not_an_object_is_classified(record: Any, odd: Any) -> None:
    events = [copy.deepcopy(odd)]
    events += record["events"] if record["kind"] == "sequence" else [record["event"]]
    assert classify({"kind": "sequence", "events": events, "labels": []}, CONTEXT)
