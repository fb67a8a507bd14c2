"""One resource's change in a plan, as the PR summary shows it: its action and the attributes
that change (zone ids shown by name, values Terraform cannot know yet shown as such)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from generator.errors import InputError

Action = Literal["create", "update", "delete", "replace", "no-op", "read"]


@dataclass(frozen=True)
class AttributeChange:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class ResourceChange:
    address: str
    type: str
    key: str
    action: Action
    display_name: str
    attributes: tuple[AttributeChange, ...] = ()


def action_of(actions: Sequence[str]) -> Action:
    if sorted(actions) == ["create", "delete"]:
        return "replace"
    if len(actions) == 1 and actions[0] in ("create", "update", "delete", "no-op", "read"):
        return actions[0]  # type: ignore[return-value]
    raise InputError(f"unknown Terraform change actions {list(actions)!r}")


def change_side(change: Mapping[str, Any], side: str) -> Mapping[str, Any]:
    value = change.get(side)
    return value if isinstance(value, dict) else {}


UNKNOWN = "(known after apply)"
ZONE_REFERENCES = frozenset({"network_includes", "network_excludes"})


def _with_unknown(value: Any, unknown: Any) -> Any:
    """`value` with the parts Terraform cannot know yet replaced by a readable placeholder."""
    if unknown is True:
        return UNKNOWN
    if isinstance(unknown, list) and isinstance(value, list):
        return [
            _with_unknown(v, u) for v, u in zip(value, unknown + [False] * len(value), strict=False)
        ]
    return value


def _show(value: Any, sensitive: bool, zone_names: Mapping[str, str], name: str) -> str:
    if sensitive:
        return "(sensitive)"
    if value == UNKNOWN:
        return UNKNOWN
    if name in ZONE_REFERENCES and isinstance(value, list):
        value = [zone_names.get(v, v) if isinstance(v, str) else v for v in value]
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "..."


def attribute_changes(
    change: Mapping[str, Any], zone_names: Mapping[str, str]
) -> tuple[AttributeChange, ...]:
    before, after = change_side(change, "before"), change_side(change, "after")
    unknown = change_side(change, "after_unknown")
    secret = {**change_side(change, "before_sensitive"), **change_side(change, "after_sensitive")}
    changes = []
    for name in sorted(set(before) | set(after) | set(unknown)):
        new_value = _with_unknown(after.get(name), unknown.get(name, False))
        if before.get(name) == new_value or (name == "id" and not before):
            continue
        hidden = bool(secret.get(name))
        changes.append(
            AttributeChange(
                name,
                _show(before.get(name), hidden, zone_names, name),
                _show(new_value, hidden, zone_names, name),
            )
        )
    return tuple(changes)
