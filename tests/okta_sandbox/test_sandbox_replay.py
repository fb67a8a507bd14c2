"""The emulator against real Okta: the traffic okta/terraform-provider-okta's acceptance tests
recorded against real orgs (../shared/okta/recordings/terraform-provider-okta/, read at run
time, never copied) is replayed request by request against a fresh emulator org, and every
answer is compared with Okta's: status codes, error codes, key sets, nulls vs absent keys,
defaults Okta fills in, priorities after renumbering, what a PUT keeps (`support/replay.py`).

Compared: the API areas the emulator serves (zones, global session and authentication policies
and their rules, apps, groups, users, API tokens, the org). Every difference must be one of the
known ones (`support/replay_known.py`, also in docs/sandbox.md), each with its reason and the
recording that shows it; a known difference that no longer occurs fails too.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from typing import Any

import pytest
from cassettes import Interaction, cassette_paths, load
from paths import REPO
from replay import COMPARED, Outcome, area, compared, replay_compared
from replay_known import KNOWN, explain, markdown_table

from okta_sandbox.spec import exceptions as spec_exceptions


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    """Every cassette with an interaction of a compared area, replayed once for the module."""
    return replay_compared()


def checked(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Outcomes of compared areas that the emulator serves and whose objects did not already
    diverge (a write the emulator refused: then the difference is that write's)."""
    return [o for o in outcomes if compared(o.item) and o.served and not o.cascade]


def unexplained(outcomes: Iterable[Outcome]) -> list[str]:
    return [
        f"{o.item.where} {o.item.endpoint}: {d.kind} {d.field} {d.detail}"
        for o in checked(outcomes)
        for d in o.differences
        if explain(o.item, d) is None
    ]


def test_every_difference_from_real_okta_is_a_known_one(outcomes: list[Outcome]) -> None:
    found = unexplained(outcomes)
    assert not found, f"{len(found)} unexplained differences, e.g.:\n" + "\n".join(found[:25])


def test_every_known_difference_still_occurs(outcomes: list[Outcome]) -> None:
    used = {
        known
        for o in checked(outcomes)
        for d in o.differences
        if (known := explain(o.item, d)) is not None
    }
    stale = [f"{k.family} {k.kind} {k.field} ({k.evidence})" for k in KNOWN if k not in used]
    assert not stale, "known differences that no longer occur:\n" + "\n".join(stale)


def test_known_differences_cite_a_recording_that_shows_them(outcomes: list[Outcome]) -> None:
    by_place = {o.item.where: o for o in outcomes}
    for known in KNOWN:
        shown = by_place.get(known.evidence)
        assert shown is not None, f"{known.evidence}: no such recorded interaction"
        assert any(known.matches(shown.item, d) for d in shown.differences), known.evidence


def test_every_area_is_replayed_at_scale(outcomes: list[Outcome]) -> None:
    counts = collections.Counter(area(o.item) for o in checked(outcomes))
    # the areas egress-guard uses, each with enough real traffic to mean something
    assert all(counts[area] >= 10 for area in COMPARED - {"api-tokens"}), counts
    assert sum(counts.values()) > 2500, counts


def _recorded_writes(outcomes: list[Outcome], method: str, areas: set[str]) -> list[Outcome]:
    return [o for o in checked(outcomes) if o.item.method == method and area(o.item) in areas]


def test_created_objects_get_the_defaults_okta_fills_in(outcomes: list[Outcome]) -> None:
    """Every create of a zone, policy, rule, group or user answers exactly as Okta did (the
    rules' user type, user exclusions, risk score, "keep me signed in" and 12-hour
    re-authentication, a zone ACTIVE whatever the body says, a PROVISIONED user...)."""
    areas = {"zones", "policies.OKTA_SIGN_ON", "policies.ACCESS_POLICY", "rules.SIGN_ON"}
    areas |= {"rules.ACCESS_POLICY", "groups", "users"}
    creates = [
        o for o in _recorded_writes(outcomes, "POST", areas) if "lifecycle" not in o.item.path
    ]
    assert len(creates) > 150
    for outcome in creates:
        assert outcome.emu_status == outcome.item.status, outcome.item.where
        surprises = [d for d in outcome.differences if explain(outcome.item, d) is None]
        assert not surprises, (outcome.item.where, surprises)


