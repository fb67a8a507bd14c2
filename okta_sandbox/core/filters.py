"""The SCIM-like `filter`/`search` expressions Okta list endpoints accept, e.g.
`usage eq "POLICY" and (id eq "nzo1" or system eq true)`, `profile.login sw "alice"`."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

from okta_sandbox.core.errors import OktaError

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(
    r'\s*(?:(?P<lp>\()|(?P<rp>\))|"(?P<str>(?:[^"\\]|\\.)*)"|(?P<word>[A-Za-z0-9_.\-:+]+))'
)
_OPS = {"eq", "ne", "sw", "co", "ew", "gt", "ge", "lt", "le", "pr"}


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise OktaError("E0000031", causes=[f"Invalid filter near: {text[pos : pos + 20]}"])
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _lookup(item: Any, path: list[str]) -> list[Any]:
    if not path:
        return item if isinstance(item, list) else [item]
    if isinstance(item, list):
        return [value for element in item for value in _lookup(element, path)]
    if isinstance(item, dict) and path[0] in item:
        return _lookup(item[path[0]], path[1:])
    return []


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if isinstance(actual, bool) or actual is None:
        return False
    text, wanted = str(actual), str(expected)
    if op == "sw":
        return text.lower().startswith(wanted.lower())
    if op == "co":
        return wanted.lower() in text.lower()
    if op == "ew":
        return text.lower().endswith(wanted.lower())
    ordered = {"gt": text > wanted, "ge": text >= wanted, "lt": text < wanted, "le": text <= wanted}
    return ordered[op]


class _Equals:
    """`attribute eq "text"`: kept apart so that a long or-chain of them on one attribute
    (`id eq "a" or id eq "b" ...`, how clients look up users by id) is one set lookup per item
    instead of a scan of the chain."""

    def __init__(self, path: list[str], expected: str) -> None:
        self.path = path
        self.expected = expected

    def __call__(self, item: dict[str, Any]) -> bool:
        return any(value == self.expected for value in _lookup(item, self.path))


class _OneOf:
    """An or-chain of `_Equals` on one attribute: one set lookup per item."""

    def __init__(self, path: list[str], wanted: frozenset[str]) -> None:
        self.path = path
        self.wanted = wanted

    def __call__(self, item: dict[str, Any]) -> bool:
        return any(isinstance(v, str) and v in self.wanted for v in _lookup(item, self.path))


def _any_of(terms: list[Predicate]) -> Predicate:
    equals = [term for term in terms if isinstance(term, _Equals)]
    if len(equals) == len(terms) and len({tuple(term.path) for term in equals}) == 1:
        return _OneOf(equals[0].path, frozenset(term.expected for term in equals))
    return lambda item: any(term(item) for term in terms)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], fields: Collection[str] | None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.fields = fields

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise OktaError("E0000031", causes=["Unexpected end of filter expression"])
        self.pos += 1
        return token

    def expression(self) -> Predicate:
        terms = [self.term()]
        while (token := self.peek()) is not None and token == ("word", "or"):
            self.pos += 1
            terms.append(self.term())
        if len(terms) == 1:
            return terms[0]
        return _any_of(terms)

    def term(self) -> Predicate:
        factors = [self.factor()]
        while (token := self.peek()) is not None and token == ("word", "and"):
            self.pos += 1
            factors.append(self.factor())
        if len(factors) == 1:
            return factors[0]
        return lambda item: all(factor(item) for factor in factors)

    def factor(self) -> Predicate:
        kind, value = self.take()
        if kind == "lp":
            inner = self.expression()
            if self.take()[0] != "rp":
                raise OktaError("E0000031", causes=["Unbalanced parentheses in filter"])
            return inner
        if kind != "word":
            raise OktaError("E0000031", causes=[f"Expected an attribute name, got {value!r}"])
        if self.fields is not None and value not in self.fields:
            raise OktaError("E0000031", causes=[f"Filtering on '{value}' is not supported"])
        path = value.split(".")
        op_kind, op = self.take()
        if op_kind != "word" or op not in _OPS:
            raise OktaError("E0000031", causes=[f"Unsupported operator {op!r}"])
        if op == "pr":
            return lambda item: any(v is not None for v in _lookup(item, path))
        expected = self.literal()
        if op == "eq" and isinstance(expected, str):
            return _Equals(path, expected)
        return lambda item: any(_compare(op, v, expected) for v in _lookup(item, path))

    def literal(self) -> Any:
        kind, value = self.take()
        if kind == "str":
            return value.replace('\\"', '"')
        if kind == "word" and value in ("true", "false"):
            return value == "true"
        if kind == "word" and value == "null":
            return None
        if kind == "word" and re.fullmatch(r"-?\d+", value):
            return int(value)
        raise OktaError("E0000031", causes=[f"Invalid literal {value!r}"])


def compile_filter(text: str, fields: Collection[str] | None = None) -> Predicate:
    """Parse `text`; `fields` limits the attributes allowed (Okta supports few per endpoint)."""
    parser = _Parser(_tokenize(text), fields)
    predicate = parser.expression()
    if parser.peek() is not None:
        raise OktaError("E0000031", causes=[f"Unexpected token {parser.peek()[1]!r}"])  # type: ignore[index]
    return predicate


def wanted_ids(text: str | None) -> frozenset[str] | None:
    """The only ids `text` can match (`id eq "a"`, or an or-chain of them), else None: a list
    endpoint may then look its items up by id instead of testing every one."""
    if not text:
        return None
    predicate = compile_filter(text)
    if isinstance(predicate, _Equals) and predicate.path == ["id"]:
        return frozenset({predicate.expected})
    if isinstance(predicate, _OneOf) and predicate.path == ["id"]:
        return predicate.wanted
    return None


def select(
    items: list[dict[str, Any]], text: str | None, fields: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """The `items` the filter expression `text` matches; all of them when there is none."""
    if not text:
        return items
    predicate = compile_filter(text, fields)
    return [item for item in items if predicate(item)]
