"""Bridge from the schema table to the `tf` framework: cty types, list/set/single nested
blocks.

`tf` only knows primitive, list/set/map types and set/single blocks; okta/okta also needs list
blocks and object element types, so both are expressed here with the raw cty type JSON. A
`single` block (the framework's SingleNestedBlock, e.g. okta_api_token's `network`) is one
object or null.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from tf.gen import tfplugin_pb2 as pb
from tf.schema import Attribute, Block, NestedBlock, NestMode, Schema
from tf.types import TfType, Unknown

from okta_sandbox.provider.schema_table import BlockSpec, CtyType, NestedSpec


class CtyTfType(TfType):  # type: ignore[misc]
    """Any cty type, values passed through as plain Python (msgpack-compatible) data."""

    def __init__(self, cty: CtyType) -> None:
        self.cty = cty

    def encode(self, value: Any) -> Any:
        return value

    def decode(self, value: Any) -> Any:
        return value

    def semantically_equal(self, a_decoded: Any, b_decoded: Any) -> bool:
        if isinstance(self.cty, list) and self.cty[0] == "set":
            return bool(_set_key(a_decoded) == _set_key(b_decoded))
        return bool(a_decoded == b_decoded)

    def tf_type(self) -> bytes:
        return json.dumps(self.cty, separators=(",", ":")).encode()


def _set_key(value: Any) -> Any:
    if value is None or value is Unknown:
        return value
    return sorted(json.dumps(item, sort_keys=True) for item in value)


class SpecNestedBlock(NestedBlock):  # type: ignore[misc]
    """A list or set nested block whose value is a list of attribute dicts."""

    _modes: ClassVar[dict[str, Any]] = {
        "list": pb.Schema.NestedBlock.NestingMode.LIST,
        "set": pb.Schema.NestedBlock.NestingMode.SET,
        "single": pb.Schema.NestedBlock.NestingMode.SINGLE,
    }

    def __init__(self, name: str, spec: NestedSpec) -> None:
        super().__init__(name, NestMode.Set, build_block(spec.block), max_items=spec.max_items)
        self.spec_mode = spec.nesting_mode

    def to_pb(self) -> Any:
        return pb.Schema.NestedBlock(
            type_name=self.type_name,
            block=self.block.to_pb(),
            max_items=self.max_items or 0,
            nesting=self._modes[self.spec_mode],
        )

    def encode(self, value: Any) -> Any:
        return value

    def decode(self, value: Any) -> Any:
        return value

    def semantically_equal(self, a_decoded: Any, b_decoded: Any) -> bool:
        if self.spec_mode == "set":
            return bool(_set_key(a_decoded) == _set_key(b_decoded))
        return bool(a_decoded == b_decoded)


def _attribute(name: str, cty: CtyType, flags: str) -> Any:
    return Attribute(
        name,
        CtyTfType(cty),
        required="R" in flags,
        optional="O" in flags,
        computed="C" in flags,
        deprecated=True if "D" in flags else None,
    )


def build_block(spec: BlockSpec) -> Any:
    return Block(
        attributes=[_attribute(n, cty, flags) for n, (cty, flags) in spec.attrs.items()],
        block_types=[SpecNestedBlock(n, nested) for n, nested in spec.blocks.items()],
    )


def build_schema(spec: BlockSpec) -> Any:
    return Schema(
        version=0,
        attributes=[_attribute(n, cty, flags) for n, (cty, flags) in spec.attrs.items()],
        block_types=[SpecNestedBlock(n, nested) for n, nested in spec.blocks.items()],
    )


def complete(spec: BlockSpec, values: dict[str, Any]) -> dict[str, Any]:
    """Every attribute and block of `spec` present (null / empty list when missing)."""
    out: dict[str, Any] = {name: values.get(name) for name in spec.attrs}
    for name, nested in spec.blocks.items():
        if nested.nesting_mode == "single":
            item = values.get(name)
            out[name] = complete(nested.block, item) if isinstance(item, dict) else None
            continue
        items = values.get(name) or []
        out[name] = [complete(nested.block, item) for item in items]
    return out
