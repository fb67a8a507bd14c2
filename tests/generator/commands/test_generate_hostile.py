"""Hostile input to `generate` (issue #13): a config edited by a pull request, a feed file or
server under someone else's control, a tampered lock file. Every case: the exit code, the
message, nothing written, and no secret (the environment's, a feed header's) in the output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer

from generator.cli import main
from generator.lockfile import LOCK_NAME
from generator.sources import fetch as fetch_module

TOKEN = "sEcReT-okta-t0ken-value"
HEADER_SECRET = "0123456789abcdef:4242.beef"  # address characters only: shown unless scrubbed
BASE: dict[str, Any] = {
    "version": 1,
    "egress": {"corporate": ["8.8.8.0/24"]},
    "okta": {"break_glass": {"users": ["breakglass@example.com"]}},
    "output": {"dir": "out"},
}


@pytest.fixture(autouse=True)
def secrets_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_API_TOKEN", TOKEN)
    monkeypatch.setenv("FEED_KEY", HEADER_SECRET)


def write_config(directory: Path, document: dict[str, Any] | str) -> Path:
    path = directory / "policy.yaml"
    text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False)
    path.write_text(text)
    return path


def with_changes(**sections: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(BASE))
    for section, values in sections.items():
        document.setdefault(section, {}).update(values)
    return document


def refused(
    directory: Path,
    document: dict[str, Any] | str,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
    code: int = 2,
) -> str:
    """Run generate; assert the exit code, that nothing was written, and that no secret leaked.
    Returns stderr."""
    config = write_config(directory, document)
    assert main(["generate", "--config", str(config), *extra]) == code
    out, err = capsys.readouterr()
    assert not (directory / "out").exists()
    for secret in (TOKEN, HEADER_SECRET):
        assert secret not in out + err
    assert "Traceback" not in err and "internal error" not in err
    return err


def feed(**fields: Any) -> dict[str, Any]:
    return {"egress": {"corporate": ["8.8.8.0/24"], "feeds": [{"name": "x", **fields}]}}


@pytest.mark.parametrize("target", ["/proc/self/environ", "/dev/zero", "/sys/kernel/notes"])
def test_file_feed_refuses_kernel_pseudo_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    err = refused(tmp_path, with_changes(**feed(file=target)), capsys, "--offline")
    assert f"feed-x ({os.path.relpath(target, tmp_path)}): {target} is a kernel pseudo-file" in err


def test_file_feed_through_a_symlink_to_proc_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ips.txt").symlink_to("/proc/self/environ")
    err = refused(tmp_path, with_changes(**feed(file="ips.txt")), capsys, "--offline")
    assert "feed-x (ips.txt): " in err and "/ips.txt is a kernel pseudo-file, not a feed" in err


def test_file_feed_refuses_a_fifo_without_waiting_for_a_writer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "ips.txt")
    err = refused(tmp_path, with_changes(**feed(file="ips.txt")), capsys, "--offline")
    assert "feed-x (ips.txt): " in err and "is not a regular file; refused" in err


def test_file_feed_is_read_with_a_hard_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_module, "MAX_BYTES", 64)
    (tmp_path / "ips.txt").write_text("8.8.4.0/24\n" * 10)
    err = refused(tmp_path, with_changes(**feed(file="ips.txt")), capsys, "--offline")
    assert "feed-x (ips.txt): file larger than 64 bytes; refused" in err


def test_file_feed_content_is_never_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A feed pointed at a file of secrets: the error names the line, not its content."""
    (tmp_path / "ips.txt").write_text(f"8.8.4.0/24\nOKTA_API_TOKEN={TOKEN}\n")
    err = refused(tmp_path, with_changes(**feed(file="ips.txt")), capsys, "--offline")
    assert (
        f"feed-x (ips.txt, line 2): a value of {len(TOKEN) + 15} characters (not shown: not "
        "address characters): not an IP address or CIDR"
    ) in err


def test_address_like_feed_value_is_quoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ips.txt").write_text("8.8.4.0/24\n8.8.4.300/32\n")
    err = refused(tmp_path, with_changes(**feed(file="ips.txt")), capsys, "--offline")
    assert "feed-x (ips.txt, line 2): '8.8.4.300/32': not an IP address or CIDR" in err


