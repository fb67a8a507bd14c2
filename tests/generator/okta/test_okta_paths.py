"""Ids and logins in request paths (issue #13: a name in the live org is hostile input): each
value is one encoded segment, so an id a rogue admin crafted reads what it names and nothing
else, and a value no Okta id can be is refused before any request."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from drift_support import Admin, make_client, use_org, write_config
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.okta.errors import OktaUnsafeIdError
from generator.okta.lookups import user_by_login
from generator.okta.members import list_members
from generator.okta.paths import api_path, under
from okta_sandbox import Sandbox


@given(st.text(min_size=1).filter(lambda text: text not in (".", "..")))
def test_any_value_is_exactly_one_segment(value: str) -> None:
    path = api_path("policies", value, "rules")
    assert "?" not in path and "#" not in path
    prefix, segment, suffix = path.rsplit("/", 2)
    assert (prefix, suffix) == ("/api/v1/policies", "rules")
    assert unquote(segment) == value


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_a_value_that_would_climb_out_is_refused(value: str) -> None:
    with pytest.raises(OktaUnsafeIdError, match=f"refusing {value!r} as an Okta id or login"):
        under("/oauth2/v1/clients", value, "roles")


def test_a_hostile_group_id_lists_that_groups_members_and_nothing_else(sandbox: Sandbox) -> None:
    admin = Admin(sandbox)
    victim = admin.call("GET", "/api/v1/users", limit="1")[0]
    member = admin.call(
        "POST",
        "/api/v1/users",
        {"profile": {"login": "m@example.com", "firstName": "M", "lastName": "M"}},
    )
    group = admin.call("POST", "/api/v1/groups", {"profile": {"name": "crafted"}})
    admin.call("PUT", f"/api/v1/groups/{group['id']}/users/{member['id']}")
    hostile = f"../../users/{victim['id']}?x=#"

    def rename(state: dict[str, Any]) -> None:
        state["groups"][hostile] = {**state["groups"].pop(group["id"]), "id": hostile}
        state["memberships"][hostile] = state["memberships"].pop(group["id"])

    sandbox.mutate(rename)
    with make_client(sandbox) as client:
        members = list_members(client, "crafted", {"id": hostile, "type": "OKTA_GROUP"})
    assert [m["id"] for m in members] == [member["id"]]


def test_a_login_with_a_plus_is_found_by_login(sandbox: Sandbox) -> None:
    login = "first+tag@example.com"
    Admin(sandbox).call(
        "POST", "/api/v1/users", {"profile": {"login": login, "firstName": "F", "lastName": "T"}}
    )
    with make_client(sandbox) as client:
        found = user_by_login(client, login)
    assert found is not None and found["profile"]["login"] == login


def test_a_dot_login_given_to_simulate_is_an_input_error(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    use_org(monkeypatch, sandbox)
    config = str(write_config(tmp_path))
    code = main(["simulate", "--live", "--config", config, "--user", "..", "--ip", "81.2.69.5"])
    assert code == 2
    assert "--user '..' cannot be an Okta login" in capsys.readouterr().err
