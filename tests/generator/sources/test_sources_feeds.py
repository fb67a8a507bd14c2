"""IP sources: URL/file feeds (lines, JSON pointer), fetch limits, content checks, Netskope."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.config import load_config
from generator.errors import InputError
from generator.settings import FeedConfig
from generator.sources import configured_sources, resolve_sources
from generator.sources import fetch as fetch_module
from generator.sources.base import UrlOrigin
from generator.sources.feed import FeedSource
from generator.sources.netskope import SNAPSHOT, NetskopeSharedSource, parse_page, snapshot
from generator.sources.secrets import redact_url


@pytest.fixture(autouse=True)
def quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_module, "TIMEOUT", (0.5, 0.5))
    monkeypatch.setattr(fetch_module, "BACKOFF_SECONDS", 0.01)


def url_feed(server: HTTPServer, **kwargs: object) -> FeedSource:
    return FeedSource(FeedConfig(name="ci", url=server.url_for("/feed"), **kwargs))  # type: ignore[arg-type]


def values(source: FeedSource) -> list[str]:
    return [c.value for c in source.resolve(offline=False).cidrs]


def failure(source: FeedSource, offline: bool = False) -> str:
    with pytest.raises(InputError) as info:
        source.resolve(offline=offline)
    return str(info.value)


def test_lines_feed_skips_blanks_and_comments(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(
        "# CI egress\n8.8.8.0/24\n\n  8.8.4.4  # resolver\n", content_type="text/plain"
    )
    result = url_feed(httpserver).resolve(offline=False)
    assert [c.value for c in result.cidrs] == ["8.8.8.0/24", "8.8.4.4"]
    assert result.cidrs[1].where == "line 4"
    assert result.origin == httpserver.url_for("/feed")
    assert result.name == "feed-ci"


def test_json_feed_with_pointer(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_json(
        {"zscaler.net": {"ips/v4": ["8.8.8.0/24", "1.1.1.0/24"]}, "other": ["9.9.9.9"]}
    )
    source = url_feed(httpserver, format="json", pointer="/zscaler.net/ips~1v4")
    assert values(source) == ["8.8.8.0/24", "1.1.1.0/24"]


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [("/missing", "matches nothing"), ("/other", "must select a list of CIDR strings")],
)
def test_json_pointer_problems(httpserver: HTTPServer, pointer: str, expected: str) -> None:
    httpserver.expect_request("/feed").respond_with_json({"other": {"a": 1}})
    assert expected in failure(url_feed(httpserver, format="json", pointer=pointer))


def test_html_error_page_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(
        "<!DOCTYPE html><html><body>Please sign in</body></html>", content_type="text/html"
    )
    assert "returned an HTML page" in failure(url_feed(httpserver))


@pytest.mark.parametrize(
    ("body", "fmt"), [("# nothing yet\n\n", "lines"), ("[]", "json"), ("", "lines")]
)
def test_empty_feed_is_an_error(httpserver: HTTPServer, body: str, fmt: str) -> None:
    httpserver.expect_request("/feed").respond_with_data(body)
    assert "lists no CIDRs" in failure(url_feed(httpserver, format=fmt))


def test_server_error_is_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/feed").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/feed").respond_with_data("8.8.8.0/24\n")
    assert values(url_feed(httpserver)) == ["8.8.8.0/24"]


def test_client_error_is_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/feed").respond_with_data("no", status=404)
    assert "HTTP 404" in failure(url_feed(httpserver))


def test_persistent_server_error_gives_up(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data("down", status=500)
    assert f"HTTP 500 after {fetch_module.ATTEMPTS} attempts" in failure(url_feed(httpserver))
    assert len(httpserver.log) == fetch_module.ATTEMPTS


def test_timeout_is_an_error(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_module, "TIMEOUT", (0.5, 0.2))
    monkeypatch.setattr(fetch_module, "ATTEMPTS", 2)

    def slow(_request: Request) -> Response:
        time.sleep(0.6)
        return Response("8.8.8.0/24\n")

    httpserver.expect_request("/feed").respond_with_handler(slow)
    assert "timed out" in failure(url_feed(httpserver))


def test_oversized_response_refused(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_module, "MAX_BYTES", 64)
    httpserver.expect_request("/feed").respond_with_data("8.8.8.0/24\n" * 20)
    assert "larger than 64 bytes" in failure(url_feed(httpserver))


def test_url_feed_refused_offline(httpserver: HTTPServer) -> None:
    message = failure(url_feed(httpserver), offline=True)
    assert "feed-ci" in message and "--offline" in message
    assert len(httpserver.log) == 0


def test_file_feed_works_offline(tmp_path: Path) -> None:
    path = tmp_path / "ci.txt"
    path.write_text("8.8.8.0/24\n")
    result = FeedSource(FeedConfig(name="ci", file=path), "ci.txt").resolve(offline=True)
    assert [c.value for c in result.cidrs] == ["8.8.8.0/24"]
    assert result.origin == "ci.txt"


def test_missing_file_feed_is_an_error(tmp_path: Path) -> None:
    source = FeedSource(FeedConfig(name="ci", file=tmp_path / "gone.txt"), "gone.txt")
    assert "feed-ci (gone.txt): cannot read" in failure(source)


PAGE = """<html><head><title>NewEdge IP Ranges for Allowlisting</title></head><body>
<h1>Netskope Help</h1><p>Client example: 10.0.0.0/8 and 203.0.113.1</p>
<h2 id="x">NewEdge IP Ranges for
  <em>Allowlisting</em></h2>