@pytest.mark.parametrize("fmt", ["lines", "json"])
def test_feed_server_reflecting_the_header_secret_never_gets_it_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], httpserver: HTTPServer, fmt: str
) -> None:
    body = HEADER_SECRET + "\n" if fmt == "lines" else json.dumps({"ips": [HEADER_SECRET]})
    httpserver.expect_request("/ips", headers={"X-Key": HEADER_SECRET}).respond_with_data(body)
    extra = {"pointer": "/ips"} if fmt == "json" else {}
    document = with_changes(
        **feed(url=httpserver.url_for("/ips"), format=fmt, headers={"X-Key": "FEED_KEY"}, **extra)
    )
    err = refused(tmp_path, document, capsys)
    where = "line 1" if fmt == "lines" else "/ips/0"
    assert f"/ips, {where}): the response contains the value of request header 'X-Key'" in err


def alias_bomb(levels: int) -> str:
    lines = ["    - &a0 [" + ", ".join(["8.8.8.0/24"] * 9) + "]"]
    lines += [f"    - &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return (
        "version: 1\nokta: {break_glass: {users: [bg@example.com]}}\noutput: {dir: out}\n"
        "safety:\n  allow_ranges:\n" + "\n".join(lines) + "\n"
    )


def test_yaml_alias_bomb_is_refused_before_it_expands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = alias_bomb(9)  # 9**9 = 387 million strings once constructed
    assert len(text) < 700
    err = refused(tmp_path, text, capsys, "--offline")
    assert "expands to more than 100000 values (aliases repeating aliases); refused" in err
    assert len(err) < 400


def test_schema_errors_never_repeat_a_whole_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(tmp_path, alias_bomb(4), capsys, "--offline")  # 6561 strings: allowed
    lines = err.splitlines()
    assert lines[0] == "egress-guard: error: invalid config:"
    assert all(len(line) < 400 for line in lines) and len(err) < 6000
    assert any(line.endswith("…") for line in lines)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nokta: &x\n  break_glass: *x\n", "a recursive structure); refused"),
        (
            "version: 1\nokta:\n  break_glass:\n    <<: {group: A}\n",
            "okta.break_glass: YAML merge keys (<<) are not allowed",
        ),
        ("version: 1\nx: " + "[" * 5000 + "]" * 5000 + "\n", "YAML nested too deeply"),
    ],
)
def test_self_referencing_merged_and_deep_yaml_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    assert message in refused(tmp_path, text, capsys, "--offline")


def test_halves_of_the_internet_are_the_whole_internet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    halves = ["0.0.0.0/1", "128.0.0.0/1"]
    document = with_changes(egress={"corporate": halves}, safety={"allow_ranges": halves})
    err = refused(tmp_path, document, capsys, "--offline")
    assert "together the sources trust the whole IPv4 Internet (0.0.0.0/0); widest ranges: " in err
    assert "0.0.0.0/1 (corporate), 128.0.0.0/1 (corporate)" in err


def test_breadth_rail_names_the_widest_ranges_and_can_be_lowered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = with_changes(egress={"corporate": ["4.0.0.0/7", "8.8.8.0/24"]})
    err = refused(tmp_path, document, capsys, "--offline")
    assert "the trusted set covers 33," in err and "at least one /8" in err
    assert "widest ranges: 4.0.0.0/7 (corporate)" in err
    document["safety"] = {"max_breadth_prefix": 6}
    write_config(tmp_path, document)
    assert main(["generate", "--config", str(tmp_path / "policy.yaml"), "--offline"]) == 0


