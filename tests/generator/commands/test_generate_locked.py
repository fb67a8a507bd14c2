"""`generate` / `sources` with --locked-sources: URL sources come from the lock, never fetched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from generator.cli import main
from generator.lockfile import LOCK_NAME
from generator.sources import fetch as fetch_module

BEFORE_FEED = "8.8.8.0/24\n9.9.9.0/24\n"
AFTER_FEED = "8.8.8.0/24\n9.9.9.0/24\n1.0.0.0/24\n"
PAGE = """<html><body><h2>NewEdge IP Ranges for Allowlisting</h2>
<ul><li>8.36.116.0/24</li><li>163.116.128.0/17</li></ul><h2>Other</h2></body></html>"""


@pytest.fixture(autouse=True)
def quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_module, "TIMEOUT", (0.5, 0.5))
    monkeypatch.setattr(fetch_module, "ATTEMPTS", 1)


def config_text(server: HTTPServer, feeds: list[tuple[str, str]], file_feed: bool = False) -> str:
    listed = [f"{{name: {name}, url: '{server.url_for('/')}{path}'}}" for name, path in feeds]
    if file_feed:
        listed.append("{name: local, file: local.txt}")
    feed_line = f"  feeds: [{', '.join(listed)}]\n" if listed else ""
    return (
        "version: 1\n"
        "egress:\n"
        f"  netskope: {{page: '{server.url_for('/newedge')}'}}\n"
        "  corporate: [203.0.113.0/24]\n"
        f"{feed_line}"
        "safety: {allow_ranges: [203.0.113.0/24]}\n"
        "okta:\n  break_glass: {users: [breakglass@example.com]}\n"
        "output: {dir: out}\n"
    )


def serve(server: HTTPServer, feed: str) -> None:
    server.clear()
    server.expect_request("/newedge").respond_with_data(PAGE, content_type="text/html")
    server.expect_request("/feed").respond_with_data(feed)


def files(directory: Path) -> dict[str, bytes]:
    return (
        {p.name: p.read_bytes() for p in sorted(directory.iterdir())} if directory.exists() else {}
    )


def run(workdir: Path, *args: str, command: str = "generate") -> int:
    return main([command, "--config", str(workdir / "policy.yaml"), *args])


@pytest.fixture
def workdir(tmp_path: Path, httpserver: HTTPServer) -> Path:
    """Output generated from the live sources (lock written), then the feed changes upstream."""
    (tmp_path / "local.txt").write_text("4.4.4.0/24\n")
    (tmp_path / "policy.yaml").write_text(config_text(httpserver, [("ci", "feed")], file_feed=True))
    serve(httpserver, BEFORE_FEED)
    assert run(tmp_path) == 0
    serve(httpserver, AFTER_FEED)
    return tmp_path


def test_locked_check_uses_the_lock_and_fetches_nothing(
    workdir: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(workdir, "--check", "--locked-sources") == 0
    assert httpserver.log == []  # neither the feed nor the Netskope page was requested
    captured = capsys.readouterr()
    assert "up to date" in captured.out
    lock_path = workdir / "out" / LOCK_NAME
    for name in ("feed-ci", "netskope-shared"):
        assert f"note: {name}: " in captured.err
    assert f"as recorded in {lock_path} (--locked-sources: not fetched)" in captured.err
    # Without the flag the live feed is fetched and the committed output is stale.
    assert run(workdir, "--check") == 1
    assert any(request.path == "/feed" for request, _ in httpserver.log)
    assert "stale" in capsys.readouterr().err


def test_locked_generate_rewrites_the_same_output_and_says_where_cidrs_came_from(
    workdir: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(workdir / "out")
    capsys.readouterr()
    assert run(workdir, "--locked-sources") == 0
    assert httpserver.log == []
    assert files(workdir / "out") == before  # the lock is byte-identical too
    out = capsys.readouterr().out
    lock_path = workdir / "out" / LOCK_NAME
    feed_url = httpserver.url_for("/feed")
    assert (
        f"feed-ci: 2 CIDRs from {feed_url} as recorded in {lock_path} "
        "(--locked-sources: not fetched) (+0 -0)"
    ) in out
    assert "corporate: 1 CIDRs from config policy.yaml (+0 -0)" in out  # static: as always


def test_files_and_static_lists_still_resolve_under_locked_sources(
    workdir: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "local.txt").write_text("4.4.4.0/24\n5.5.5.0/24\n")
    capsys.readouterr()
    assert run(workdir, "--check", "--locked-sources") == 1
    err = capsys.readouterr().err
    assert "stale" in err and "--locked-sources" in err  # the command that regenerates it
    assert httpserver.log == []
    assert run(workdir, "--locked-sources") == 0
    lock = json.loads((workdir / "out" / LOCK_NAME).read_text())
    local = next(s for s in lock["sources"] if s["name"] == "feed-local")
    assert local["cidrs"] == ["4.4.4.0/24", "5.5.5.0/24"]
    ci = next(s for s in lock["sources"] if s["name"] == "feed-ci")
    assert ci["cidrs"] == ["8.8.8.0/24", "9.9.9.0/24"]  # still the recorded, not the live list
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("feeds", "missing"),
    [
        ([("ci", "feed"), ("new", "new-feed")], "feed-new"),  # feed added in the PR
        ([("ci", "moved/feed")], "feed-ci"),  # its URL changed
    ],
)
def test_url_source_missing_from_the_lock_is_exit_2_naming_it(
    workdir: Path,
    httpserver: HTTPServer,
    capsys: pytest.CaptureFixture[str],
    feeds: list[tuple[str, str]],
    missing: str,
) -> None:
    before = files(workdir / "out")
    (workdir / "policy.yaml").write_text(config_text(httpserver, feeds, file_feed=True))
    capsys.readouterr()
    for extra in (["--check"], []):
        assert run(workdir, *extra, "--locked-sources") == 2
        err = capsys.readouterr().err
        assert f"not recorded in the lock file: {missing} (" in err
        assert "without --locked-sources" in err and "refresh" in err
        assert "feed-ci (" not in err or missing == "feed-ci"  # only the missing one is named
    assert httpserver.log == []
    assert files(workdir / "out") == before


def test_netskope_page_locked_as_the_snapshot_is_not_a_match(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "policy.yaml").write_text(config_text(httpserver, []))
    assert run(tmp_path, "--offline") == 0  # the page URL fell back to the bundled snapshot
    capsys.readouterr()
    assert run(tmp_path, "--check", "--locked-sources") == 2
    err = capsys.readouterr().err
    assert (
        f"not recorded in the lock file: netskope-shared ({httpserver.url_for('/newedge')})" in err
    )
    assert httpserver.log == []


def test_matching_uses_the_redacted_url_so_a_rotated_secret_still_matches(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(httpserver, BEFORE_FEED)
    policy = tmp_path / "policy.yaml"
    policy.write_text(config_text(httpserver, [("ci", "feed?api_key=0ld-s3cret")]))
    assert run(tmp_path) == 0
    lock_text = (tmp_path / "out" / LOCK_NAME).read_text()
    assert "0ld-s3cret" not in lock_text and "feed?api_key=***" in lock_text
    policy.write_text(config_text(httpserver, [("ci", "feed?api_key=n3w-s3cret")]))
    serve(httpserver, AFTER_FEED)
    capsys.readouterr()
    assert run(tmp_path, "--check", "--locked-sources") == 0
    assert httpserver.log == []
    captured = capsys.readouterr()
    assert "s3cret" not in captured.out + captured.err


def test_no_lock_file_is_exit_2(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "policy.yaml").write_text(config_text(httpserver, [("ci", "feed")]))
    for command, extra in (("generate", ["--check"]), ("generate", []), ("sources", [])):
        assert run(tmp_path, *extra, "--locked-sources", command=command) == 2
        err = capsys.readouterr().err
        assert f"{tmp_path / 'out' / LOCK_NAME}: no lock file" in err
        assert "without --locked-sources" in err
    assert httpserver.log == []
    assert not (tmp_path / "out").exists()


def test_a_lock_entry_without_cidrs_is_refused(
    workdir: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workdir / "out" / LOCK_NAME
    lock = json.loads(path.read_text())
    next(s for s in lock["sources"] if s["name"] == "feed-ci")["cidrs"] = []
    path.write_text(json.dumps(lock))
    capsys.readouterr()
    assert run(workdir, "--check", "--locked-sources") == 2
    assert "records no CIDRs for it; refusing an empty zone" in capsys.readouterr().err


def test_sources_lists_the_locked_cidrs_with_their_provenance(
    workdir: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(workdir, "--locked-sources", "--json", command="sources") == 0
    document = json.loads(capsys.readouterr().out)
    by_name = {s["name"]: s for s in document["sources"]}
    lock_path = str(workdir / "out" / LOCK_NAME)
    assert by_name["feed-ci"]["locked_from"] == lock_path
    assert by_name["feed-ci"]["origin"] == httpserver.url_for("/feed")
    assert [c["cidr"] for c in by_name["feed-ci"]["cidrs"]] == ["8.8.8.0/24", "9.9.9.0/24"]
    assert by_name["netskope-shared"]["locked_from"] == lock_path
    assert by_name["corporate"]["locked_from"] is None
    assert by_name["feed-local"]["locked_from"] is None
    assert run(workdir, "--locked-sources", command="sources") == 0
    text = capsys.readouterr().out
    assert f"# feed-ci (feed-url, {httpserver.url_for('/feed')}, as recorded in {lock_path}" in text
    assert f"{lock_path} sources[" in text  # each CIDR's position in the lock
    assert httpserver.log == []
    # --out names another directory holding the lock
    (workdir / "out").rename(workdir / "elsewhere")
    assert run(workdir, "--locked-sources", command="sources") == 2
    capsys.readouterr()
    assert (
        run(workdir, "--locked-sources", "--out", str(workdir / "elsewhere"), command="sources")
        == 0
    )
    assert httpserver.log == []
