"""generator.report.markdown_safe: hostile text renders as the same text, never as Markdown or
HTML structure, a mention, a reference or a link (checked with a CommonMark + GFM-tables parser,
markdown-it-py, and against golden files of hostile reports)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from paths import DATA
from report_samples import HOSTILE_ACTOR, HOSTILE_NAME, HOSTILE_REPORT, HOSTILE_VALUE

from generator import __version__
from generator.report.drift_format import RenderContext
from generator.report.drift_render import DRIFT_FORMATS
from generator.report.markdown_safe import MAX_CHARS, md_code, md_text, one_line, sarif_text
from generator.report.plan import (
    AttributeChange,
    PlanSummary,
    Preflight,
    PreflightCheck,
    ResourceChange,
    SourceChange,
    ZoneChange,
)
from generator.report.plan_markdown import render_markdown

GOLDEN = DATA / "golden"
MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
HOSTILE = [
    HOSTILE_NAME,
    HOSTILE_VALUE,
    HOSTILE_ACTOR,
    "</details>",
    "<!-- hide the rest",
    "```\nfenced\n```",
    "~~~",
    "a | b || c",
    "a\\|b\\\\|c",
    "# Heading",
    "> quote",
    "- item",
    "+ item",
    "1. item",
    "2) item",
    "    indented code",
    "===",
    "---",
    "***bold italic***",
    "__under__ _score_",
    "[link](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "<https://evil.example>",
    "https://evil.example/login",
    "www.evil.example",
    "ping @octocat and @acme/security-team",
    "org/repo#12 and #34 and GH-5",
    "$$x^2$$ and $y$",
    "&lt;img src=x&gt; &#64;octocat",
    "[^note] [ ] [x]",
    "trailing backslash \\",
    "`code` ``double``",
    "tab\there\r\nand\u2028line",
]
# What GitHub's post-rendering filters turn into a mention, a reference or an autolink.
MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9]")
REFERENCE = re.compile(r"#[0-9]")
AUTOLINK = re.compile(r"(?i)[a-z0-9]://|(?<![a-z0-9])www\.")


def _text_of(children: list[Token]) -> str:
    """The literal text of an inline token's children, refusing any structure."""
    kinds = {child.type for child in children}
    assert kinds <= {"text", "softbreak"}, kinds
    assert "softbreak" not in kinds
    return "".join(child.content for child in children)


def _inline(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.type == "inline"]


def _assert_inert(rendered_text: str) -> None:
    assert not MENTION.search(rendered_text), rendered_text
    assert not REFERENCE.search(rendered_text), rendered_text
    assert not AUTOLINK.search(rendered_text), rendered_text


def _check_text(value: str) -> None:
    expected = one_line(value)
    # Alone on a line (blocks: headings, lists, quotes, code), inside a paragraph, in a table cell.
    for source, before, after in (
        (md_text(value) + " end", "", " end"),
        ("start " + md_text(value) + " end", "start ", " end"),
        ("| a | b |\n|---|---|\n| x | " + md_text(value) + " end |", "", " end"),
    ):
        tokens = MD.parse(source)
        assert tokens[0].type in ("paragraph_open", "table_open"), (source, tokens[0].type)
        inline = _inline(tokens)
        cell = inline[-1]
        if tokens[0].type == "table_open":
            assert len(inline) == 4, source  # two header cells, two body cells: no new column
        rendered = _text_of(cell.children or [])
        _assert_inert(rendered)
        want = before + expected + after
        assert rendered.replace("\u200b", "") == (want if expected else want.strip()), source


