"""Keep feed credentials out of everything egress-guard shows or stores.

A feed URL may carry a secret in its userinfo (`https://user:pass@host/`) or its query string
(`?api_key=...`). Every URL that is printed, written to the lock file or put in an error message
goes through `redact_url`; error texts from the HTTP stack go through `scrub`, which replaces
each secret value wherever it appears. Feed headers (`egress.feeds[].headers`) name environment
variables; their values only ever exist in memory for the request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

MASK = "***"
# A URL as it appears inside a message: up to whitespace or the quote that ends a repr/JSON string.
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def redact_url(url: str) -> str:
    """`url` with the userinfo password (or a bare userinfo token) and every query value masked."""
    try:
        parts = urlsplit(url)
        username, password = parts.username, parts.password
    except ValueError:  # unparsable (a bad port, brackets): show nothing that could be secret
        return url.split("://", 1)[0] + "://" + MASK if "://" in url else MASK
    netloc = parts.netloc
    if "@" in netloc:
        host = netloc.rsplit("@", 1)[1]
        userinfo = f"{quote(username or '', safe='')}:{MASK}" if password is not None else MASK
        netloc = f"{userinfo}@{host}"
    query = parts.query
    if query:
        pairs = query.split("&")
        query = "&".join(_masked_pair(pair) for pair in pairs)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_urls_in(text: str) -> str:
    """`text` with every URL in it redacted: for messages that quote configured values."""
    return _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)), text)


def _masked_pair(pair: str) -> str:
    if "=" in pair:
        return f"{pair.split('=', 1)[0]}={MASK}"
    return MASK if pair else pair  # a bare `?token` may itself be the secret


def url_secrets(url: str) -> list[str]:
    """The secret parts of `url` (userinfo, query values), raw and percent-decoded."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    found: list[str] = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        found += [userinfo, *userinfo.split(":", 1)]
        found += [p for p in (parts.username, parts.password) if p]
    for pair in parts.query.split("&"):
        found.append(pair.split("=", 1)[1] if "=" in pair else pair)
    found += [value for _, value in parse_qsl(parts.query, keep_blank_values=True)]
    return found


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every non-empty secret replaced by the mask, longest first."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
