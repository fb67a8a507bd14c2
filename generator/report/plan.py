"""Summarise a `terraform show -json` plan for review: zones, CIDRs per source, rules, checksum.

The checksum is what apply.yml compares with the reviewed one: sha256 of the canonical JSON of
every managed resource change that does something (actions other than no-op/read), each as
address, actions, before, after and after_unknown, sorted by address.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import netaddr

from generator.errors import InputError
from generator.report.plan_changes import (
    Action,
    AttributeChange,
    ResourceChange,
    action_of,
    attribute_changes,
    change_side,
)
from generator.report.plan_rules import GROUPED_RULES, rule_changes

ZONE_TYPE = "okta_network_zone"
GROUP_PATTERN = re.compile(r"-(netskope-shared|netskope-dedicated|corporate|feed-.+?)-(\d+)$")


@dataclass(frozen=True)
class ZoneChange:
    address: str
    key: str
    name: str
    group: str
    action: Action
    gateways_added: tuple[str, ...] = ()
    gateways_removed: tuple[str, ...] = ()
    proxies_added: tuple[str, ...] = ()
    proxies_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceChange:
    group: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    zones: tuple[str, ...]  # names of the zones of this source that change
    provenance: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # cidr -> origins
    origin: str = ""  # where the source group came from (lock file), e.g. a feed URL


@dataclass(frozen=True)
class PreflightCheck:
    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class Preflight:
    ok: bool
    checks: tuple[PreflightCheck, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanSummary:
    checksum: str
    terraform_version: str
    errored: bool
    counts: Mapping[str, int]  # add / change / destroy, as Terraform counts them
    zones: tuple[ZoneChange, ...]
    sources: tuple[SourceChange, ...]
    resources: tuple[ResourceChange, ...]  # every other managed resource that changes
    preflight: Preflight | None = None

    @property
    def has_changes(self) -> bool:
        return any(self.counts.values())


@dataclass(frozen=True)
class Provenance:
    """What the generator's lock file tells about zones and CIDRs (all optional)."""

    zone_groups: Mapping[str, str] = field(default_factory=dict)  # zone key or name -> group
    group_origins: Mapping[str, str] = field(default_factory=dict)  # group -> "kind: origin"
    inputs: tuple[tuple[str, str], ...] = ()  # (input CIDR, its source label)

    def origins(self, cidr: str) -> tuple[str, ...]:
        """Sources whose input CIDRs make up `cidr` (collapsing may have merged several)."""
        try:
            network = netaddr.IPNetwork(cidr)
        except (netaddr.AddrFormatError, ValueError):
            return ()
        found: dict[str, None] = {}
        for value, label in self.inputs:
            try:
                if netaddr.IPNetwork(value) in network:
                    found[label] = None
            except (netaddr.AddrFormatError, ValueError):
                continue
        return tuple(found)


def load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: {what} file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a valid {what} JSON file: {error}") from None


def validate_plan(plan: Any, path: Path) -> dict[str, Any]:
    if not isinstance(plan, dict) or "format_version" not in plan:
        raise InputError(f"{path}: not `terraform show -json` output (no format_version)")
    if not str(plan["format_version"]).startswith("1."):
        raise InputError(f"{path}: unsupported plan format_version {plan['format_version']!r}")
    changes = plan.get("resource_changes", [])
    if not isinstance(changes, list) or not all(
        isinstance(rc, dict) and isinstance(rc.get("change"), dict) and "address" in rc
        for rc in changes
    ):
        raise InputError(f"{path}: resource_changes must be a list of objects with a change")
    return plan


