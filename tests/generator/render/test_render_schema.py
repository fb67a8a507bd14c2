"""Schema conformance: what the renderer emits, read back through Terraform's own config loader,
fits the okta/okta provider schema (resource types, data sources, attributes, nested blocks,
types, required and computed-only attributes, references)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from provider_schema import reference_schema

from generator.model import Shard, build_desired_state
from generator.render import render_terraform
from generator.render.loaded import Body, LoadedModule, load_module
from generator.settings import (
    AdminConsoleConfig,
    BreakGlassConfig,
    Config,
    EgressConfig,
    NetskopeConfig,
    OktaConfig,
)

META_ATTRIBUTES = {"depends_on", "count", "for_each", "provider"}
META_BLOCKS = {"lifecycle", "provisioner", "connection"}
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")

Type = Any  # schema type JSON: "string" | ["set", T] | ... ; plus ["tuple", [T...]] when inferred


def provider_schema() -> Mapping[str, Any]:
    return reference_schema()


def kind_schemas(mode: str) -> Mapping[str, Any]:
    key = "data_source_schemas" if mode == "data" else "resource_schemas"
    return dict(provider_schema()[key])


class Checker:
    def __init__(self, module: LoadedModule) -> None:
        self.module = module
        self.errors: list[str] = []
        self._files: dict[str, bytes] = {}

    def run(self) -> list[str]:
        for address, resource in sorted(self.module.resources.items()):
            schema = kind_schemas(resource.mode).get(resource.type)
            if schema is None:
                self.errors.append(f"{address}: {resource.mode} type not in the provider schema")
                continue
            self.body(address, resource.body, schema["block"])
            for dependency in resource.depends_on:
                if dependency not in self.module.resources:
                    self.errors.append(f"{address}: depends_on unknown {dependency}")
        return self.errors

    def body(self, where: str, body: Body, block: Mapping[str, Any]) -> None:
        attributes = block.get("attributes", {})
        for name, expr in sorted(body.attributes.items()):
            if name in META_ATTRIBUTES:
                continue
            spec = attributes.get(name)
            if spec is None:
                self.errors.append(f"{where}: unknown attribute {name}")
                continue
            if spec.get("computed") and not (spec.get("optional") or spec.get("required")):
                self.errors.append(f"{where}: computed-only attribute {name} is set")
            if spec.get("deprecated"):
                self.errors.append(f"{where}: deprecated attribute {name} is set")
            inferred = self.infer(f"{where}.{name}", expr.node, expr.text)
            if not compatible(inferred, spec["type"]):
                self.errors.append(f"{where}.{name}: {inferred} does not fit {spec['type']}")
        for name, spec in sorted(attributes.items()):
            if spec.get("required") and name not in body.attributes:
                self.errors.append(f"{where}: required attribute {name} missing")
        nested = block.get("block_types", {})
        counts: dict[str, int] = {}
        for block_type, inner in body.blocks:
            if block_type in META_BLOCKS:
                continue
            if block_type not in nested:
                self.errors.append(f"{where}: unknown nested block {block_type}")
                continue
            counts[block_type] = counts.get(block_type, 0) + 1
            self.body(f"{where}.{block_type}", inner, nested[block_type]["block"])
        for block_type, spec in sorted(nested.items()):
            count = counts.get(block_type, 0)
            if count < spec.get("min_items", 0) or count > spec.get("max_items", count):
                self.errors.append(f"{where}: {count} {block_type} blocks, schema bounds {spec}")

    def source(self, node: Mapping[str, Any]) -> str:
        src = node["SrcRange"]
        name = src["Filename"]
        if name not in self._files:
            self._files[name] = Path(name).read_bytes()
        return self._files[name][src["Start"]["Byte"] : src["End"]["Byte"]].decode()

    def infer(self, where: str, node: Mapping[str, Any], text: str | None = None) -> Type:
        if "Parts" in node:
            return "string"
        if "Exprs" in node:
            return ["tuple", [self.infer(where, item) for item in node["Exprs"]]]
        if "Traversal" in node:
            return self.reference(where, [part["Name"] for part in node["Traversal"]])
        if "Args" in node:
            return self.call(where, node["Name"], [self.infer(where, arg) for arg in node["Args"]])
        if "Val" in node:
            literal = text if text is not None else self.source(node)
            if literal in ("true", "false"):
                return "bool"
            if NUMBER.match(literal):
                return "number"
            self.errors.append(f"{where}: unexpected literal {literal!r}")
            return "invalid"
        self.errors.append(f"{where}: unsupported expression node {sorted(node)}")
        return "invalid"

    def reference(self, where: str, parts: list[str]) -> Type:
        mode, rest = ("data", parts[1:]) if parts[0] == "data" else ("managed", parts)
        if len(rest) != 3:
            self.errors.append(f"{where}: unsupported reference {'.'.join(parts)}")
            return "invalid"
        resource_type, _name, attribute = rest
        address = ".".join(parts[:-1])
        if address not in self.module.resources:
            self.errors.append(f"{where}: reference to undeclared {address}")
            return "invalid"
        attributes = kind_schemas(mode)[resource_type]["block"]["attributes"]
        if attribute not in attributes:
            self.errors.append(f"{where}: {resource_type} has no attribute {attribute}")
            return "invalid"
        return attributes[attribute]["type"]

    def call(self, where: str, name: str, args: list[Type]) -> Type:
        if name == "jsonencode":
            return "string"
        if name in ("setunion", "concat"):
            elements = {json.dumps(element_type(arg)) for arg in args}
            if len(elements) != 1 or "null" in elements:
                self.errors.append(f"{where}: {name} over mixed or non-collection {args}")
                return "invalid"
            return ["set" if name == "setunion" else "list", json.loads(elements.pop())]
        self.errors.append(f"{where}: function {name} not understood by this check")
        return "invalid"


def element_type(value: Type) -> Type:
    if isinstance(value, list) and value[0] in ("list", "set"):
        return value[1]
    if isinstance(value, list) and value[0] == "tuple":
        kinds = {json.dumps(item) for item in value[1]}
        return json.loads(kinds.pop()) if len(kinds) == 1 else None
    return None


def compatible(inferred: Type, expected: Type) -> bool:
    if isinstance(expected, str):
        return bool(inferred == expected)
    if expected[0] in ("list", "set") and isinstance(inferred, list):
        if inferred[0] == "tuple":
            return all(compatible(item, expected[1]) for item in inferred[1])
        if inferred[0] in ("list", "set"):
            return compatible(inferred[1], expected[1])
    return False


def conformance_errors(directory: Path) -> list[str]:
    return Checker(load_module(directory)).run()


def write_module(directory: Path, files: Mapping[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


SHARDS = [
    Shard("netskope-shared", 1, ("8.36.116.0/24", "162.10.0.0/17"), ("8.36.116.0/24",)),
    Shard("netskope-dedicated", 1, ("203.0.113.9/32",)),
    Shard("corporate", 1, ("198.51.100.0/24",)),
]
VARIANTS = {
    "defaults": Config(path=Path("p.yaml")),
    "full": Config(
        path=Path("p.yaml"),
        mode="monitor",
        egress=EgressConfig(netskope=NetskopeConfig(as_proxies=True)),
        okta=OktaConfig(
            admin_groups=("Okta Administrators", "Help Desk Admins"),
            break_glass=BreakGlassConfig(
                users=("breakglass@example.com", "bg2@example.com"), group="Break Glass Accounts"
            ),
            admin_console=AdminConsoleConfig(factor_mode="2FA", phishing_resistant=True),
            extra_apps=("Okta Dashboard", "AWS Console"),
        ),
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_rendered_module_conforms_to_provider_schema(tmp_path: Path, variant: str) -> None:
    state = build_desired_state(VARIANTS[variant], SHARDS)
    directory = write_module(tmp_path / "generated", render_terraform(state))
    module = load_module(directory)
    types = {resource.type for resource in module.resources.values()}
    assert {"okta_network_zone", "okta_policy_signon", "okta_app_signon_policy_rules"} <= types
    assert Checker(module).run() == []


BAD_MODULE = """
data "okta_group" "g" {
  name  = "x"
  users = ["computed only"]
}
data "okta_user" "u" {
  search {
    name  = "profile.login"
    value = 7
    nope  = "x"
  }
}
resource "okta_network_zone" "z" {
  name     = "z"
  gateways = "1.2.3.4/32"
  colour   = "blue"
}
resource "okta_policy_rule_signon" "r" {
  name           = "r"
  priority       = "1"
  mfa_required   = 1
  users_excluded = [data.okta_user.u.id, data.okta_user.missing.id, data.okta_group.g.nothing]
  depends_on     = [okta_network_zone.other]
}
resource "okta_app_signon_policy_rule" "a" {
  name = "a"
  keep_me_signed_in {
    post_auth = "ALLOWED"
  }
  keep_me_signed_in {
    post_auth = "ALLOWED"
  }
  wibble {
  }
}
resource "okta_made_up" "m" {
}
"""


def test_checker_reports_each_kind_of_violation(tmp_path: Path) -> None:
    directory = write_module(tmp_path / "bad", {"main.tf": BAD_MODULE})
    errors = "\n".join(conformance_errors(directory))
    expected = [
        "data.okta_group.g: computed-only attribute users is set",
        "data.okta_user.u.search.value: number does not fit string",
        "data.okta_user.u.search: unknown attribute nope",
        "okta_network_zone.z.gateways: string does not fit ['set', 'string']",
        "okta_network_zone.z: unknown attribute colour",
        "okta_network_zone.z: required attribute type missing",
        "okta_policy_rule_signon.r.priority: string does not fit number",
        "okta_policy_rule_signon.r.mfa_required: number does not fit bool",
        "reference to undeclared data.okta_user.missing",
        "okta_group has no attribute nothing",
        "okta_policy_rule_signon.r: depends_on unknown okta_network_zone.other",
        "okta_app_signon_policy_rule.a: required attribute policy_id missing",
        "okta_app_signon_policy_rule.a: 2 keep_me_signed_in blocks",
        "okta_app_signon_policy_rule.a: unknown nested block wibble",
        "okta_made_up.m: managed type not in the provider schema",
    ]
    for message in expected:
        assert message in errors
