"""The sandbox's filter/search expressions: or-chains of `eq` (how clients look users up by id,
read as one set lookup) mean exactly what the chain says."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okta_sandbox.core.errors import OktaError
from okta_sandbox.core.filters import compile_filter, select, wanted_ids

USERS: list[dict[str, Any]] = [
    {"id": "u1", "status": "ACTIVE", "profile": {"login": "a@x", "tags": ["red", "blue"]}},
    {"id": "u2", "status": "SUSPENDED", "profile": {"login": "b@x", "tags": []}},
    {"id": "u3", "status": "ACTIVE", "profile": {"login": "c@x", "tags": ["blue"]}, "n": 3},
    {"id": "3", "status": "ACTIVE", "profile": {"login": "d@x"}},
]


def ids(expression: str) -> list[str]:
    return [item["id"] for item in select(USERS, expression)]


def test_or_chain_of_ids_selects_each_named_item_in_order() -> None:
    assert ids('id eq "u3" or id eq "u1" or id eq "nope"') == ["u1", "u3"]


def test_or_chain_over_a_list_attribute_matches_any_element() -> None:
    assert ids('profile.tags eq "red" or profile.tags eq "green"') == ["u1"]


def test_eq_compares_types_a_string_never_equals_a_number() -> None:
    assert ids('n eq "3" or id eq "3"') == ["3"]
    assert ids("n eq 3 or id eq 3") == ["u3"]


def test_mixed_chains_keep_precedence_and_binds_tighter_than_or() -> None:
    assert ids('id eq "u2" or status eq "ACTIVE" and profile.login sw "c"') == ["u2", "u3"]
    assert ids('(id eq "u2" or id eq "u3") and status eq "ACTIVE"') == ["u3"]
    assert ids('id eq "u1" or id eq "u2" and status eq "ACTIVE"') == ["u1"]


def test_unknown_fields_are_still_refused_in_a_long_chain() -> None:
    with pytest.raises(OktaError):
        compile_filter('id eq "u1" or secret eq "x"', fields={"id"})


def test_only_an_id_chain_names_the_ids_to_look_up() -> None:
    assert wanted_ids('id eq "u1" or id eq "u3"') == {"u1", "u3"}
    assert wanted_ids('id eq "u2"') == {"u2"}
    assert wanted_ids('id eq "u1" or status eq "ACTIVE"') is None
    assert wanted_ids('id eq "u1" and status eq "ACTIVE"') is None
    assert wanted_ids('profile.login eq "a@x"') is None
    assert wanted_ids(None) is None and wanted_ids("") is None


def test_a_user_search_by_ids_answers_as_a_scan_would(okta: Any) -> None:
    users = okta.get("/api/v1/users", params={"limit": 200}).json()
    chosen = [users[2]["id"], users[0]["id"], "00uNOBODY"]
    expression = " or ".join(f'id eq "{user_id}"' for user_id in chosen)
    found = okta.get("/api/v1/users", params={"search": expression}).json()
    assert [u["id"] for u in found] == sorted([users[0]["id"], users[2]["id"]])


values = st.sampled_from(["u1", "u2", "u3", "3", "ACTIVE", "red", "blue", "a@x", "zz"])
attributes = st.sampled_from(["id", "status", "profile.login", "profile.tags"])


@given(st.lists(st.tuples(attributes, values), min_size=1, max_size=25))
def test_an_or_chain_selects_what_its_terms_select(terms: list[tuple[str, str]]) -> None:
    expression = " or ".join(f'{attribute} eq "{value}"' for attribute, value in terms)
    expected = [
        item["id"]
        for item in USERS
        if any(select([item], f'{attribute} eq "{value}"') for attribute, value in terms)
    ]
    assert ids(expression) == expected
