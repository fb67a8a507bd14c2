"""The one place where untrusted text becomes safe to show: GitHub-flavoured Markdown, SARIF
messages and plain terminal text.

Untrusted means anything this tool did not write itself: names of rules, policies, zones, groups
and users read from the live org, System Log actors, config values (group names, logins, feed
URLs), values from a Terraform plan. A rogue admin who names a rule
``</details><img src=x> @security-team [login](https://evil.example)`` must get exactly that text
shown, and nothing rendered, pinged or linked.

- :func:`md_text` for prose, headings, list items and table cells: every Markdown and HTML
  special character is backslash-escaped (CommonMark lets any ASCII punctuation be escaped), and
  the constructs GitHub recognises after rendering (``@mentions``, ``#123`` references, bare
  ``https://`` and ``www.`` autolinks) are broken with a zero-width space.
- :func:`md_code` for an inline code span: a backtick fence longer than any run inside, padding
  where CommonMark needs it, ``|`` escaped in table cells (GFM unescapes it there).
- :func:`one_line` for plain text (terminal, logs): control, line-break and bidirectional
  formatting characters neutralised, length capped.
- :func:`sarif_text` for SARIF ``message.text`` (plain text with embedded-link brackets, which
  SARIF §3.11.6 escapes with a backslash).

Every function takes one value, makes it one line and truncates it (``…``) before escaping, so
an escape sequence is never cut and no value can flood a comment.
"""

from __future__ import annotations

import re
import unicodedata

# Longest untrusted value shown: Okta names are at most 255 characters (its spec), and a
# finding's message quotes up to two of them.
MAX_CHARS = 640
ZWSP = "&#8203;"  # zero-width space as an entity: visible in the raw text, invisible rendered
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
# Bidirectional overrides and isolates (Trojan Source): they reorder what a reviewer sees.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Escaped everywhere: emphasis, code spans, links and images (the brackets: without them
# "(" and "!" mean nothing), raw HTML and entities, table cells, strikethrough, math, escapes.
_ALWAYS = frozenset("\\`*_[]<|~$&")
# Special only as the first character of a line: list items, headings, block quotes.
_LEADING = frozenset("-+=#>")
# Where GitHub's post-rendering filters would link or ping: a zero-width space goes at the end of
# each match. @user and @org/team (not an e-mail address), #123 and owner/repo#123 references,
# scheme:// and www. autolinks.
_BREAKS = (
    re.compile(r"(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])"),
    re.compile(r"#(?=[0-9])"),
    re.compile(r"[A-Za-z0-9](?=://)"),
    re.compile(r"(?i)(?<![A-Za-z0-9])www(?=\.)"),
)
_ORDERED = re.compile(r" *[0-9]{1,9}(?=[.)]( |$))")  # "1. " or "1)" starting a line: a list


def _clean_char(char: str) -> str:
    if char in _LINE_BREAKS:
        return " "
    if char in _BIDI or unicodedata.category(char) in ("Cc", "Cs", "Co"):
        return REPLACEMENT
    return char


def one_line(value: object, limit: int = MAX_CHARS) -> str:
    """`value` as one line of plain text: no control, line-break or bidi characters (a line
    break becomes a space, the others U+FFFD), at most `limit` characters (``…`` marks a cut)."""
    text = "".join(_clean_char(char) for char in str(value))
    if len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def md_text(value: object, limit: int = MAX_CHARS) -> str:
    """`value` as literal text anywhere inline in GitHub Markdown (also a table cell)."""
    text = one_line(value, limit)
    breaks = {match.end() for pattern in _BREAKS for match in pattern.finditer(text)}
    escape = {i for i, char in enumerate(text) if char in _ALWAYS}
    first = len(text) - len(text.lstrip(" "))
    if text[first : first + 1] in _LEADING and first < len(text):
        escape.add(first)
    ordered = _ORDERED.match(text)
    if ordered:
        escape.add(ordered.end())
    out: list[str] = []
    for index, char in enumerate(text):
        if index in breaks:
            out.append(ZWSP)
        if index < first:  # leading spaces: an entity never indents a code block
            out.append("&#32;")
        else:
            out.append("\\" + char if index in escape else char)
    return "".join(out)


def md_code(value: object, limit: int = MAX_CHARS, table: bool = False) -> str:
    """`value` as an inline code span (nothing inside is rendered, mentioned or linked).
    `table=True` when the span sits in a table cell, where GFM needs ``|`` escaped."""
    text = one_line(value, limit)
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.strip(" ") and (text[0] in "` " or text[-1] in "` "):  # CommonMark strips one
        text = f" {text} "
    if table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def sarif_text(value: object, limit: int = MAX_CHARS) -> str:
    """`value` inside a SARIF plain-text message: one line, brackets escaped (SARIF 2.1.0
    §3.11.6: ``[text](id)`` would be an embedded link)."""
    return re.sub(r"\\(?=[\[\]])|[\[\]]", lambda m: "\\" + m.group(0), one_line(value, limit))
