"""Check responses and request bodies against Okta's OpenAPI spec, discriminators included.

Works on the extract `spec_extract` builds (`okta_spec.json`, shipped in the package): JSON
Schema draft 7 where each discriminator dispatches on its property value to the mapped subtype,
so the fields that matter (gateways, proxies, conditions, actions...) are validated, not only
the base fields. The only tolerated mismatches are listed in `spec_exceptions`.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from generator.sandbox import spec_exceptions
from generator.sandbox.spec_extract import OUTPUT, template_pattern

URI = "urn:okta-management-spec"
NO_BODY: Any = object()  # marks a response without a body (None is JSON null)


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
        ordered = sorted(self.operations, key=lambda t: (t.count("{"), -len(t)))
        self._templates = [(template_pattern(t), t) for t in ordered]

    @classmethod
    def load(cls, path: Path) -> SpecValidator:
        with path.open(encoding="utf-8") as handle:
            return cls(json.load(handle))

    @staticmethod
    @functools.cache
    def packaged() -> SpecValidator:
        """The validator of the extract shipped with the package (parsed once per process)."""
        return SpecValidator.load(OUTPUT)

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
                return self._error_problems(body)
            what = "path" if template is None else f"{method} on {template}"
            return [f"{status} for a {what} the spec does not document"]
        responses = operation["responses"]
        if str(status) not in responses:
            if status >= 400:
                return self._error_problems(body)
            return [f"status {status} is not documented for {method} {template}"]
        documented = responses[str(status)]
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

    def schema_problems(self, name: str, body: Any, variant: str = "read") -> list[Problem]:
        """`body` checked against the component schema `name` (no tolerated differences)."""
        return self._problems(f"/{variant}/{name}", body, "", requests=False)

    def _error_problems(self, body: Any) -> list[str]:
        if body is NO_BODY:
            return ["an error response without Okta's error body"]
        return [str(p) for p in self._problems("/read/Error", body, "", requests=False)]

    def _problems(self, pointer: str, body: Any, template: str, requests: bool) -> list[Problem]:
        validator = self._validators.get(pointer)
        if validator is None:
            validator = Draft7Validator(
                {"$ref": f"{URI}#{pointer}"},
                registry=self._registry,
                format_checker=Draft7Validator.FORMAT_CHECKER,
            )
            self._validators[pointer] = validator
        found = []
        for error in validator.iter_errors(body):
            path = list(error.absolute_path)
            obj, inner = (body, path)
            if isinstance(body, list) and path and isinstance(path[0], int):
                obj, inner = body[path[0]], path[1:]
            field = ".".join(str(p) for p in inner)
            if any(
                t.matches(template, field, obj, error.instance)
                for t in spec_exceptions.TOLERATED
                if t.requests or not requests
            ):
                continue
            if error.validator == "required" and isinstance(error.instance, dict):
                missing = [p for p in error.validator_value if p not in error.instance]
                field = ".".join([field, *missing[:1]]).strip(".")
            found.append(Problem("/" + "/".join(str(p) for p in path), field, _message(error)))
        return found


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
