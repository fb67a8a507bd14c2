"""Hypothesis strategies shared by the simulator's property and oracle tests: rule conditions
over a given set of zone ids, group names and user ids."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from generator.simulate.policyset import NetworkCondition, PeopleCondition


def network_conditions(
    zone_ids: Sequence[str], max_size: int
) -> st.SearchStrategy[NetworkCondition]:
    """Anywhere, or up to `max_size` zones included and excluded (ids drawn from `zone_ids`
    and "unknown", a zone the org does not have)."""
    ids = st.lists(st.sampled_from([*zone_ids, "unknown"]), max_size=max_size, unique=True)
    return st.one_of(
        st.just(NetworkCondition()),
        st.builds(NetworkCondition, st.just("ZONE"), ids.map(tuple), ids.map(tuple)),
    )


def people_conditions(
    groups: Sequence[str], users: Sequence[str], include_users: bool
) -> st.SearchStrategy[PeopleCondition]:
    """Up to two groups included and excluded, at most one user excluded (and included too
    with `include_users`)."""
    names = st.lists(st.sampled_from(groups), max_size=2, unique=True).map(tuple)
    user_ids = st.lists(st.sampled_from(users), max_size=1).map(tuple)
    if include_users:
        return st.builds(
            PeopleCondition,
            groups_include=names,
            groups_exclude=names,
            users_include=user_ids,
            users_exclude=user_ids,
        )
    return st.builds(
        PeopleCondition, groups_include=names, groups_exclude=names, users_exclude=user_ids
    )