def _managed(changes: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [rc for rc in changes if rc.get("mode", "managed") == "managed"]


def plan_checksum(plan: Mapping[str, Any]) -> str:
    effective = sorted(
        (
            {
                "address": rc["address"],
                "actions": list(rc["change"].get("actions", [])),
                "before": rc["change"].get("before"),
                "after": rc["change"].get("after"),
                "after_unknown": rc["change"].get("after_unknown"),
            }
            for rc in _managed(plan.get("resource_changes", []))
            if action_of(rc["change"].get("actions", [])) not in ("no-op", "read")
        ),
        key=lambda item: str(item["address"]),
    )
    canonical = json.dumps(effective, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _canonical_cidr(value: str) -> str:
    try:
        return str(netaddr.IPNetwork(value).cidr) if "-" not in value else value
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return value


def _ip_sort_key(value: str) -> tuple[int, int, str]:
    try:
        network = netaddr.IPNetwork(value.split("-")[0])
        return (network.version, int(network.first), value)
    except (netaddr.AddrFormatError, ValueError):
        return (9, 0, value)


def _cidrs(values: Any) -> set[str]:
    if not isinstance(values, list):
        return set()
    return {_canonical_cidr(str(v)) for v in values}


def _sorted(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(values, key=_ip_sort_key))


def zone_group(key: str, name: str, provenance: Provenance) -> str:
    for candidate in (key, name):
        if candidate in provenance.zone_groups:
            return provenance.zone_groups[candidate]
    found = GROUP_PATTERN.search(name)
    return found.group(1) if found else "other"


def _zone_change(rc: Mapping[str, Any], provenance: Provenance) -> ZoneChange:
    change = rc["change"]
    before, after = change_side(change, "before"), change_side(change, "after")
    name = str(after.get("name") or before.get("name") or rc.get("name", ""))
    key = str(rc.get("name", ""))
    gw_before, gw_after = _cidrs(before.get("gateways")), _cidrs(after.get("gateways"))
    px_before, px_after = _cidrs(before.get("proxies")), _cidrs(after.get("proxies"))
    return ZoneChange(
        address=str(rc["address"]),
        key=key,
        name=name,
        group=zone_group(key, name, provenance),
        action=action_of(change.get("actions", [])),
        gateways_added=_sorted(gw_after - gw_before),
        gateways_removed=_sorted(gw_before - gw_after),
        proxies_added=_sorted(px_after - px_before),
        proxies_removed=_sorted(px_before - px_after),
    )


def _source_changes(
    rcs: Sequence[Mapping[str, Any]], zones: Sequence[ZoneChange], provenance: Provenance
) -> tuple[SourceChange, ...]:
    """Net CIDR change per source group: a CIDR that moves between shards is not a change."""
    before: dict[str, set[str]] = {}
    after: dict[str, set[str]] = {}
    for rc, zone in zip(rcs, zones, strict=True):
        change = rc["change"]
        for side, bucket in (("before", before), ("after", after)):
            values = change_side(change, side)
            cidrs = _cidrs(values.get("gateways")) | _cidrs(values.get("proxies"))
            bucket.setdefault(zone.group, set()).update(cidrs)
    result = []
    for group in sorted(set(before) | set(after)):
        added = after.get(group, set()) - before.get(group, set())
        removed = before.get(group, set()) - after.get(group, set())
        touched = tuple(z.name for z in zones if z.group == group and z.action != "no-op")
        if not (added or removed or touched):
            continue
        origins = {c: found for c in added if (found := provenance.origins(c))}
        result.append(
            SourceChange(
                group,
                _sorted(added),
                _sorted(removed),
                touched,
                origins,
                provenance.group_origins.get(group, ""),
            )
        )
    return tuple(result)


def _resource_change(rc: Mapping[str, Any], zone_names: Mapping[str, str]) -> ResourceChange:
    change = rc["change"]
    action = action_of(change.get("actions", []))
    name = (
        change_side(change, "after").get("name") or change_side(change, "before").get("name") or ""
    )
    return ResourceChange(
        address=str(rc["address"]),
        type=str(rc.get("type", "")),
        key=str(rc.get("name", "")),
        action=action,
        display_name=str(name),
        attributes=attribute_changes(change, zone_names) if action in ("update", "replace") else (),
    )


def _counts(rcs: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    counts = {"add": 0, "change": 0, "destroy": 0}
    for rc in rcs:
        action = action_of(rc["change"].get("actions", []))
        counts["add"] += action in ("create", "replace")
        counts["change"] += action == "update"
        counts["destroy"] += action in ("delete", "replace")
    return counts


def summarise_plan(
    plan: Mapping[str, Any],
    provenance: Provenance | None = None,
    preflight: Preflight | None = None,
) -> PlanSummary:
    provenance = provenance or Provenance()
    managed = _managed(plan.get("resource_changes", []))
    zone_rcs = [rc for rc in managed if rc.get("type") == ZONE_TYPE]
    zones = [_zone_change(rc, provenance) for rc in zone_rcs]
    zone_names = {
        str(change_side(rc["change"], "before")["id"]): zone.name
        for rc, zone in zip(zone_rcs, zones, strict=True)
        if change_side(rc["change"], "before").get("id")
    }
    others = []
    for rc in managed:
        if rc.get("type") == ZONE_TYPE:
            continue
        if rc.get("type") == GROUPED_RULES:  # one entry per rule of the resource
            others += rule_changes(rc, zone_names)
        elif action_of(rc["change"].get("actions", [])) not in ("no-op", "read"):
            others.append(_resource_change(rc, zone_names))
    return PlanSummary(
        checksum=plan_checksum(plan),
        terraform_version=str(plan.get("terraform_version", "")),
        errored=bool(plan.get("errored", False)),
        counts=_counts(managed),
        zones=tuple(z for z in zones if z.action != "no-op"),
        sources=_source_changes(zone_rcs, zones, provenance),
        resources=tuple(sorted(others, key=lambda r: r.address)),
        preflight=preflight,
    )


__all__ = [
    "Action",
    "AttributeChange",
    "PlanSummary",
    "ResourceChange",
    "SourceChange",
    "ZoneChange",
    "action_of",
    "plan_checksum",
    "summarise_plan",
]
