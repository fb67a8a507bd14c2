"""Accepted differences (`--ignore FILE`, YAML or JSON).

ignore:
  - object: "zone:egress-guard-corporate-*"   # kind:name, Terraform address or id (globs)
    attributes: ["gateways"]                  # optional attribute-path globs; none = all
    reason: "corporate range being moved"     # optional, for the reader
  - object: "posture:admin-outside-trusted"   # posture findings: only by posture:<check>
  - object: "posture:admin-role-coverage:svc-reports@example.com"  # ... or posture:<check>:<name>
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from generator.drift.findings import Finding, diff_severity
from generator.errors import EgressGuardError


class IgnoreFileError(EgressGuardError):
    """The --ignore file is unreadable or malformed."""


@dataclass(frozen=True)
class IgnoreRule:
    object: str
    attributes: tuple[str, ...] = ()
    reason: str = ""

    def matches_object(self, finding: Finding) -> bool:
        return any(fnmatch.fnmatchcase(c, self.object) for c in object_names(finding))

    def matches_attribute(self, path: str) -> bool:
        return not self.attributes or any(fnmatch.fnmatchcase(path, p) for p in self.attributes)


def object_names(finding: Finding) -> list[str]:
    """The names an ignore pattern can match. A posture finding is the live org's effective
    policy, not one object's attribute: only `posture:<check>` (or `posture:<check>:<name>`,
    e.g. one admin of the admin-role-coverage check) names it, so accepting a difference (a
    zone's gateways, an unmanaged rule) never hides what it lets through."""
    if finding.finding_class == "posture":
        check = f"posture:{finding.check or 'unknown'}"
        return [check, f"{check}:{finding.name}"]
    names = [f"{finding.kind}:{finding.name}", finding.name]
    return names + [c for c in (finding.address, finding.object_id) if c]


def _rule(index: int, entry: Any, path: Path) -> IgnoreRule:
    where = f"{path}: ignore[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("object"), str):
        raise IgnoreFileError(f"{where}: needs an 'object' pattern (string)")
    unknown = set(entry) - {"object", "attributes", "reason"}
    if unknown:
        raise IgnoreFileError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    attributes = entry.get("attributes") or []
    if not isinstance(attributes, list) or not all(isinstance(a, str) for a in attributes):
        raise IgnoreFileError(f"{where}.attributes: must be a list of strings")
    return IgnoreRule(entry["object"], tuple(attributes), str(entry.get("reason") or ""))


def load_ignore(path: Path) -> tuple[IgnoreRule, ...]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))  # YAML is a superset of JSON
    except OSError as error:
        raise IgnoreFileError(f"--ignore {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise IgnoreFileError(f"--ignore {path}: invalid YAML/JSON ({error})") from None
    if doc is None:
        return ()
    entries = doc.get("ignore") if isinstance(doc, dict) else doc
    if not isinstance(entries, list):
        raise IgnoreFileError(f"{path}: expected a list under 'ignore'")
    return tuple(_rule(i, entry, path) for i, entry in enumerate(entries))


def apply_ignores(
    findings: list[Finding], rules: tuple[IgnoreRule, ...]
) -> tuple[list[Finding], int]:
    """Drop ignored findings and diffs; a finding whose diffs are all ignored disappears."""
    kept: list[Finding] = []
    suppressed = 0
    for finding in findings:
        applicable = [rule for rule in rules if rule.matches_object(finding)]
        if not applicable:
            kept.append(finding)
            continue
        if not finding.diffs:
            if any(not rule.attributes for rule in applicable):
                suppressed += 1
            else:
                kept.append(finding)
            continue
        diffs = tuple(
            d for d in finding.diffs if not any(r.matches_attribute(d.path) for r in applicable)
        )
        suppressed += len(finding.diffs) - len(diffs)
        if diffs and finding.finding_class == "changed":
            kept.append(replace(finding, diffs=diffs, severity=diff_severity(diffs)))
        elif diffs:
            kept.append(replace(finding, diffs=diffs))
    return kept, suppressed
