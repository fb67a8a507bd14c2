"""Extract the operations of Okta's OpenAPI 3.0 spec that the sandbox serves, as JSON Schema.

OpenAPI 3.0 schemas are not JSON Schema: `nullable`, `readOnly`/`writeOnly` and `discriminator`
need translating. Okta puts zones, policies, rules and apps behind a `discriminator` with no
`oneOf`; generic validators (openapi-core, schemathesis) ignore it and only check the base
fields. Here a discriminator becomes an if/then chain on the property value that validates the
mapped subtype. A subtype is usually `allOf[base, extra]`: its reference to the base is pointed
at a copy of the base without the discriminator (`Name__base`), so validation does not loop.

Each schema exists in two variants: `read` (responses: writeOnly properties are ignored) and
`write` (request bodies: readOnly properties are ignored and never required).

The sandbox builds the extract at run time from the spec it is given and caches it
(`specsource`); `python -m okta_sandbox.spec.extract SPEC.yaml OUT.json` writes one to look at.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Schema = dict[str, Any]
COMPONENT = "#/components/schemas/"
VARIANTS = ("read", "write")
HIDDEN_IN = {"read": "writeOnly", "write": "readOnly"}
# Annotations and OpenAPI-only keywords that play no part in validation.
DROPPED = {
    "description",
    "example",
    "examples",
    "externalDocs",
    "title",
    "default",
    "deprecated",
    "discriminator",
    "nullable",
    "readOnly",
    "writeOnly",
    "xml",
}
METHODS = ("get", "post", "put", "delete", "patch")
# A component with only these keys is a pure wrapper (`Name: {allOf: [...]}`), seen through.
WRAPPER_KEYS = {"allOf", "description", "x-okta-ignore-redocly-rules-for-sdk"}


class Converter:
    """Converts the components of one spec, on demand, into both variants."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.components: dict[str, Schema] = spec["components"]["schemas"]
        self.parents: dict[str, set[str]] = {}
        for name, schema in self.components.items():
            for target in _mapping(schema).values():
                self.parents.setdefault(target.removeprefix(COMPONENT), set()).add(name)
        self.out: dict[str, dict[str, Schema]] = {variant: {} for variant in VARIANTS}
        self._pending: list[tuple[str, str]] = []

    def ref(self, ref: str, variant: str) -> str:
        """The converted location of a `#/components/schemas/...` reference (queued)."""
        if not ref.startswith(COMPONENT):
            raise ValueError(f"unsupported $ref {ref!r}")
        name = ref[len(COMPONENT) :]
        self._want(name, variant)
        return f"#/{variant}/{name}"

    def _want(self, name: str, variant: str) -> None:
        if name not in self.out[variant]:
            self.out[variant][name] = {}  # placeholder: converted in `finish`
            self._pending.append((name, variant))

    def finish(self) -> None:
        while self._pending:
            name, variant = self._pending.pop()
            self.out[variant][name] = self._component(name, variant)

    def _component(self, name: str, variant: str) -> Schema:
        schema = self.components[name]
        if name in self.parents:
            schema = self._point_at_bases(name, schema)
        mapping = _mapping(schema)
        if not mapping:
            converted: Schema = self.convert(schema, variant)
            return converted
        base = f"{name}__base"
        self.out[variant][base] = self.convert(schema, variant)
        chain: Schema = {"$ref": f"#/{variant}/{base}"}
        prop = schema["discriminator"]["propertyName"]
        for value, target in reversed(list(mapping.items())):
            then: Schema = {"$ref": self.ref(target, variant)}
            if name not in self._bases_of(target):
                then = {"allOf": [{"$ref": f"#/{variant}/{base}"}, then]}
            condition = {"properties": {prop: {"const": value}}, "required": [prop]}
            chain = {"if": condition, "then": then, "else": chain}
        return chain

    def _bases_of(self, target: str) -> set[str]:
        """The discriminator parents `target`'s own allOf refers to."""
        schema = self.components[target.removeprefix(COMPONENT)]
        refs = {entry.get("$ref", "") for entry in schema.get("allOf", [])}
        return {ref.removeprefix(COMPONENT) for ref in refs if ref.startswith(COMPONENT)}

    def _point_at_bases(self, name: str, schema: Schema) -> Schema:
        """A subtype's `allOf` entry naming its discriminator parent names the parent's base,
        also through pure `allOf` wrappers (AuthenticatorKeyOktaVerify → AuthenticatorSimple →
        AuthenticatorBase): the wrapper is inlined, or validating the subtype would dispatch on
        the parent's discriminator again, forever."""
        if "allOf" not in schema:
            return schema
        parents = self.parents[name]
        entries = [part for entry in schema["allOf"] for part in self._to_base(entry, parents)]
        return {**schema, "allOf": entries}

    def _to_base(self, entry: Schema, parents: set[str], depth: int = 0) -> list[Schema]:
        ref = entry.get("$ref", "")
        target = ref.removeprefix(COMPONENT)
        if target in parents:
            return [{"$ref": ref + "__base"}]
        wrapper = self.components.get(target) if ref.startswith(COMPONENT) else None
        if wrapper is None or depth > 8 or set(wrapper) - WRAPPER_KEYS:
            return [entry]
        parts = wrapper.get("allOf", [])
        inlined = [p for e in parts for p in self._to_base(e, parents, depth + 1)]
        return inlined if any(p.get("$ref", "").endswith("__base") for p in inlined) else [entry]

    def convert(self, node: Any, variant: str) -> Any:
        if isinstance(node, list):
            return [self.convert(item, variant) for item in node]
        if not isinstance(node, dict):
            return node
        if "oneOf" in node and (node.get("discriminator") or {}).get("mapping"):
            return self._dispatch(node, variant)
        out: Schema = {}
        hidden = {
            key
            for key, prop in (node.get("properties") or {}).items()
            if self._hidden(prop, variant)
        }
        for key, value in node.items():
            if key in DROPPED or key.startswith("x-"):
                continue
            if key == "$ref":
                out[key] = self._ref_or_base(value, variant)
            elif key == "properties":
                out[key] = {
                    prop: {} if prop in hidden else self.convert(schema, variant)
                    for prop, schema in value.items()
                }
            elif key == "required":
                out[key] = [prop for prop in value if prop not in hidden]
            elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
                out[key] = self.convert(value, variant)
            else:
                out[key] = value
        if node.get("nullable"):
            return {"anyOf": [{"type": "null"}, out]}
        return out

    def _dispatch(self, node: Schema, variant: str) -> Schema:
        """A `oneOf` with a discriminator (role assignments: StandardRole | CustomRole, which
        both accept any object): the mapped schema of the property's value, as OpenAPI says,
        not "exactly one alternative matches"; an unmapped value falls back to the `oneOf`."""
        prop = node["discriminator"]["propertyName"]
        rest = {k: v for k, v in node.items() if k != "oneOf"}
        chain: Schema = {
            **self.convert(rest, variant),
            "oneOf": self.convert(node["oneOf"], variant),
        }
        for value, target in reversed(list(node["discriminator"]["mapping"].items())):
            condition = {"properties": {prop: {"const": value}}, "required": [prop]}
            chain = {"if": condition, "then": {"$ref": self.ref(target, variant)}, "else": chain}
        return chain

    def _ref_or_base(self, ref: str, variant: str) -> str:
        if ref.endswith("__base"):
            name = ref[len(COMPONENT) : -len("__base")]
            self._want(name, variant)
            return f"#/{variant}/{name}__base"
        return self.ref(ref, variant)

    def _hidden(self, prop: Any, variant: str) -> bool:
        """Whether `prop` is readOnly (write variant) or writeOnly (read variant), directly or
        through the component it refers to."""
        flag = HIDDEN_IN[variant]
        seen = 0
        while isinstance(prop, dict) and seen < 5:
            if prop.get(flag):
                return True
            ref = prop.get("$ref") or next(
                (e.get("$ref") for e in prop.get("allOf", []) if "$ref" in e), None
            )
            if not ref or not ref.startswith(COMPONENT):
                return False
            prop = self.components.get(ref[len(COMPONENT) :])
            seen += 1
        return False