def test_replaces_keep_nothing_the_body_leaves_out(outcomes: list[Outcome]) -> None:
    """PUT is a full replace: zones drop proxies left out, rules drop conditions left out."""
    replaces = _recorded_writes(outcomes, "PUT", {"zones", "rules.ACCESS_POLICY", "rules.SIGN_ON"})
    assert len(replaces) > 30
    for outcome in replaces:
        surprises = [d for d in outcome.differences if explain(outcome.item, d) is None]
        assert not surprises, (outcome.item.where, surprises)


@pytest.mark.parametrize(
    "cassette",
    [
        "TestAccResourceOktaAppSignOnPolicyRules_crud/oie-00",  # moves 3->1, 5->2, 6->4
        "TestAccResourceOktaAppSignOnPolicyRules_keep_me_signed_in/oie-00",  # PUT 1 -> 1
        "TestAccResourceOktaAppSignOnPolicyRule_priority_concurrency/oie-00",
        "TestAccResourceOktaAppSignOnPolicyRule_crud/oie-00",  # priority 0 and 98 kept
        "TestAccResourceOktaPolicyRuleSignon_GH2419/oie-00",  # unchanged PUTs move nothing
    ],
)
def test_priorities_are_renumbered_as_okta_does(outcomes: list[Outcome], cassette: str) -> None:
    ruled = [o for o in outcomes if o.item.cassette == cassette and "/rules" in o.item.path]
    priorities = [o for o in ruled if isinstance(o.item.body, dict) and "priority" in o.item.body]
    assert len(priorities) >= 4
    for outcome in ruled:
        wrong = [d for d in outcome.differences if d.field.endswith("priority")]
        assert not wrong, (outcome.item.where, wrong)


def test_error_answers_match_okta(outcomes: list[Outcome]) -> None:
    # Okta's own failures (5xx, retried by the provider) are transient, not an API answer to
    # emulate: they are listed as known differences instead
    errors = [o for o in checked(outcomes) if 400 <= o.item.status < 500]
    assert errors  # e.g. reading a deleted zone: 404 E0000007 "... (NetworkZone)"
    for outcome in errors:
        assert outcome.emu_status == outcome.item.status, outcome.item.where
        assert not outcome.differences, (outcome.item.where, outcome.differences)


def _recorded(evidence: str) -> Interaction:
    cassette, index = evidence.rsplit("#", 1)
    path = next(p for p in cassette_paths() if str(p.with_suffix("")).endswith(cassette))
    return next(item for item in load(path) if item.index == int(index))


@pytest.mark.parametrize(
    "tolerated",
    [t for t in spec_exceptions.TOLERATED if t.evidence],
    ids=lambda t: t.field,
)
def test_spec_tolerations_are_what_real_okta_accepts(
    tolerated: Any, spec_validator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A toleration citing a recording is needed by that recorded exchange (Okta answered 2xx
    to the request, or sent the answer): without it the spec check finds a problem there."""
    item = _recorded(tolerated.evidence)
    assert item.status < 300
    assert spec_validator.template(item.path) in tolerated.paths

    def problems() -> int:
        found = spec_validator.response_problems(
            item.method, item.path, item.status, item.body, {"Content-Type": "application/json"}
        )
        if tolerated.requests and isinstance(item.req_body, dict):
            found += spec_validator.request_problems(item.method, item.path, item.req_body)
        return len(found)

    monkeypatch.setattr(spec_exceptions, "TOLERATED", ())
    strict = problems()
    monkeypatch.setattr(spec_exceptions, "TOLERATED", (tolerated,))
    assert problems() < strict


def test_the_docs_list_the_known_differences() -> None:
    docs = (REPO / "docs" / "sandbox.md").read_text(encoding="utf-8")
    assert markdown_table() in docs, "regenerate the table: replay_known.markdown_table()"
