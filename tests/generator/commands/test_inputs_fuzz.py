"""Property tests (issue #13): whatever a config or a feed holds, `egress-guard sources` exits 0
or 2 — never a traceback or an internal error — and never prints a secret from the environment
or from a file a feed points at."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main

TOKEN = "sEcReT-okta-t0ken-value"
SECRET_FILE = f"OKTA_API_TOKEN={TOKEN}\nGITHUB_TOKEN=ghp_{TOKEN}\n"
BASE: dict[str, Any] = {
    "version": 1,
    "egress": {"corporate": ["8.8.8.0/24"]},
    "okta": {"break_glass": {"users": ["breakglass@example.com"]}},
    "output": {"dir": "out"},
}
PATHS = [
    ("version",),
    ("mode",),
    ("egress",),
    ("egress", "corporate"),
    ("egress", "netskope", "dedicated"),
    ("egress", "netskope", "page"),
    ("egress", "netskope", "shared"),
    ("egress", "feeds"),
    ("okta",),
    ("okta", "admin_groups"),
    ("okta", "break_glass", "users"),
    ("okta", "break_glass", "group"),
    ("okta", "global_session_policy", "priority"),
    ("okta", "global_session_policy", "session_idle_minutes"),
    ("okta", "admin_console", "reauthenticate_in"),
    ("okta", "extra_apps"),
    ("okta", "operator_ips"),
    ("okta", "confine_everyone"),
    ("safety", "allow_ranges"),
    ("safety", "max_shrink_percent"),
    ("safety", "max_breadth_prefix"),
    ("output", "name_prefix"),
]
CIDRISH = st.sampled_from(
    ["8.8.4.0/24", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8", "::/0", "1.2.3.4", "1.2.3.4/33",
     "2001:db8::/32", "4.0.0.0/6", "0.0.0.0/0", "Everyone", "", " ", "PT0S", "P1D", "x" * 300]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    CIDRISH,
)
FILES = st.sampled_from(["secret.txt", "/proc/self/environ", "/dev/zero", "ips.txt", "gone.txt"])
FEEDS = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["a", "b", "A", ""]), "file": FILES},
        optional={
            "format": st.sampled_from(["lines", "json", "xml"]),
            "pointer": st.sampled_from(["", "/ips", "/0", "~", "/a~1b"]),
            "as_proxies": st.booleans(),
        },
    ),
    max_size=2,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
EDITS = st.lists(st.tuples(st.sampled_from(PATHS), st.one_of(VALUES, FEEDS)), max_size=4)


def _apply(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node: Any = document
    for key in path[:-1]:
        if not isinstance(node, dict):
            return
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    if isinstance(node, dict):
        node[path[-1]] = value


def _run(directory: Path, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    (directory / "secret.txt").write_text(SECRET_FILE)
    (directory / "policy.yaml").write_text(text)
    code = main(["sources", "--config", str(directory / "policy.yaml"), "--offline", "--json"])
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "internal error" not in err and "Traceback" not in err
    assert TOKEN not in out + err
    if code == 2:
        assert err.startswith("egress-guard: error: ")


@pytest.fixture(autouse=True)
def secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_API_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_" + TOKEN)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=EDITS, yaml_tail=st.sampled_from(
    ["", "x: &a [1]\ny: *a\n", "<<: {version: 1}\n", "z: !!python/object:os.system x\n",
     "\t- bad\n", "version: 1\n", "a: " + "[" * 60 + "]" * 60 + "\n"]
))  # fmt: skip
def test_any_config_exits_0_or_2_without_leaking(
    capsys: pytest.CaptureFixture[str], edits: list[tuple[tuple[str, ...], Any]], yaml_tail: str
) -> None:
    document = json.loads(json.dumps(BASE))
    for path, value in edits:
        _apply(document, path, value)
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        (directory / "ips.txt").write_text("8.8.4.0/24\n")
        _run(directory, yaml.safe_dump(document) + yaml_tail, capsys)


LINES = st.one_of(
    st.sampled_from(["8.8.4.0/24", "# comment", "", "1.2.3.999", "10.0.0.0/8", "0.0.0.0/1",
                     "128.0.0.0/1", "<html>", TOKEN, f"OKTA_API_TOKEN={TOKEN}", "::1", "\x00",
                     "2001:db8::/32", "8.8.8.8/24"]),
    st.text(max_size=20),
)  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(LINES, max_size=8),
    as_json=st.booleans(),
    pointer=st.sampled_from(["", "/ips", "/ips/0", "/nope"]),
    raw=st.binary(max_size=40),
)
def test_any_feed_content_exits_0_or_2_without_leaking(
    capsys: pytest.CaptureFixture[str], lines: list[str], as_json: bool, pointer: str, raw: bytes
) -> None:
    document = json.loads(json.dumps(BASE))
    feed: dict[str, Any] = {"name": "x", "file": "ips.txt"}
    if as_json:
        feed.update(format="json", pointer=pointer) if pointer else feed.update(format="json")
    document["egress"]["feeds"] = [feed]
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        body = json.dumps({"ips": lines}).encode() if as_json else "\n".join(lines).encode()
        (directory / "ips.txt").write_bytes(body + (raw if not lines else b""))
        _run(directory, yaml.safe_dump(document), capsys)
