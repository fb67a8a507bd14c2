"""Config loading: the example, defaults, path resolution and every kind of error message."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from paths import REPO

from generator.config import SCHEMA_PATH, format_path, load_config
from generator.errors import InputError
from generator.settings import (
    AdminConsoleConfig,
    GlobalSessionPolicyConfig,
    NetskopeConfig,
    SafetyConfig,
)

BREAK_GLASS = "okta: {break_glass: {users: [breakglass@example.com]}}\n"


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_config(path)
    assert info.value.exit_code == 2
    return str(info.value)


def test_example_config_loads_with_documented_values() -> None:
    config = load_config(REPO / "examples" / "egress-policy.yaml")
    assert config.mode == "enforce"
    assert config.egress.netskope.shared is True
    assert "198.51.100.0/24" in config.egress.corporate
    assert config.okta.admin_groups == ("Okta Administrators",)
    assert config.okta.break_glass.users == ("breakglass@example.com",)
    assert config.okta.break_glass.group == "Break Glass Accounts"
    assert config.output.dir == REPO / "terraform" / "generated"


def test_minimal_config_gets_settings_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "version: 1\n" + BREAK_GLASS))
    assert config.egress.netskope == NetskopeConfig()
    assert config.okta.global_session_policy == GlobalSessionPolicyConfig()
    assert config.okta.admin_console == AdminConsoleConfig()
    assert config.safety == SafetyConfig()
    assert config.output.dir == tmp_path / "terraform" / "generated"
    assert config.output.name_prefix == "egress-guard"


@pytest.mark.parametrize(
    ("schema_path", "settings_cls"),
    [
        (("egress", "netskope"), NetskopeConfig),
        (("okta", "global_session_policy"), GlobalSessionPolicyConfig),
        (("okta", "admin_console"), AdminConsoleConfig),
        (("safety",), SafetyConfig),
    ],
)
def test_schema_defaults_match_settings(schema_path: tuple[str, ...], settings_cls: Any) -> None:
    node = json.loads(SCHEMA_PATH.read_text())
    for key in schema_path:
        node = node["properties"][key]
    instance = settings_cls()
    for field in fields(settings_cls):
        default = node["properties"][field.name]["default"]
        value = getattr(instance, field.name)
        assert (list(value) if isinstance(value, tuple) else value) == default, field.name


def test_relative_feed_file_and_output_dir_resolve_against_config_dir(tmp_path: Path) -> None:
    sub = tmp_path / "conf"
    sub.mkdir()
    path = write(
        sub,
        "version: 1\negress:\n  feeds:\n    - {name: ci, file: lists/ci.txt}\n"
        "  netskope: {page: saved/page.html}\noutput: {dir: ../out}\n" + BREAK_GLASS,
    )
    config = load_config(path)
    assert config.egress.feeds[0].file == sub / "lists" / "ci.txt"
    assert config.egress.netskope.page == str(sub / "saved" / "page.html")
    assert config.output.dir == tmp_path / "out"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\negress:\n  corporat: []\n", "egress.corporat: unknown key"),
        ("version: 1\nmode: audit\n", "mode: must be one of"),
        ("version: 2\n", "version"),
        ("mode: enforce\n", "'version' is required"),
        ("version: 1\nokta: {admin_groups: []}\n", "okta.admin_groups"),
        (
            "version: 1\negress: {corporate: [198.51.100.0/24, 1.2.3.0/24, 1.2.3.999]}\n",
            "egress.corporate[2]: '1.2.3.999': not an IP address or CIDR",
        ),
        (
            "version: 1\negress: {corporate: [10.1.2.3/24]}\n",
            "egress.corporate[0]: '10.1.2.3/24': host bits set",
        ),
        (
            "version: 1\negress: {feeds: [{name: a, url: 'https://x', file: b}]}\n",
            "egress.feeds[0]: give exactly one of 'url' or 'file'",
        ),
        (
            "version: 1\negress: {feeds: [{name: a, file: b, pointer: /x}]}\n",
            "egress.feeds[0].pointer: only valid with format: json",
        ),
        ("version: 1\negress: {feeds: [{name: A B, file: b}]}\n", "egress.feeds[0].name"),
        (
            "version: 1\nokta: {global_session_policy: {session_idle_minutes: 300}}\n",
            "session_idle_minutes: 300 is longer than session_lifetime_minutes (120)",
        ),
        (
            "version: 1\nokta: {admin_console: {reauthenticate_in: 2 hours}}\n",
            "okta.admin_console.reauthenticate_in",
        ),
        (
            "version: 1\nokta: {admin_console: {reauthenticate_in: P}}\n",
            "reauthenticate_in: 'P' is not valid here: ISO 8601 duration",
        ),
        ("version: 1\nokta: {admin_console: {reauthenticate_in: PT}}\n", "reauthenticate_in"),
        ("version: 1\nokta: {admin_console: {reauthenticate_in: P1DT}}\n", "reauthenticate_in"),
        ("version: 1\n", "okta.break_glass: list at least one break-glass user"),
        (
            "version: 1\nokta: {break_glass: {users: [], group: null}}\n",
            "okta.break_glass: list at least one break-glass user",
        ),
        (
            "version: 1\negress: {feeds: [{name: a, file: b, headers: {x-key: KEY}}]}\n",
            "egress.feeds[0].headers: only valid with 'url'",
        ),
        (
            "version: 1\negress: {feeds: [{name: a, file: b, timeout_seconds: 5}]}\n",
            "egress.feeds[0].timeout_seconds: only valid with 'url'",
        ),
        (
            "version: 1\negress: {feeds: [{name: a, url: 'https://x', "
            "headers: {X-Key: A, x-key: B}}]}\n",
            "egress.feeds[0].headers: a header is listed twice",
        ),
        (
            "version: 1\negress: {feeds: [{name: a, url: 'https://x', headers: {x-key: 1A}}]}\n",
            "egress.feeds[0].headers.x-key",
        ),
        (
            "version: 1\negress: {feeds: [{name: a, url: 'https://x', timeout_seconds: 0}]}\n",
            "egress.feeds[0].timeout_seconds",
        ),
        ("version: 1\nokta: {extra_apps: [okta-admin-console]}\n", "okta.extra_apps[0]"),
        ("- just\n- a list\n", "expected a mapping"),
        ("", "config is empty"),
    ],
)
def test_invalid_config_names_file_path_and_reason(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    message = error_of(path)
    assert str(path) in message
    assert expected in message


@pytest.mark.parametrize(
    ("reauthenticate_in"), ["PT2H", "PT30M", "P1D", "P1DT12H", "PT0S", "PT1H30M15S"]
)
def test_valid_reauthentication_durations(tmp_path: Path, reauthenticate_in: str) -> None:
    text = f"version: 1\n{BREAK_GLASS}".replace(
        "}}", f"}}, admin_console: {{reauthenticate_in: {reauthenticate_in}}}}}"
    )
    config = load_config(write(tmp_path, text))
    assert config.okta.admin_console.reauthenticate_in == reauthenticate_in


@pytest.mark.parametrize("break_glass", ["{users: [bg@example.com]}", "{group: Break Glass}"])
def test_one_break_glass_user_or_a_group_is_enough(tmp_path: Path, break_glass: str) -> None:
    config = load_config(write(tmp_path, f"version: 1\nokta: {{break_glass: {break_glass}}}\n"))
    assert config.okta.break_glass.users or config.okta.break_glass.group


def test_duplicate_keys_are_errors_naming_line_and_path(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\n"
        "okta:\n"
        "  break_glass:\n"
        "    users: [breakglass@example.com]\n"
        "  admin_groups: [Okta Administrators]\n"
        "  break_glass: {}\n"
        "egress:\n"
        "  feeds:\n"
        "    - {name: a, file: a.txt, name: b}\n",
    )
    message = error_of(path)
    assert f"{path}:6: duplicate key okta.break_glass (first at line 3)" in message
    assert f"{path}:9: duplicate key egress.feeds[0].name (first at line 9)" in message


def test_yaml_merge_keys_are_refused(tmp_path: Path) -> None:
    """A merge key makes a setting appear where it is not written (and can hide an override
    from review): refused, naming the line and the mapping."""
    text = "version: 1\nokta:\n  break_glass:\n    <<: {group: A}\n    group: B\n"
    path = write(tmp_path, text)
    message = error_of(path)
    assert f"{path}:4: okta.break_glass: YAML merge keys (<<) are not allowed" in message


def test_credentials_in_a_feed_url_are_not_echoed_by_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\negress: {feeds: [{name: a, url: 'ftp://me:s3cret@x.example/?api_key=k3y'}]}\n",
    )
    message = error_of(path)
    assert "egress.feeds[0].url" in message
    assert "s3cret" not in message and "k3y" not in message
    assert "ftp://me:***@x.example/?api_key=***" in message


@pytest.mark.parametrize(
    "feeds",
    [
        "['{url}']",  # a URL where a feed entry belongs
        "{{name: a, url: '{url}'}}",  # one feed, not a list
        "[{{name: a, url: ['{url}']}}]",  # a list where the URL belongs
        "[{{name: a, url: 'https://x.example/', headers: ['{url}']}}]",  # any field
    ],
)
def test_no_schema_error_echoes_a_credential_in_a_url(tmp_path: Path, feeds: str) -> None:
    url = "https://me:s3cret@x.example/f?api_key=k3y"
    path = write(tmp_path, f"version: 1\negress: {{feeds: {feeds.format(url=url)}}}\n")
    message = error_of(path)
    assert "egress.feeds" in message
    assert "s3cret" not in message and "k3y" not in message
    assert "https://me:***@x.example/f?api_key=***" in message


def test_feed_headers_and_timeout_are_loaded(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\n" + BREAK_GLASS + "egress:\n  feeds:\n"
        "    - name: prisma\n      url: https://api.example/getPrismaAccessIP/v2\n"
        "      format: json\n      pointer: /result\n"
        "      headers: {header-api-key: PRISMA_API_KEY}\n      timeout_seconds: 20\n",
    )
    feed = load_config(path).egress.feeds[0]
    assert feed.headers == (("header-api-key", "PRISMA_API_KEY"),)
    assert feed.timeout_seconds == 20.0


def test_extra_apps_are_sorted_so_their_order_does_not_matter(tmp_path: Path) -> None:
    text = "version: 1\n" + BREAK_GLASS.replace("}}", "}, extra_apps: [Zendesk, AWS, Jira]}")
    assert load_config(write(tmp_path, text)).okta.extra_apps == ("AWS", "Jira", "Zendesk")


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\negress:\n  corporate: [1.2.3.0/24\n  feeds: []\n")
    message = error_of(path)
    assert f"{path}:4:" in message
    assert "malformed YAML" in message


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    assert "cannot read config" in error_of(tmp_path / "nope.yaml")


def test_format_path() -> None:
    assert format_path(["egress", "corporate", 2]) == "egress.corporate[2]"
    assert format_path(["egress", "feeds", 0, "name"]) == "egress.feeds[0].name"
    assert format_path([]) == "(top level)"