<p>Add these to your allowlist (updated in version 2.1.0.4, see 10.1.2.0/24):</p>
<table><tr><td>8.36.116.0/24</td><td>8.39.144.0/24</td></tr></table>
<ul><li>31.186.239.0/24</li><li>162.10.0.0/17</li></ul>
<h3>Notes</h3><ul><li>163.116.128.0/17 (updated 10:30)</li></ul>
<h2>Related</h2><ul><li>1.1.1.0/24</li></ul></body></html>"""


def test_page_parser_reads_only_the_allowlisting_section() -> None:
    found = [c.value for c in parse_page(PAGE, "page.html")]
    assert found == list(SNAPSHOT)


def test_page_parser_reads_list_and_table_items_not_prose() -> None:
    """A version number in a sentence ("Updated in version 2.1.0.4") is not an address."""
    html = (
        "<h2>NewEdge IP Ranges for Allowlisting</h2><p>Updated in version 2.1.0.4.</p>"
        "<ul><li>8.36.116.0/24</li></ul><pre>8.39.144.0/24\n31.186.239.0/24</pre>"
        "<dl><dt>range</dt><dd>162.10.0.0/17</dd></dl><p>Also 163.116.128.0/17.</p><h2>x</h2>"
    )
    assert [c.value for c in parse_page(html, "p")] == [*SNAPSHOT[:4]]


def test_page_differing_from_the_snapshot_is_noted(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_text(PAGE.replace("162.10.0.0/17", "192.0.2.0/24"))
    result = NetskopeSharedSource(str(saved), shown="page.html").resolve(offline=True)
    assert result.note is not None
    assert "differ from the bundled snapshot" in result.note
    assert "added 192.0.2.0/24; removed 162.10.0.0/17" in result.note
    assert "2 address-like word(s) in the section's prose were not read" in result.note


def test_page_without_section_or_cidrs_is_an_error() -> None:
    with pytest.raises(InputError, match="no 'NewEdge IP Ranges for Allowlisting' heading"):
        parse_page("<h1>Netskope</h1><p>8.36.116.0/24</p>", "page.html")
    with pytest.raises(InputError, match="lists no CIDRs"):
        parse_page("<h2>NewEdge IP Ranges for Allowlisting</h2><p>soon</p><h2>x</h2>", "p")


def test_netskope_snapshot_and_offline_page_url() -> None:
    assert [c.value for c in snapshot().cidrs] == list(SNAPSHOT)
    result = NetskopeSharedSource("https://docs.example/newedge", True).resolve(offline=True)
    assert [c.value for c in result.cidrs] == list(SNAPSHOT)
    assert result.as_proxies is True
    assert result.note is not None and "snapshot" in result.note


def test_netskope_page_from_url_and_file(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/newedge").respond_with_data(PAGE, content_type="text/html")
    online = NetskopeSharedSource(httpserver.url_for("/newedge")).resolve(offline=False)
    saved = tmp_path / "page.html"
    saved.write_text(PAGE)
    offline = NetskopeSharedSource(str(saved), shown="page.html").resolve(offline=True)
    assert [c.value for c in online.cidrs] == [c.value for c in offline.cidrs] == list(SNAPSHOT)
    assert offline.origin == "page.html" and offline.kind == "netskope-page"


SENTENCE_PAGE = """<h2>NewEdge IP Ranges for Allowlisting</h2>
<ul><li>Allow 8.36.116.0/24, 8.39.144.0/24 and (31.186.239.0/24); 162.10.0.0/17:
see below. Also 163.116.128.0/17.</li></ul><h2>Next</h2>"""


def test_page_parser_keeps_cidrs_next_to_punctuation() -> None:
    assert [c.value for c in parse_page(SENTENCE_PAGE, "page.html")] == list(SNAPSHOT)


@pytest.mark.parametrize("text", ["Ranges:163.116.128.0/17", "8.36.116.0.1/24", "1.2.3.0/24/25"])
def test_page_parser_refuses_address_like_text_it_cannot_read(text: str) -> None:
    html = f"<h2>NewEdge IP Ranges for Allowlisting</h2><ul><li>8.36.116.0/24 {text}</li></ul>"
    with pytest.raises(InputError, match="looks like an address but is not one CIDR"):
        parse_page(html, "page.html")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pa55@feed.example/ips", "https://user:***@feed.example/ips"),
        ("https://t0ken@feed.example/ips", "https://***@feed.example/ips"),
        (
            "https://feed.example/ips?api_key=k3y&format=json",
            "https://feed.example/ips?api_key=***&format=***",
        ),
        ("https://feed.example/ips?t0ken", "https://feed.example/ips?***"),
        ("https://feed.example/ips", "https://feed.example/ips"),
    ],
)
def test_redact_url_masks_userinfo_and_query_values(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_credentials_in_a_url_never_reach_origin_or_errors(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed", query_string="api_key=k3y").respond_with_data("8.8.8.0/24\n")
    base = httpserver.url_for("/feed").replace("://", "://me:s3cret@")
    result = FeedSource(FeedConfig(name="ci", url=f"{base}?api_key=k3y")).resolve(offline=False)
    assert result.origin == f"{redact_url(base)}?api_key=***"
    assert "s3cret" not in result.origin and "k3y" not in result.cidrs[0].describe()
    httpserver.clear()
    httpserver.expect_request("/feed").respond_with_data("no", status=403)
    message = failure(FeedSource(FeedConfig(name="ci", url=f"{base}?api_key=k3y")))
    assert "HTTP 403" in message and "s3cret" not in message and "k3y" not in message


def test_bad_url_error_is_scrubbed() -> None:
    source = FeedSource(FeedConfig(name="ci", url="https://me:s3cret@bad host.example/?k=v4lue"))
    message = failure(source)
    assert "feed-ci" in message and "s3cret" not in message and "v4lue" not in message


def test_urllib3_debug_log_is_scrubbed(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/feed").respond_with_data("8.8.8.0/24\n")
    caplog.set_level(logging.DEBUG)
    # The okta SDK (another test's import) sets the urllib3 logger to WARNING: set it here too.
    caplog.set_level(logging.DEBUG, logger="urllib3")
    FeedSource(FeedConfig(name="ci", url=httpserver.url_for("/feed") + "?api_key=k3y")).resolve(
        offline=False
    )
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("urllib3"))
    assert "GET /feed?api_key=***" in ours  # (the test server's own access log is not ours)
    assert "k3y" not in ours


def header_feed(server: HTTPServer) -> FeedSource:
    config = FeedConfig(
        name="prisma",
        url=server.url_for("/feed"),
        headers=(("header-api-key", "PRISMA_API_KEY"),),
    )
    return FeedSource(config)


def test_feed_headers_come_from_the_environment(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRISMA_API_KEY", "pr1sma-secret")
    httpserver.expect_request(
        "/feed", headers={"header-api-key": "pr1sma-secret"}
    ).respond_with_data("8.8.8.0/24\n")
    result = header_feed(httpserver).resolve(offline=False)
    assert [c.value for c in result.cidrs] == ["8.8.8.0/24"]
    assert "pr1sma-secret" not in repr(result)


def test_missing_header_variable_names_feed_and_variable(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PRISMA_API_KEY", raising=False)
    message = failure(header_feed(httpserver))
    assert "feed-prisma" in message and "PRISMA_API_KEY" in message and "not set" in message
    assert len(httpserver.log) == 0
    monkeypatch.setenv("PRISMA_API_KEY", "pr1sma\nsecret")
    message = failure(header_feed(httpserver))
    assert "PRISMA_API_KEY" in message and "line break" in message
    assert "pr1sma" not in message and len(httpserver.log) == 0


def test_feed_with_headers_does_not_follow_redirects(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRISMA_API_KEY", "pr1sma-secret")
    httpserver.expect_request("/feed").respond_with_data(
        "", status=302, headers={"Location": "https://elsewhere.example/x?sig=abc"}
    )
    message = failure(header_feed(httpserver))
    assert "HTTP 302 redirect to https://elsewhere.example/x?sig=***" in message
    assert len(httpserver.log) == 1


class Drip:
    """A local HTTP server that sends its answer one byte at a time (a stuck or hostile feed)."""

    def __init__(self, phase: str, seconds: float) -> None:
        self.finished = threading.Event()
        drip = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = b"8.8.8.0/24\n" * 4
                head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
                slow, fast = (head, b"") if phase == "headers" else (b"", head)
                try:
                    self.wfile.write(fast)
                    for index in range(len(slow + body)):
                        self.wfile.write((slow + body)[index : index + 1])
                        self.wfile.flush()
                        time.sleep(seconds / len(slow + body))
                    drip.finished.set()
                except OSError:
                    pass  # the client gave up, as it should

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/feed"

    def __enter__(self) -> Drip:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def one_attempt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(fetch_module, "ATTEMPTS", 1)
    yield


@pytest.mark.parametrize("phase", ["body", "headers"])
def test_a_dripping_server_hits_the_attempt_deadline(phase: str, one_attempt: None) -> None:
    with Drip(phase, seconds=3.0) as server:
        source = FeedSource(FeedConfig(name="slow", url=server.url, timeout_seconds=0.3))
        message = failure(source)
        assert not server.finished.is_set()  # the answer was still arriving: the deadline cut it
    assert "feed-slow" in message
    assert "no complete response within the 0.3 s deadline after 1 attempts" in message


def test_a_slow_but_complete_answer_within_the_deadline_is_read(one_attempt: None) -> None:
    with Drip("body", seconds=0.2) as server:
        source = FeedSource(FeedConfig(name="slow", url=server.url, timeout_seconds=10))
        assert [c.value for c in source.resolve(offline=False).cidrs] == ["8.8.8.0/24"] * 4


def test_netskope_page_url_is_recorded_redacted(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/newedge", query_string="token=t0k3n").respond_with_data(
        PAGE, content_type="text/html"
    )
    url = httpserver.url_for("/newedge") + "?token=t0k3n"
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        f"version: 1\negress:\n  netskope: {{page: '{url}'}}\n"
        "okta:\n  break_glass: {users: [breakglass@example.com]}\n"
    )
    [source] = configured_sources(load_config(policy))
    [result] = resolve_sources(load_config(policy), offline=False)
    shown = httpserver.url_for("/newedge") + "?token=***"
    assert result.origin == shown and result.kind == "netskope-page"
    assert source.url_origin() == UrlOrigin("netskope-page", shown)  # what --locked-sources finds
    assert "t0k3n" not in result.cidrs[0].describe()
