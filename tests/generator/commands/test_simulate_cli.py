"""`egress-guard simulate` offline: point and symbolic output, input errors."""

from __future__ import annotations

import json

import pytest
from paths import REPO

import generator.commands.simulate as simulate_command
from generator.cli import main

CONFIG = str(REPO / "examples" / "egress-policy.yaml")
ADMINS = "Okta Administrators"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["simulate", "--config", CONFIG, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_point_text_for_an_admin_outside(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--group", ADMINS, "--ip", "192.0.2.10")
    assert code == 0
    assert "address: 192.0.2.10" in out
    assert (
        "Global Session Policy: DENY (policy 'egress-guard Admins - trusted egress only', "
        "rule 'egress-guard deny other networks')" in out
    )
    assert "Admin Console: DENY (policy 'Okta Admin Console'" in out
    assert "note: offline: the org's objects outside egress-guard are unknown" in out


def test_break_glass_user_in_admin_group(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--user",
        "breakglass@example.com",
        "--group",
        ADMINS,
        "--ip",
        "2001:db8::1",
        "--format",
        "json",
    )
    document = json.loads(out)
    assert code == 0 and document["source"] == "desired"
    assert document["principal"]["groups"] == ["Everyone", ADMINS]
    assert document["decision"]["global_session_policy"]["rule"] == "Default Rule"
    assert document["decision"]["can_reach_admin_console"] is True


def test_all_partitions_both_families(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--group", ADMINS, "--all", "--format", "json")
    segments = json.loads(out)["segments"]
    assert code == 0
    assert segments[0]["first"] == "0.0.0.0" and segments[-1]["last"].startswith("ffff:")
    allowed = [s["range"] for s in segments if s["decision"]["can_reach_admin_console"]]
    assert "198.51.100.0/24" in allowed and "203.0.113.200/32" in allowed
    assert {s["family"] for s in segments} == {4, 6}


def test_via_a_proxy_that_is_not_trusted(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys,
        "--group",
        ADMINS,
        "--ip",
        "198.51.100.7",
        "--via",
        "192.0.2.99",
        "--format",
        "json",
    )
    document = json.loads(out)
    assert document["via"] == ["192.0.2.99"]
    assert document["decision"]["can_sign_in"] is False


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--ip", "1.2.3.4"), "give --user LOGIN and/or --group NAME"),
        (("--group", ADMINS, "--ip", "1.2.3"), "not an IP address: '1.2.3'"),
        (("--group", ADMINS, "--ip", "1.2.3.4", "--via", "x"), "not an IP address: 'x'"),
    ],
)
def test_input_errors(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err


def test_an_unexpected_exception_is_one_line_without_traceback_or_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: object) -> None:
        raise ValueError("Invalid header value b'SSWS 00secret-token'")

    monkeypatch.setattr(simulate_command, "partition", explode)
    code, out, err = run(capsys, "--group", ADMINS, "--all")
    assert code == 1 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("egress-guard: error: internal error: ValueError at ")
    assert "00secret-token" not in err and "Traceback" not in err
