"""`egress-guard generate` / `sources` through the CLI: outputs, bad input, --check, shrink."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.cli import main
from generator.lockfile import LOCK_NAME
from generator.sources import fetch as fetch_module

CORPORATE = ["8.8.8.0/24", "8.8.4.0/24", "9.9.9.0/24", "1.1.1.0/24"]


def config_text(corporate: list[str] = CORPORATE, extra: str = "") -> str:
    listed = ", ".join(corporate)
    return (
        "version: 1\n"
        f"egress:\n  corporate: [{listed}]\n{extra}"
        "okta:\n  break_glass: {users: [breakglass@example.com]}\n"
        "output: {dir: out}\n"
    )


def snapshot(directory: Path) -> dict[str, bytes]:
    if not directory.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "policy.yaml").write_text(config_text())
    return tmp_path


def generate(workdir: Path, *extra: str) -> int:
    return main(["generate", "--config", str(workdir / "policy.yaml"), "--offline", *extra])


def test_generate_writes_terraform_and_lock(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(workdir) == 0
    files = snapshot(workdir / "out")
    assert {"zones.tf", "session_policy.tf", "app_policies.tf", LOCK_NAME} <= files.keys()
    lock = json.loads(files[LOCK_NAME])
    assert [s["name"] for s in lock["sources"]] == ["netskope-shared", "corporate"]
    corporate = next(s for s in lock["shards"] if s["group"] == "corporate")
    assert corporate["gateways"] == ["1.1.1.0/24", "8.8.4.0/24", "8.8.8.0/24", "9.9.9.0/24"]
    assert set(lock["files"]) == {n for n in files if n.endswith(".tf")}
    out = capsys.readouterr().out
    assert "corporate: 4 CIDRs" in out and "(+4 -0)" in out
    assert "+ 1.1.1.0/24, 8.8.4.0/24, 8.8.8.0/24, 9.9.9.0/24" in out  # address order
    assert "zones created: 2 (corporate_01, netskope_shared_01)" in out


def test_generate_is_deterministic_and_check_passes(workdir: Path) -> None:
    assert generate(workdir) == 0
    first = snapshot(workdir / "out")
    assert generate(workdir) == 0
    assert snapshot(workdir / "out") == first
    assert generate(workdir, "--check") == 0
    assert snapshot(workdir / "out") == first


def test_check_reports_stale_files_and_writes_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--config", str(workdir / "policy.yaml"), "--offline", "--check"]) == 1
    assert "zones.tf (missing)" in capsys.readouterr().err
    assert not (workdir / "out").exists()

    assert generate(workdir) == 0
    (workdir / "out" / "zones.tf").write_text("# edited by hand\n")
    (workdir / "out" / "stray.tf").write_text("")
    before = snapshot(workdir / "out")
    assert generate(workdir, "--check") == 1
    err = capsys.readouterr().err
    assert "zones.tf (differs)" in err and "stray.tf (extra)" in err
    assert "session_policy.tf" not in err
    assert snapshot(workdir / "out") == before
    (workdir / "out" / "lookups.tf").write_bytes(b"\xff\xfe")
    assert generate(workdir, "--check") == 1
    assert "lookups.tf (unreadable: " in capsys.readouterr().err


def test_check_message_repeats_the_options_used(
    workdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(workdir / "policy.yaml")
    assert generate(workdir, "--check") == 1
    assert f"(run: egress-guard generate --config {config} --offline)" in capsys.readouterr().err
    out = tmp_path / "other dir"
    assert main(["generate", "--config", config, "--out", str(out), "--check"]) == 1
    err = capsys.readouterr().err
    assert f"(run: egress-guard generate --config {config} --out '{out}')" in err


def test_check_runs_the_lockout_preflight(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # an operator range outside every trusted range fails the preflight; --force wrote it anyway
    (workdir / "policy.yaml").write_text(
        config_text().replace("okta:\n", "okta:\n  operator_ips: [7.7.7.0/24]\n")
    )
    assert generate(workdir, "--force") == 0
    before = snapshot(workdir / "out")
    capsys.readouterr()
    assert generate(workdir, "--check") == 1  # up to date, but unsafe: PR CI must fail
    err = capsys.readouterr().err
    assert "preflight FAIL [operator-access] operator range 7.7.7.0/24" in err
    assert "lockout preflight failed" in err
    assert snapshot(workdir / "out") == before
    assert generate(workdir, "--check", "--force") == 0
    assert snapshot(workdir / "out") == before


def test_extra_apps_order_does_not_change_the_output(workdir: Path) -> None:
    outputs = []
    for apps in ("[Zendesk, AWS Console]", "[AWS Console, Zendesk]"):
        text = config_text().replace("okta:\n", f"okta:\n  extra_apps: {apps}\n")
        (workdir / "policy.yaml").write_text(text)
        assert generate(workdir) == 0
        outputs.append(snapshot(workdir / "out"))
    assert outputs[0] == outputs[1]
    assert b"app_aws_console" in outputs[0]["app_policies.tf"]


def test_check_detects_config_change(workdir: Path) -> None:
    assert generate(workdir) == 0
    (workdir / "policy.yaml").write_text(config_text([*CORPORATE, "4.4.4.0/24"]))
    assert generate(workdir, "--check") == 1


def test_adding_a_cidr_summarises_the_change(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(workdir) == 0
    capsys.readouterr()
    (workdir / "policy.yaml").write_text(config_text([*CORPORATE, "4.4.4.0/24"]))
    assert generate(workdir) == 0
    out = capsys.readouterr().out
    assert "corporate: 5 CIDRs" in out and "+ 4.4.4.0/24" in out
    assert "zones changed: 1 (corporate_01)" in out
    assert "zones created: 0" in out


def test_shrink_refused_then_forced(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert generate(workdir) == 0
    before = snapshot(workdir / "out")
    (workdir / "policy.yaml").write_text(config_text(CORPORATE[:2]))
    assert generate(workdir) == 1
    err = capsys.readouterr().err
    assert "refusing to shrink" in err and "corporate (IPv4): would remove 50.0%" in err
    assert "--force" in err
    assert snapshot(workdir / "out") == before
    assert generate(workdir, "--force") == 0
    err = capsys.readouterr().err
    assert "warning: --force: shrink allowed: corporate (IPv4): would remove 50.0%" in err
    lock = json.loads((workdir / "out" / LOCK_NAME).read_text())
    corporate = next(s for s in lock["shards"] if s["group"] == "corporate")
    assert corporate["gateways"] == ["8.8.4.0/24", "8.8.8.0/24"]


def test_small_shrink_within_threshold_is_allowed(workdir: Path) -> None:
    (workdir / "policy.yaml").write_text(config_text([*CORPORATE, "4.4.4.0/24", "5.5.5.0/24"]))
    assert generate(workdir) == 0
    (workdir / "policy.yaml").write_text(config_text([*CORPORATE, "4.4.4.0/24"]))
    assert generate(workdir) == 0  # 1 of 6 /24s = 16.7% < 30%


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_written_files_get_the_umask_mode(workdir: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        assert generate(workdir) == 0
    finally:
        os.umask(previous)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (workdir / "out").iterdir()}
    assert modes and set(modes.values()) == {0o666 & ~umask}, modes


@pytest.mark.parametrize("kind", ["dangling symlink", "below a file"])
def test_unusable_out_directory_is_invalid_input(
    workdir: Path, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if kind == "dangling symlink":
        target = tmp_path / "link"
        target.symlink_to(tmp_path / "missing" / "dir")
    else:
        (tmp_path / "plain").write_text("")
        target = tmp_path / "plain" / "out"
    assert generate(workdir, "--out", str(target)) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "Traceback" not in err


def test_out_option_overrides_output_dir(workdir: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    assert generate(workdir, "--out", str(target)) == 0
    assert (target / "zones.tf").exists() and not (workdir / "out").exists()


def test_offline_uses_snapshot_for_page_url(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = "  netskope: {page: 'https://docs.example/newedge'}\n"
    (workdir / "policy.yaml").write_text(config_text(extra=extra))
    assert generate(workdir) == 0
    assert "used the bundled snapshot" in capsys.readouterr().err


def test_corrupt_lock_is_invalid_input(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert generate(workdir) == 0
    (workdir / "out" / LOCK_NAME).write_text("{not json")
    before = snapshot(workdir / "out")
    assert generate(workdir) == 2
    assert "corrupt lock file" in capsys.readouterr().err
    assert snapshot(workdir / "out") == before


def test_sources_lists_provenance(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(workdir / "policy.yaml")
    assert main(["sources", "--config", config, "--offline"]) == 0
    text = capsys.readouterr().out
    assert "8.8.8.0/24\tcorporate\tconfig policy.yaml\tegress.corporate[0]" in text
    assert "162.10.0.0/17\tnetskope-shared\tbundled snapshot" in text
    assert main(["sources", "--config", config, "--offline", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    corporate = document["sources"][1]
    assert corporate["name"] == "corporate"
    assert corporate["cidrs"][3] == {
        "cidr": "1.1.1.0/24",
        "value": "1.1.1.0/24",
        "where": "egress.corporate[3]",
    }
    assert not (workdir / "out").exists()


def test_sources_into_a_closed_pipe_exits_quietly(workdir: Path) -> None:
    many = [f"{a}.{b}.{c}.0/24" for a in (11, 12) for b in range(256) for c in range(0, 256, 32)]
    (workdir / "policy.yaml").write_text(config_text(many))
    command = [sys.executable, "-m", "generator", "sources", "--config", "policy.yaml"]
    with subprocess.Popen(
        [*command, "--offline"], cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().startswith(b"# netskope-shared")
        process.stdout.close()  # like `| head -1`
        err = process.stderr.read().decode()
        assert process.wait(timeout=60) == 1
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def feed_extra(server: HTTPServer) -> str:
    return f"  feeds: [{{name: ci, url: '{server.url_for('/feed')}'}}]\n"


def slow(_request: Request) -> Response:
    time.sleep(0.5)
    return Response("8.8.8.0/24\n")


BAD_INPUTS = {
    "malformed yaml": ("version: 1\negress: {corporate: [8.8.8.0/24}\n", None, "malformed YAML"),
    "unknown key": (config_text(extra="  corprate: []\n"), None, "egress.corprate: unknown key"),
    "bad cidr": (config_text(["8.8.8.0/24", "8.8.8.256/32"]), None, "egress.corporate[1]"),
    "private range": (config_text(["8.8.8.0/24", "10.0.0.0/8"]), None, "private address space"),
    "whole internet": (config_text(["0.0.0.0/0"]), None, "whole Internet"),
    "feed html page": (
        None,
        lambda s: s.expect_request("/feed").respond_with_data(
            "<html><body>Error 502</body></html>", content_type="text/html"
        ),
        "returned an HTML page",
    ),
    "feed timeout": (
        None,
        lambda s: s.expect_request("/feed").respond_with_handler(slow),
        "timed out",
    ),
    "empty feed": (
        None,
        lambda s: s.expect_request("/feed").respond_with_data("# none\n"),
        "lists no CIDRs",
    ),
    "url feed offline": (None, "offline", "not available with --offline"),
    "duplicate key": (config_text() + "okta: {break_glass: {}}\n", None, "duplicate key okta"),
    "no break-glass account": (
        config_text().replace(
            "  break_glass: {users: [breakglass@example.com]}", "  admin_groups: [Admins]"
        ),
        None,
        "okta.break_glass: list at least one break-glass user",
    ),
    "feed header variable unset": (
        None,
        "headers",
        "environment variable EGRESS_GUARD_TEST_UNSET, which is not set",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_and_changes_nothing(
    case: str,
    workdir: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(fetch_module, "TIMEOUT", (0.5, 0.2))
    monkeypatch.setattr(fetch_module, "ATTEMPTS", 2)
    monkeypatch.setattr(fetch_module, "BACKOFF_SECONDS", 0.01)
    assert generate(workdir) == 0
    before = snapshot(workdir / "out")
    text, server_setup, expected = BAD_INPUTS[case]
    offline = server_setup == "offline"
    if text is None:
        text = config_text(extra=feed_extra(httpserver))
        if server_setup == "headers":
            monkeypatch.delenv("EGRESS_GUARD_TEST_UNSET", raising=False)
            text = text.replace("}]", ", headers: {x-api-key: EGRESS_GUARD_TEST_UNSET}}]")
        if callable(server_setup):
            server_setup(httpserver)
    (workdir / "policy.yaml").write_text(text)
    capsys.readouterr()
    args = ["generate", "--config", str(workdir / "policy.yaml")] + (
        ["--offline"] if offline else []
    )
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "policy.yaml" in err or "feed-ci" in err
    assert snapshot(workdir / "out") == before
