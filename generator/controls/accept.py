"""Accepting failed controls with the drift ignore file.

    ignore:
      - object: "control:api-token-network"      # the whole check
        attributes: ["API token 'egress-guard sandbox'*"]   # optional: evidence subjects (globs)
        reason: "the sandbox's own token (restricting it would lock the demo out)"

Only patterns that start with `control:` apply to controls (a broad `*` written for findings
never hides a control). An accepted failure stays in the report, marked with the reason; a
control whose every failure is accepted no longer makes the run drift.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import replace

from generator.controls.base import ControlResult, Evidence
from generator.drift.ignore import IgnoreRule

PREFIX = "control:"


def _accepted(evidence: Evidence, rules: Sequence[IgnoreRule]) -> Evidence:
    if evidence.status != "fail":
        return evidence
    for rule in rules:
        if not rule.attributes or any(
            fnmatch.fnmatchcase(evidence.subject, pattern) for pattern in rule.attributes
        ):
            return replace(evidence, accepted=rule.reason or "accepted by the ignore file")
    return evidence


def accept_controls(
    results: Sequence[ControlResult], rules: Sequence[IgnoreRule]
) -> list[ControlResult]:
    out = []
    for result in results:
        name = PREFIX + result.check_id
        applicable = [
            r for r in rules if r.object.startswith(PREFIX) and fnmatch.fnmatchcase(name, r.object)
        ]
        if applicable:
            result = result.with_evidence(tuple(_accepted(e, applicable) for e in result.evidence))
        out.append(result)
    return out
