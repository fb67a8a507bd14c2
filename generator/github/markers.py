"""HTML-comment markers that let the commands find their own comments and issues again."""

from __future__ import annotations

import re

MAX_BODY_CHARS = 65_000  # GitHub refuses comment and issue bodies over 65,536 characters
TRUNCATION_NOTE = "\n\n…(truncated: the full text is in the workflow run's job summary)\n"


def marker(key: str, **attributes: str) -> str:
    """`<!-- egress-guard:KEY a=b -->`; keys and values must not contain spaces or `-->`."""
    for text in (key, *attributes.values()):
        if not re.fullmatch(r"[A-Za-z0-9_.:=+/-]+", text) or "--" in text:
            raise ValueError(f"marker text {text!r} must be one word of [A-Za-z0-9_.:=+/-]")
    extra = "".join(f" {name}={value}" for name, value in sorted(attributes.items()))
    return f"<!-- egress-guard:{key}{extra} -->"


def has_marker(body: str | None, key: str) -> bool:
    """True when `body` starts with our marker (a quoted copy in someone's reply does not)."""
    pattern = rf"\s*<!-- egress-guard:{re.escape(key)}[ ]"
    return bool(body) and re.match(pattern, str(body)) is not None


def marker_attribute(body: str | None, key: str, name: str) -> str | None:
    pattern = rf"\s*<!-- egress-guard:{re.escape(key)} [^>]*\b{re.escape(name)}=(\S+)"
    found = re.match(pattern, body or "")
    return found.group(1) if found else None


def with_marker(text: str, mark: str) -> str:
    """The body GitHub will store: marker first (so truncation never cuts it), text capped."""
    budget = MAX_BODY_CHARS - len(mark) - len(TRUNCATION_NOTE) - 1
    if len(text) > budget:
        text = text[:budget] + TRUNCATION_NOTE
    return f"{mark}\n{text}"
