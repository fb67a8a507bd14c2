"""`egress-guard.lock.json`, written beside the generated Terraform.

It records the resolved inputs with their provenance, the CIDR → zone shard assignment (so the
next run keeps it: stable sharding) and a hash of every rendered file. The next run compares
against it to print what changed and to refuse a large shrink of the trusted set; with
--locked-sources it also takes URL sources' CIDRs from `sources[]` (`generator.sources.locked`).

Shrink measure: ADDRESSES, per source group and IP version. A run is refused when any group would
lose more than `max_shrink_percent` of the addresses it trusted before (a group that disappears
loses 100%). Addresses, not entries: collapsing two /25s into a /24 removes two entries but no
access, while dropping one /17 of five entries removes most of Netskope's capacity.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netaddr import IPSet

from generator.cidrs import canonical
from generator.errors import InputError, RefusedError
from generator.lock_mfa import KEY as DEFAULT_POLICY_KEY
from generator.lock_mfa import default_policy_json, parse_default_policy
from generator.model import Shard, zones_from_shards
from generator.model_mfa import CatchAll, DefaultPolicy
from generator.sources.base import SourceResult

LOCK_NAME = "egress-guard.lock.json"
LOCK_VERSION = 1


@dataclass(frozen=True)
class LockedSource:
    name: str
    kind: str
    origin: str
    cidrs: tuple[str, ...]  # canonical input CIDRs, unique, in address order
    note: str | None = None


@dataclass(frozen=True)
class Lock:
    sources: tuple[LockedSource, ...]
    shards: tuple[Shard, ...]
    files: Mapping[str, str]  # file name → "sha256:<hex>"
    # Names of the API tokens restricted by name (controls.api_tokens.restrict) → their ids, as
    # `generate` with credentials resolved them; later runs need no credentials.
    api_tokens: Mapping[str, str] = field(default_factory=dict)
    # `mfa.app_policies: all`: the org's authentication policy names as generate resolved them
    mfa_app_policies: tuple[str, ...] | None = None
    # `mfa.app_policies`: each named policy's Catch-all Rule as generate read it (the
    # two-factor rule goes directly above it, only where it allows with one factor)
    mfa_catch_all: Mapping[str, CatchAll] = field(default_factory=dict)
    # `mfa.everyone`: the Global Session Policy's Default Rule as generate read it, and the
    # priority directly above it (the Everyone rule goes there, only where it allows without MFA)
    mfa_default_policy: DefaultPolicy | None = None

    def assignment(self) -> dict[str, dict[str, int]]:
        """group → {cidr: shard index}, the input to stable sharding."""
        result: dict[str, dict[str, int]] = {}
        for shard in self.shards:
            group = result.setdefault(shard.group, {})
            group.update(dict.fromkeys(shard.gateways, shard.index))
        return result

    def source(self, name: str) -> LockedSource | None:
        return next((s for s in self.sources if s.name == name), None)


def file_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def locked_source(result: SourceResult, canonical_inputs: Sequence[str]) -> LockedSource:
    return LockedSource(
        result.name, result.kind, result.origin, tuple(canonical_inputs), result.note
    )


def build_lock(
    sources: Sequence[LockedSource],
    shards: Sequence[Shard],
    files: Mapping[str, str],
    api_tokens: Mapping[str, str] | None = None,
    mfa_app_policies: Sequence[str] | None = None,
    mfa_catch_all: Mapping[str, CatchAll] | None = None,
    mfa_default_policy: DefaultPolicy | None = None,
) -> Lock:
    hashes = {name: file_hash(text) for name, text in sorted(files.items())}
    policies = tuple(mfa_app_policies) if mfa_app_policies is not None else None
    tokens = dict(sorted((api_tokens or {}).items()))
    catch_alls = dict(sorted((mfa_catch_all or {}).items()))
    return Lock(
        tuple(sources), tuple(shards), hashes, tokens, policies, catch_alls, mfa_default_policy
    )


def dump_lock(lock: Lock) -> str:
    """Deterministic JSON (no timestamps): identical inputs give a byte-identical lock."""
    document: dict[str, Any] = {
        "lock_version": LOCK_VERSION,
        "generated_by": "egress-guard generate; do not edit",
        "sources": [
            {
                "name": s.name,
                "kind": s.kind,
                "origin": s.origin,
                "note": s.note,
                "cidrs": list(s.cidrs),
            }
            for s in lock.sources
        ],
        "shards": [
            {
                "group": s.group,
                "index": s.index,
                "gateways": list(s.gateways),
                "proxies": list(s.proxies),
            }
            for s in lock.shards
        ],
        "files": dict(sorted(lock.files.items())),
    }
    if lock.api_tokens:  # only when tokens are restricted: other locks stay as they were
        document["api_tokens"] = dict(sorted(lock.api_tokens.items()))
    if lock.mfa_app_policies is not None:
        document["mfa_app_policies"] = list(lock.mfa_app_policies)
    if lock.mfa_catch_all:
        document["mfa_catch_all"] = {
            name: _catch_all_json(rule) for name, rule in sorted(lock.mfa_catch_all.items())
        }
    if lock.mfa_default_policy is not None:
        document[DEFAULT_POLICY_KEY] = default_policy_json(lock.mfa_default_policy)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_lock(directory: Path) -> Lock | None:
    """The lock in `directory`, or None on a first run. A corrupt lock is an InputError."""
    path = directory / LOCK_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read lock file: {error}") from None
    try:
        document = json.loads(text)
        return parse_lock(document)
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise InputError(
            f"{path}: corrupt lock file ({error}); restore it from version control or delete it "
            "(the next run then shards from scratch and skips the shrink check)"
        ) from error


def parse_lock(document: Any) -> Lock:
    """Every field checked for its type (the lock sits in the repository: a pull request can
    edit it), CIDRs parsed; a ValueError names the field."""
    top = _object(document, "(top level)")
    if top.get("lock_version") != LOCK_VERSION:
        raise ValueError(f"unsupported lock_version {str(top.get('lock_version'))[:20]!r}")
    sources = tuple(
        LockedSource(
            _text(s, "name", where),
            _text(s, "kind", where),
            _text(s, "origin", where),
            _cidrs(s, "cidrs", where),
            _text(s, "note", where, optional=True),
        )
        for where, s in _objects(top, "sources")
    )
    shards = tuple(
        Shard(
            _text(s, "group", where),
            _index(s, where),
            _cidrs(s, "gateways", where),
            _cidrs(s, "proxies", where, optional=True),
        )
        for where, s in _objects(top, "shards")
    )
    files = _object(top.get("files"), "files")
    for name, digest in files.items():
        if not isinstance(digest, str):
            raise ValueError(f"files.{name[:40]}: expected a string")
    tokens = document.get("api_tokens") or {}
    if not isinstance(tokens, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in tokens.items()
    ):
        raise ValueError("api_tokens: expected a mapping of token names to ids")
    return Lock(
        sources,
        shards,
        dict(files),
        dict(tokens),
        _names(top, "mfa_app_policies"),
        _catch_alls(top),
        parse_default_policy(top),
    )


def _catch_all_json(rule: CatchAll) -> dict[str, Any]:
    if rule.access == "DENY":
        return {"access": "DENY"}
    return {
        "access": rule.access,
        "factor_mode": rule.factor_mode,
        "constraints": [json.loads(c) for c in rule.constraints],
    }


def _catch_alls(top: dict[str, Any]) -> dict[str, CatchAll]:
    """`mfa_catch_all`: policy name -> {access, factor_mode, constraints} (absent: none)."""
    found: dict[str, CatchAll] = {}
    for name, value in _object(top.get("mfa_catch_all", {}), "mfa_catch_all").items():
        where = f"mfa_catch_all.{name[:40]}"
        item = _object(value, where)
        access = item.get("access")
        mode = item.get("factor_mode")
        constraints = item.get("constraints", [])
        if access not in ("ALLOW", "DENY"):
            raise ValueError(f"{where}.access: expected ALLOW or DENY")
        if access == "ALLOW" and mode not in ("1FA", "2FA"):
            raise ValueError(f"{where}.factor_mode: expected 1FA or 2FA")
        if not isinstance(constraints, list) or not all(isinstance(c, dict) for c in constraints):
            raise ValueError(f"{where}.constraints: expected a list of objects")
        canonical_constraints = [
            json.dumps(c, sort_keys=True, separators=(",", ":")) for c in constraints
        ]
        found[name] = CatchAll.of(access, mode, canonical_constraints)
    return found


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected an object, found {type(value).__name__}")
    return value


def _objects(top: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    items = top.get(key)
    if not isinstance(items, list):
        raise ValueError(f"{key}: expected a list, found {type(items).__name__}")
    return [(f"{key}[{i}]", _object(item, f"{key}[{i}]")) for i, item in enumerate(items)]


def _text(item: dict[str, Any], key: str, where: str, optional: bool = False) -> Any:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}.{key}: expected a string, found {type(value).__name__}")
    return value


def _names(top: dict[str, Any], key: str) -> tuple[str, ...] | None:
    """An optional list of names (absent: None)."""
    if key not in top:
        return None
    values = top[key]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{key}: expected a list of names")
    return tuple(values)


def _index(item: dict[str, Any], where: str) -> int:
    value = item.get("index")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{where}.index: expected a whole number from 1")
    return value


def _cidrs(item: dict[str, Any], key: str, where: str, optional: bool = False) -> tuple[str, ...]:
    values = item.get(key, [] if optional else None)
    if not isinstance(values, list):
        raise ValueError(f"{where}.{key}: expected a list of CIDRs, found {type(values).__name__}")
    for index, value in enumerate(values):
        try:
            if not isinstance(value, str) or canonical(value) != value:
                raise ValueError
        except ValueError:
            raise ValueError(f"{where}.{key}[{index}]: not a canonical CIDR") from None
    return tuple(values)


def _by_family(shards: Sequence[Shard]) -> dict[tuple[str, int], list[str]]:
    found: dict[tuple[str, int], list[str]] = {}
    for shard in shards:
        for cidr in shard.gateways:
            found.setdefault((shard.group, 6 if ":" in cidr else 4), []).append(cidr)
    return found


def _size(cidr: str) -> int:
    """Addresses in a canonical CIDR, from its prefix length alone (no parsing)."""
    _, _, length = cidr.partition("/")
    bits = 128 if ":" in cidr else 32
    return 1 << (bits - int(length or bits))


def _lost(old: Sequence[str], new: Sequence[str]) -> int:
    """Addresses of `old` not covered by `new`.

    A group's CIDRs are collapsed (no two overlap), so a CIDR present in both lists covers
    only itself: just the CIDRs that differ need address arithmetic. Linear in the lists for
    an unchanged re-run; each netaddr set is built in one merge, never CIDR by CIDR (which is
    quadratic).
    """
    if old == new:
        return 0
    new_set = set(new)
    gone = [cidr for cidr in old if cidr not in new_set]
    if not gone:
        return 0
    old_set = set(old)
    came = [cidr for cidr in new if cidr not in old_set]
    return int((IPSet(gone) - IPSet(came)).size)


def shrink_problems(previous: Lock, shards: Sequence[Shard], max_percent: float) -> list[str]:
    """One line per (group, IP version) losing more than `max_percent` of its addresses."""
    before, after = _by_family(previous.shards), _by_family(shards)
    problems = []
    for (group, version), old in sorted(before.items()):
        removed = _lost(old, after.get((group, version), []))
        if not removed:
            continue
        size = sum(map(_size, old))
        percent = 100.0 * removed / size
        if percent > max_percent:
            problems.append(
                f"{group} (IPv{version}): would remove {percent:.1f}% of {size} trusted "
                f"addresses (limit {max_percent:g}%)"
            )
    return problems


def check_shrink(previous: Lock | None, shards: Sequence[Shard], max_percent: float) -> None:
    if previous is None:
        return
    problems = shrink_problems(previous, shards, max_percent)
    if problems:
        raise RefusedError(
            "refusing to shrink the trusted egress set:\n  "
            + "\n  ".join(problems)
            + "\n  (a source outage or typo would lock admins out; re-run with --force if this "
            "removal is intended, or raise safety.max_shrink_percent)"
        )


@dataclass(frozen=True)
class ZoneChanges:
    created: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]


def zone_changes(prefix: str, previous: Lock | None, shards: Sequence[Shard]) -> ZoneChanges:
    """Zones (by Terraform key) created, changed or removed relative to the previous lock."""
    old = {z.key: z for z in zones_from_shards(prefix, previous.shards if previous else ())}
    new = {z.key: z for z in zones_from_shards(prefix, shards)}
    return ZoneChanges(
        created=tuple(sorted(new.keys() - old.keys())),
        changed=tuple(sorted(k for k in new.keys() & old.keys() if new[k] != old[k])),
        removed=tuple(sorted(old.keys() - new.keys())),
    )