def _mapping(schema: Schema) -> dict[str, str]:
    """The discriminator mapping the sandbox follows (none when `oneOf`/`anyOf` already
    enumerate the subtypes)."""
    discriminator = schema.get("discriminator")
    if not discriminator or "oneOf" in schema or "anyOf" in schema:
        return {}
    return dict(discriminator.get("mapping") or {})


def _resolve(spec: dict[str, Any], node: dict[str, Any], section: str) -> dict[str, Any]:
    ref = node.get("$ref", "")
    prefix = f"#/components/{section}/"
    return spec["components"][section][ref[len(prefix) :]] if ref.startswith(prefix) else node


def _json_schema(entry: dict[str, Any]) -> Any:
    """The application/json schema of a response or request body entry; None without one."""
    content = entry.get("content") or {}
    media = content.get("application/json")
    return None if media is None else media.get("schema", {})


def template_pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")


def served_templates(spec: dict[str, Any], route_patterns: Iterable[re.Pattern[str]]) -> list[str]:
    """The spec's path templates a sandbox route serves (a `{param}` stands for any segment)."""
    patterns = list(route_patterns)
    return [
        template
        for template in spec["paths"]
        if any(p.match(re.sub(r"\{[^/]+?\}", "x", template)) for p in patterns)
    ]


