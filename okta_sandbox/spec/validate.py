"""Check responses and request bodies against Okta's OpenAPI spec, discriminators included.

Works on the extract `spec_extract` builds from the spec (`specsource` finds the spec and caches
the extract): JSON Schema draft 7 where each discriminator dispatches on its property value to
the mapped subtype, so the fields that matter (gateways, proxies, conditions, actions...) are
validated, not only the base fields. The only tolerated mismatches are listed in `spec_exceptions`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from okta_sandbox.spec import exceptions as spec_exceptions
from okta_sandbox.spec.extract import template_pattern

URI = "urn:okta-management-spec"
NO_BODY: Any = object()  # marks a response without a body (None is JSON null)
MEMO_LIMIT = 200_000  # checked bodies remembered per process
# (path in the object, field, why) of each mismatch no tolerance covers
Untolerated = list[tuple[tuple[str | int, ...], str, str]]


@dataclass(frozen=True)
class Problem:
    """One mismatch: where in the body (`/0/gateways`), the field inside the object, why."""

    location: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"at {self.location or '/'}: {self.message}"


class SpecValidator:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.operations: dict[str, dict[str, Any]] = document["operations"]
        resource: Resource[Any] = DRAFT7.create_resource(document)
        self._registry: Registry[Any] = Registry().with_resource(URI, resource)
        self._validators: dict[str, Draft7Validator] = {}
        self._memo: dict[tuple[str, bytes], list[Mismatch]] = {}
        self._untolerated_memo: dict[
            tuple[str, bytes, str, bool, bool], tuple[Any, Untolerated]
        ] = {}
        ordered = sorted(self.operations, key=lambda t: (t.count("{"), -len(t)))
        self._templates = [(template_pattern(t), t) for t in ordered]

    def template(self, path: str) -> str | None:
        """The spec path template that `path` (e.g. /api/v1/zones/nzo1) belongs to."""
        return next((t for pattern, t in self._templates if pattern.match(path)), None)

    def response_problems(
        self, method: str, path: str, status: int, body: Any, headers: dict[str, str]
    ) -> list[str]:
        """Every way this response differs from the spec ([] when it matches)."""
        if path.startswith(spec_exceptions.CONTROL_PREFIX):
            return []
        if path in spec_exceptions.UNDOCUMENTED_PATHS:
            return []
        template = self.template(path)
        operation = self.operations.get(template or "", {}).get(method.upper())
        if template is None or operation is None:
            if status >= 400:
                return self._error_problems(status, body, headers)
            what = "path" if template is None else f"{method} on {template}"
            return [f"{status} for a {what} the spec does not document"]
        responses = operation["responses"]
        other = next(
            (
                e.schema_of
                for e in spec_exceptions.BODIES_OF_OTHER_STATUS
                if (e.template, e.method, e.status) == (template, method.upper(), status)
            ),
            None,
        )
        if str(status) not in responses:
            if status >= 400:
                return self._error_problems(status, body, headers)
            if other is None:
                return [f"status {status} is not documented for {method} {template}"]
        documented = responses.get(str(status))
        if documented is None and body is not NO_BODY:
            if other is None or responses.get(str(other)) is None:
                return [f"the spec documents no body for {status}"]
            status, documented = other, responses[str(other)]
        if documented is None:
            return [] if body is NO_BODY else [f"the spec documents no body for {status}"]
        if body is NO_BODY:
            if any(e.matches(status, headers) for e in spec_exceptions.EMPTY_BODIES):
                return []
            return [f"the spec requires a body for {status}, the response has none"]
        pointer = _pointer("operations", template, method.upper(), "responses", str(status))
        found = self._problems(f"{pointer}/schema", body, template, requests=False)
        return [str(problem) for problem in found]

    def request_problems(self, method: str, path: str, body: Any) -> list[Problem]:
        """Every way a request body differs from the operation's request schema (readOnly
        properties ignored); [] for operations without one."""
        template = self.template(path)
        operation = self.operations.get(template or "", {}).get(method.upper())
        if template is None or operation is None or operation["request"] is None:
            return []
        pointer = _pointer("operations", template, method.upper(), "request")
        return self._problems(pointer, body, template, requests=True)

    def _error_problems(self, status: int, body: Any, headers: dict[str, str]) -> list[str]:
        """An error status the operation does not document: Okta's `Error` object."""
        if body is NO_BODY:
            if any(e.matches(status, headers) for e in spec_exceptions.EMPTY_BODIES):
                return []
            return ["an error response without Okta's error body"]
        return [str(p) for p in self._problems("/read/Error", body, "", requests=False)]

    def _problems(self, pointer: str, body: Any, template: str, requests: bool) -> list[Problem]:
        """Problems of `body` not tolerated for `template`. A list of referenced items is
        checked item by item (each item is then the object a tolerated field lives in)."""
        schema = self._resolve(pointer)
        items = schema.get("items") if schema.get("type") == "array" else None
        if isinstance(body, list) and isinstance(items, dict) and set(items) == {"$ref"}:
            item_pointer = items["$ref"].split("#", 1)[1]
            return [
                Problem(_location((index, *path)), field, message)
                for index, item in enumerate(body)
                for path, field, message in self._untolerated(
                    item_pointer, item, template, requests, top=False
                )
            ]
        return [
            Problem(_location(path), field, message)
            for path, field, message in self._untolerated(pointer, body, template, requests)
        ]

    def _untolerated(
        self, pointer: str, obj: Any, template: str, requests: bool, top: bool = True
    ) -> Untolerated:
        """The mismatches of `obj` no tolerance covers: (path in `obj`, field, why). Remembered
        like the mismatches: matching the tolerances costs as much as validating."""
        digest = hashlib.blake2b(json.dumps(obj).encode("utf-8"), digest_size=16).digest()
        key = (pointer, digest, template, requests, top)
        tolerances = spec_exceptions.TOLERATED  # held: a changed list is never matched by id
        remembered = self._untolerated_memo.get(key)
        if remembered is not None and remembered[0] is tolerances:
            return remembered[1]
        found: Untolerated = []
        for mismatch in self._mismatches(pointer, obj, digest):
            inner, target = mismatch.path, obj
            first = inner[0] if inner else None
            if top and isinstance(obj, list) and isinstance(first, int):
                inner, target = inner[1:], obj[first]
            field = ".".join(str(p) for p in inner)
            if any(
                t.matches(template, field, target, mismatch.instance)
                for t in tolerances
                if t.requests or not requests
            ):
                continue
            if mismatch.missing:
                field = ".".join([field, mismatch.missing]).strip(".")
            found.append((mismatch.path, field, mismatch.message))
        _remember(self._untolerated_memo, key, (tolerances, found))
        return found

    def _mismatches(self, pointer: str, body: Any, digest: bytes) -> list[Mismatch]:
        """Every schema error of `body` (whose JSON hashes to `digest`), remembered: the
        sandbox serves the same objects over and over (the whole System Log to every poll), and
        validating is the costly part."""
        key = (pointer, digest)
        found = self._memo.get(key)
        if found is None:
            found = [
                Mismatch(
                    tuple(error.absolute_path),
                    error.instance,
                    _message(error),
                    _missing(error),
                )
                for error in self._validator(pointer).iter_errors(body)
            ]
            _remember(self._memo, key, found)
        return found

    def _validator(self, pointer: str) -> Draft7Validator:
        validator = self._validators.get(pointer)
        if validator is None:
            validator = Draft7Validator(
                self._inline({"$ref": f"#{pointer}"}, frozenset()),
                registry=self._registry,
                format_checker=Draft7Validator.FORMAT_CHECKER,
            )
            self._validators[pointer] = validator
        return validator

    def _resolve(self, pointer: str) -> Any:
        node: Any = self.document
        for part in pointer.lstrip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def _inline(self, node: Any, stack: frozenset[str]) -> Any:
        """`node` with every `$ref` replaced by what it names (except a ref back into itself),
        so validation does not look references up at each use."""
        if isinstance(node, list):
            return [self._inline(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            pointer = ref.split("#", 1)[1]
            if pointer in stack:
                return {"$ref": f"{URI}#{pointer}"}
            return self._inline(self._resolve(pointer), stack | {pointer})
        return {key: self._inline(value, stack) for key, value in node.items()}


@dataclass(frozen=True)
class Mismatch:
    """A schema error as remembered: where, the offending value, why, a missing property."""

    path: tuple[str | int, ...]
    instance: Any
    message: str
    missing: str


def _missing(error: ValidationError) -> str:
    """The property a `required` error is about ("" for other errors)."""
    if error.validator == "required" and isinstance(error.instance, dict):
        return next((str(p) for p in error.validator_value if p not in error.instance), "")
    return ""


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    memo[key] = value


def _location(path: tuple[str | int, ...]) -> str:
    return "/" + "/".join(str(part) for part in path)


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _message(error: ValidationError) -> str:
    """The most telling message: inside anyOf/oneOf, the best branch that is not `null`."""
    while error.context:
        branches = [e for e in error.context if e.schema != {"type": "null"}]
        chosen = best_match(branches) if branches else None
        if chosen is None:
            break
        error = chosen
    limits = {
        "maxLength": "longer than {} characters",
        "minLength": "shorter than {} characters",
        "maxItems": "more than {} entries",
        "minItems": "fewer than {} entries",
    }
    if error.validator in limits:
        return limits[str(error.validator)].format(error.validator_value)
    return re.sub(r"\s+", " ", error.message)[:300]
