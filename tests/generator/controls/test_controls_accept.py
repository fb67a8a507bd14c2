"""A control result's status from its evidence, and accepting failures with the ignore file."""

from __future__ import annotations

from generator.controls.accept import accept_controls
from generator.controls.base import ControlCheck, ControlResult, Evidence
from generator.controls.context import ControlContext
from generator.drift.ignore import IgnoreRule


class Sample(ControlCheck):
    check_id = "sample"
    title = "a sample control"
    severity = "medium"
    fix = "fix it"

    def evaluate(self, context: ControlContext) -> ControlResult:
        raise AssertionError("not called")


CHECK = Sample()
TOKEN_A = Evidence("API token 'a'", "fail", "anywhere", "00Ta")
TOKEN_B = Evidence("API token 'b'", "fail", "anywhere", "00Tb")
PASSING = Evidence("API token 'c'", "pass", "zones", "00Tc")


def test_status_follows_the_evidence() -> None:
    assert CHECK.result([PASSING]).status == "pass"
    assert CHECK.result([]).status == "pass"  # nothing to judge (e.g. no API tokens)
    assert CHECK.result([PASSING, TOKEN_A]).status == "fail"
    partly = CHECK.result([PASSING, Evidence("x", "unknown", "not readable")])
    assert partly.status == "unknown" and partly.reason
    assert CHECK.unknown("no API").status == "unknown"
    # a failure outweighs what could not be judged
    assert CHECK.result([TOKEN_A, Evidence("x", "unknown", "?")]).status == "fail"


def test_failures_are_accepted_per_object_or_per_check() -> None:
    result = CHECK.result([TOKEN_A, TOKEN_B, PASSING])
    one = IgnoreRule("control:sample", ("API token 'a'*",), "moves to OAuth")
    [partly] = accept_controls([result], [one])
    assert [e.accepted for e in partly.evidence] == ["moves to OAuth", None, None]
    assert partly.status == "fail" and not partly.accepted and partly.is_drift
    [whole] = accept_controls([result], [IgnoreRule("control:sa*", (), "")])
    assert whole.accepted and not whole.is_drift
    assert {e.accepted for e in whole.evidence if e.status == "fail"} == {
        "accepted by the ignore file"
    }


def test_only_control_patterns_accept_controls() -> None:
    result = CHECK.result([TOKEN_A])
    for pattern in ("*", "sample", "posture:*", "zone:*"):
        [kept] = accept_controls([result], [IgnoreRule(pattern)])
        assert kept.is_drift, pattern