def _check_code(value: str) -> None:
    expected = one_line(value)
    for source, table in ((f"x {md_code(value)} y", False),
                          ("| a | b |\n|---|---|\n| x | " + md_code(value, table=True) + " |",
                           True)):  # fmt: skip
        if not expected:
            assert md_code(value) == ""
            continue
        inline = _inline(MD.parse(source))
        if table:
            assert len(inline) == 4, source
        children = inline[-1].children or []
        codes = [c for c in children if c.type == "code_inline"]
        assert len(codes) == 1, source
        assert {c.type for c in children} <= {"text", "code_inline"}
        assert codes[0].content == expected, source


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_renders_as_the_same_text(value: str) -> None:
    _check_text(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_in_a_code_span_is_one_code_span(value: str) -> None:
    _check_code(value)


MARKDOWNISH = st.lists(
    st.sampled_from(
        [*list("\\`*_[]()<>|~$&!#{}-+=.:/@ \t\nabwhtps019"), "www.", "https://", "</details>"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_any_text_renders_as_itself(value: str) -> None:
    _check_text(value)
    _check_code(value)


def test_one_line_neutralises_controls_and_caps_the_length() -> None:
    assert one_line("a\nb\tc\r\u2028d") == "a b c  d"
    assert one_line("x\x1b[2Jy\u202ez\x00") == "x\ufffd[2Jy\ufffdz\ufffd"
    long = one_line("x" * 5000)
    assert len(long) == MAX_CHARS and long.endswith("…")
    assert len(md_text("<" * 5000)) <= 2 * MAX_CHARS  # capped before escaping


def test_sarif_text_escapes_embedded_link_brackets() -> None:
    assert sarif_text("[login](1) \\[x]\nnext") == "\\[login\\](1) \\\\\\[x\\] next"


def test_emails_stay_readable() -> None:
    assert md_text("mallory@example.com") == "mallory@example.com"
    assert md_text("198.51.100.9") == "198.51.100.9"


def _golden(name: str, rendered: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("EGRESS_GUARD_UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def _assert_no_markup(markdown: str, allowed_html: set[str]) -> None:
    """Only our own HTML (details/summary), no link or image, no hostile text unescaped."""
    tokens = MD.parse(markdown)
    html = [t.content.strip() for t in tokens if t.type == "html_block"]
    for token in _inline(tokens):
        for child in token.children or []:
            assert child.type not in ("link_open", "image", "s_open", "em_open"), child
            if child.type == "html_inline":
                html.append(child.content)
            if child.type == "text":
                _assert_inert(child.content)
    assert set(html) <= allowed_html, html
    for raw in ("\x1b", "\u202e"):
        assert raw not in markdown


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("markdown", "md"), ("sarif", "sarif"), ("text", "txt")]
)
def test_hostile_drift_report_matches_its_golden_file(fmt: str, suffix: str) -> None:
    rendered = DRIFT_FORMATS[fmt].render(HOSTILE_REPORT, RenderContext(Path("/nonexistent")))
    _golden(f"drift-hostile.{suffix}", rendered.replace(__version__, "VERSION"))
    if fmt == "markdown":
        _assert_no_markup(
            rendered,
            {
                "<details><summary>Recent System Log events</summary>",
                "</details>",
            },
        )
        # The heading keeps its own line: the hostile name cannot start a new block.
        assert [t.tag for t in MD.parse(rendered) if t.type == "heading_open"].count("h4") == 2
    if fmt == "sarif":
        sarif = json.loads(rendered)
        for result in sarif["runs"][0]["results"]:
            text = result["message"]["text"]
            assert "\x1b" not in text and "](" not in text.replace("\\](", "")
            assert all(len(line) <= MAX_CHARS + 10 for line in text.splitlines())
    if fmt == "text":
        assert "\x1b" not in rendered and "\u202e" not in rendered
        # Every line is ours: no hostile text starts a line (a CI runner's "::" commands).
        assert all(line == "" or not line.startswith(("#", "::", "`")) for line in
                   rendered.splitlines()[1:])  # fmt: skip


HOSTILE_PLAN = PlanSummary(
    checksum="sha256:abc",
    terraform_version="1.15.0",
    errored=False,
    counts={"add": 0, "change": 1, "destroy": 1},
    zones=(
        ZoneChange(
            address="module.egress_guard.okta_network_zone.feed_x_01",
            key="feed_x_01",
            name=HOSTILE_NAME,
            group=HOSTILE_VALUE,
            action="delete",
            gateways_removed=("203.0.113.0/24",),
        ),
    ),
    sources=(
        SourceChange(
            group=HOSTILE_VALUE,
            added=("198.51.100.0/24",),
            removed=(),
            zones=(HOSTILE_NAME,),
            provenance={"198.51.100.0/24": (f"feed-x ({HOSTILE_VALUE})",)},
            origin="feed-url: https://evil.example/`x`",
        ),
    ),
    resources=(
        ResourceChange(
            address="module.egress_guard.okta_policy_rule_signon.admins_allow_trusted",
            type="okta_policy_rule_signon",
            key="admins_allow_trusted",
            action="update",
            display_name=HOSTILE_NAME,
            attributes=(AttributeChange("name", f'"{HOSTILE_NAME}"', '"egress-guard allow"'),),
        ),
    ),
    preflight=Preflight(
        ok=False,
        checks=(PreflightCheck(HOSTILE_VALUE, False, HOSTILE_ACTOR),),
        notes=(HOSTILE_NAME,),
    ),
)


def test_hostile_plan_summary_matches_its_golden_file() -> None:
    rendered = render_markdown(HOSTILE_PLAN)
    _golden("plan-hostile.md", rendered)
    _assert_no_markup(
        rendered,
        {
            "<details><summary>CIDRs added and removed</summary>",
            "<details><summary>Attribute changes</summary>",
            "</details>",
        },
    )