def extract(spec: dict[str, Any], templates: Iterable[str], source: str) -> dict[str, Any]:
    converter = Converter(spec)
    operations: dict[str, dict[str, Any]] = {}
    for template in templates:
        for method, operation in spec["paths"][template].items():
            if method not in METHODS:
                continue
            responses: dict[str, Any] = {}
            for status, entry in operation.get("responses", {}).items():
                schema = _json_schema(_resolve(spec, entry, "responses"))
                responses[status] = (
                    None if schema is None else {"schema": converter.convert(schema, "read")}
                )
            body = _resolve(spec, operation.get("requestBody") or {}, "requestBodies")
            request = _json_schema(body)
            operations.setdefault(template, {})[method.upper()] = {
                "request": None if request is None else converter.convert(request, "write"),
                "responses": responses,
            }
    converter.ref(COMPONENT + "Error", "read")
    converter.finish()
    return {"source": source, **converter.out, "operations": operations}


def parse(raw: bytes) -> dict[str, Any]:
    """The spec's YAML (3.4 MB: libyaml's loader when PyYAML has it, several times faster)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(raw, Loader=loader)
    if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
        raise ValueError("not an OpenAPI document (no `paths` mapping)")
    schemas = (spec.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict) or "Error" not in schemas:
        raise ValueError("not Okta's Management API spec (no `components.schemas.Error`)")
    return spec


def build_from(raw: bytes, name: str) -> dict[str, Any]:
    """The extract for the sandbox's routes from the spec text `raw` (YAML) of file `name`."""
    from okta_sandbox.urls import ROUTES

    spec = parse(raw)
    source = f"{name} sha256:{hashlib.sha256(raw).hexdigest()}"
    return extract(spec, served_templates(spec, (r.pattern for r in ROUTES)), source)


def build(spec_path: Path) -> dict[str, Any]:
    """The extract for the sandbox's routes from the spec at `spec_path` (YAML)."""
    return build_from(spec_path.read_bytes(), spec_path.name)


def dump(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m okta_sandbox.spec.extract SPEC.yaml OUT.json", file=sys.stderr)
        return 2
    import yaml

    from okta_sandbox.core.files import replace_file

    out = Path(argv[1])
    try:
        document = build(Path(argv[0]))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"{argv[0]}: {exc}", file=sys.stderr)
        return 2
    replace_file(out, dump(document))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
