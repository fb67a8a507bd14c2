"""An authentication policy's Catch-all Rule, read from the API as the model's `CatchAll`
(what `generate` records in the lock and drift compares with the live rule)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.model import Access, DesiredState
from generator.model_mfa import CatchAll
from generator.okta.platform import CATCH_ALL_RULE, DEFAULT_SIGN_ON_POLICY
from generator.okta.snapshot import JsonObject


def canonical_constraint(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def catch_all_rule(rules: Sequence[JsonObject]) -> JsonObject | None:
    """The policy's Catch-all Rule: its system rule (named "Catch-all Rule")."""
    system = [r for r in rules if r.get("system")]
    named = [r for r in system if r.get("name") == CATCH_ALL_RULE]
    found = named or system or [r for r in rules if r.get("name") == CATCH_ALL_RULE]
    return found[0] if found else None


def catch_all_from_okta(rule: JsonObject) -> CatchAll:
    """A Catch-all Rule as the API returns it. A rule without a factor mode (an
    AUTH_METHOD_CHAIN rule) counts as two factors: nothing is placed above it."""
    sign_on = (rule.get("actions") or {}).get("appSignOn") or {}
    method = sign_on.get("verificationMethod") or {}
    access: Access = "DENY" if sign_on.get("access") == "DENY" else "ALLOW"
    constraints = [canonical_constraint(c) for c in method.get("constraints") or ()]
    return CatchAll.of(access, method.get("factorMode"), constraints)


def placement_notes(state: DesiredState) -> list[str]:
    """One note per named policy that gets no two-factor rule, and for the Global Session
    Policy's Default Policy when `mfa.everyone` places no rule there, saying why."""
    if state.mfa is None:
        return []
    notes = []
    if state.mfa.everyone_skipped:
        notes.append(
            f"mfa.everyone: no MFA rule in the Global Session Policy {DEFAULT_SIGN_ON_POLICY!r}: "
            f"{state.mfa.everyone_skipped}"
        )
    return notes + [
        f"mfa.app_policies: no two-factor rule on {p.policy_name!r}: {p.skipped}"
        for p in state.mfa.placements
        if p.rule is None and p.skipped
    ]