@pytest.mark.parametrize(
    ("section", "values", "message"),
    [
        ("okta", {"global_session_policy": {"priority": 1.0}}, "1.0 is not of type 'integer'"),
        ("safety", {"max_shrink_percent": True}, "True is not of type 'number'"),
        (
            "okta",
            {"global_session_policy": {"priority": 5000}},
            "5000 is greater than the maximum of 1000",
        ),
        (
            "okta",
            {"admin_console": {"reauthenticate_in": "PT43801H"}},
            "longer than PT43800H, Okta's longest interval",
        ),
        (
            "okta",
            {"break_glass": {"users": ["  "]}},
            "okta.break_glass.users[0]: '  ' is not valid here: an Okta name or login: not blank",
        ),
        (
            "okta",
            {"break_glass": {"users": ["bg@example.com"]}, "admin_groups": ["Everyone"]},
            "okta.admin_groups: 'Everyone' is every user of the org",
        ),
        (
            "okta",
            {"break_glass": {"users": [], "group": "okta administrators"}},
            "okta.break_glass.group: 'okta administrators' is Okta's built-in group of every "
            "administrator",
        ),
    ],
)
def test_values_okta_would_reject_are_input_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    section: str,
    values: dict[str, Any],
    message: str,
) -> None:
    assert message in refused(tmp_path, with_changes(**{section: values}), capsys, "--offline")


def test_everyone_as_admin_group_with_the_acknowledgement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    okta = {"admin_groups": ["Everyone"], "confine_everyone": True}
    write_config(tmp_path, with_changes(okta=okta))
    assert main(["generate", "--config", str(tmp_path / "policy.yaml"), "--offline"]) == 0


def test_reauthenticate_on_every_sign_in_is_valid(tmp_path: Path) -> None:
    """PT0S is Okta's "every sign-in attempt" (provider docs, Okta's spec examples)."""
    write_config(tmp_path, with_changes(okta={"admin_console": {"reauthenticate_in": "PT0S"}}))
    assert main(["generate", "--config", str(tmp_path / "policy.yaml"), "--offline"]) == 0
    assert 're_authentication_frequency = "PT0S"' in (tmp_path / "out/app_policies.tf").read_text()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda lock: lock["shards"][0].update(gateways="8.8.8.0/24"),
            "shards[0].gateways: expected a list of CIDRs, found str",
        ),
        (lambda lock: lock["shards"][0].update(index=1.0), "shards[0].index: expected a whole"),
        (
            lambda lock: lock["sources"][1]["cidrs"].append("8.8.8.8/24"),
            "sources[1].cidrs[1]: not a canonical CIDR",
        ),
        (lambda lock: lock.update(shards={}), "shards: expected a list, found dict"),
    ],
)
def test_tampered_lock_file_is_an_input_error_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, message: str
) -> None:
    config = write_config(tmp_path, BASE)
    assert main(["generate", "--config", str(config), "--offline"]) == 0
    lock_path = tmp_path / "out" / LOCK_NAME
    lock = json.loads(lock_path.read_text())
    change(lock)
    lock_path.write_text(json.dumps(lock))
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    capsys.readouterr()
    assert main(["generate", "--config", str(config), "--offline"]) == 2
    err = capsys.readouterr().err
    assert f"{lock_path}: corrupt lock file ({message}" in err
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


NETSKOPE_PAGE = """<h2>NewEdge IP Ranges for Allowlisting</h2>
<p>Updated in version 2.1.0.4.</p>
<ul><li>8.36.116.0/24</li><li>8.39.144.0/24</li><li>31.186.239.0/24</li>
<li>162.10.0.0/17</li><li>163.116.128.0/17</li><li>198.51.100.0/24</li></ul><h2>Next</h2>"""


def test_netskope_page_change_is_visible_in_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "page.html").write_text(NETSKOPE_PAGE)
    document = with_changes(
        egress={"netskope": {"page": "page.html"}}, safety={"allow_ranges": ["198.51.100.0/24"]}
    )
    write_config(tmp_path, document)
    assert main(["generate", "--config", str(tmp_path / "policy.yaml"), "--offline"]) == 0
    out = capsys.readouterr().out
    assert "netskope-shared: 6 CIDRs from page.html" in out
    assert "2.1.0.4" not in json.loads((tmp_path / "out" / LOCK_NAME).read_text())["shards"][0]
    assert (
        "note: the page's ranges differ from the bundled snapshot (2026-11-22): added "
        "198.51.100.0/24; check the change against Netskope's page before merging; 1 "
        "address-like word(s) in the section's prose were not read"
    ) in out
