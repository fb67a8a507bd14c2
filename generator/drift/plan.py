"""Terraform addresses ↔ Okta ids from `terraform show -json` of a plan or a state."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import EgressGuardError


class PlanFileError(EgressGuardError):
    """The --plan file is unreadable or not `terraform show -json` output."""


@dataclass(frozen=True)
class PlanIndex:
    path: str
    ids: Mapping[str, str]  # address -> id

    def id_of(self, address: str) -> str | None:
        return self.ids.get(address)

    def address_of(self, object_id: str) -> str | None:
        for address, value in self.ids.items():
            if value == object_id:
                return address
        return None


def _modules(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield module
    for child in module.get("child_modules") or ():
        yield from _modules(child)


def _with_rules(address: str, values: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """A resource's id, and the ids of the `rule` blocks of a grouped-rules resource
    (`okta_app_signon_policy_rules`: `<address>.rule[<index>]`, see render/addresses.py)."""
    yield address, values.get("id")
    rules = values.get("rule")
    if isinstance(rules, list):
        for index, rule in enumerate(rules):
            if isinstance(rule, Mapping):
                yield f"{address}.rule[{index}]", rule.get("id")


def _resources(doc: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    roots = [
        (doc.get("prior_state") or {}).get("values", {}).get("root_module"),
        (doc.get("values") or {}).get("root_module"),  # a state
        (doc.get("planned_values") or {}).get("root_module"),
    ]
    for root in roots:
        for module in _modules(root or {}):
            for resource in module.get("resources") or ():
                yield from _with_rules(str(resource.get("address")), resource.get("values") or {})
    for change in doc.get("resource_changes") or ():
        before = (change.get("change") or {}).get("before") or {}
        yield from _with_rules(str(change.get("address")), before)


def parse_plan(doc: Mapping[str, Any], path: str = "<plan>") -> PlanIndex:
    if not isinstance(doc, Mapping) or "format_version" not in doc:
        raise PlanFileError(f"{path}: not the output of `terraform show -json` (no format_version)")
    ids: dict[str, str] = {}
    for address, object_id in _resources(doc):
        if isinstance(object_id, str) and object_id and address not in ids:
            ids[address] = object_id
    return PlanIndex(path=path, ids=ids)


def load_plan(path: Path) -> PlanIndex:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PlanFileError(f"--plan {path}: {error.strerror}") from None
    except ValueError as error:
        raise PlanFileError(f"--plan {path}: invalid JSON ({error})") from None
    return parse_plan(doc, str(path))
