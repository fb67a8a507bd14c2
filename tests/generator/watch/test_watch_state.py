"""The state file: atomic, versioned, tied to one org, one process at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.watch.state import StateError, WatchState, load_state, locked, save_state


def test_round_trip_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert load_state(path, "https://acme.okta.com") is None
    state = WatchState(
        org="https://acme.okta.com", next_url="https://acme.okta.com/api/v1/logs?after=1_2"
    )
    state.pending.append({"id": "EGW-1"})
    save_state(path, state)
    loaded = load_state(path, "https://acme.okta.com")
    assert (
        loaded is not None
        and loaded.next_url == state.next_url
        and loaded.pending == [{"id": "EGW-1"}]
    )
    assert not list(tmp_path.glob(".state.json.*.tmp"))  # written through a renamed temp file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"version": 99}', "not a watch state file"),
        ('{"version": 1, "org": "https://other.okta.com"}', "follows https://other.okta.com"),
    ],
)
def test_unusable_state_files_are_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StateError, match=message):
        load_state(path, "https://acme.okta.com")


def test_one_watch_per_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    with locked(path), pytest.raises(StateError, match="another egress-guard watch"), locked(path):
        pass
    with locked(path):  # released
        pass


def test_unwritable_state_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.mkdir()  # a directory stands where the file should go
    with pytest.raises(StateError, match="cannot write the watch state"):
        save_state(path, WatchState(org="o", next_url="x"))
    with pytest.raises(StateError, match="cannot read the watch state"):
        load_state(path, "o")
