"""Output formats of `egress-guard simulate`: one formatter per format (text, json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from generator.drift.admin_coverage import Coverage
from generator.simulate.evaluate import ConsoleDecision, Decision, SessionDecision
from generator.simulate.policyset import PolicySet, Principal
from generator.simulate.symbolic import Segment


@dataclass(frozen=True)
class Query:
    principal: Principal
    policy_set: PolicySet
    via: tuple[str, ...] = ()
    admin: Coverage | None = None  # --live --user: the user's admin roles and their coverage


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "can_sign_in": decision.can_sign_in,
        "can_reach_admin_console": decision.can_reach_console,
        "global_session_policy": asdict(decision.session),
        "admin_console": asdict(decision.admin_console),
        "uncertain_dynamic_zones": list(decision.uncertain),
    }


def _header_json(query: Query) -> dict[str, Any]:
    admin = query.admin
    return {
        "principal": {
            "label": query.principal.label,
            "users": sorted(query.principal.users),
            "groups": sorted(query.principal.groups),
        },
        "admin_roles": None
        if admin is None
        else {"roles": list(admin.roles), "covered": admin.covered, "coverage": admin.text},
        "source": query.policy_set.source,
        "via": list(query.via),
        "assumptions": list(query.policy_set.assumptions),
    }


def point_json(query: Query, address: str, decision: Decision) -> str:
    document = {**_header_json(query), "address": address, "decision": decision_json(decision)}
    return json.dumps(document, indent=2) + "\n"


def partition_json(query: Query, segments: Sequence[Segment]) -> str:
    document = {
        **_header_json(query),
        "segments": [
            {
                "family": segment.family,
                "first": segment.first_address,
                "last": segment.last_address,
                "range": segment.label,
                "decision": decision_json(segment.decision),
            }
            for segment in segments
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def session_text(session: SessionDecision) -> str:
    where = f"policy '{session.policy}', rule '{session.rule}'" if session.policy else session.rule
    text = f"{session.access} ({where})"
    if session.access == "ALLOW":
        mfa = f"MFA {session.mfa_prompt or 'required'}" if session.mfa_required else "no MFA"
        lifetime = session.session_lifetime_minutes
        lifetime_text = "no limit" if lifetime == 0 else f"{lifetime} min"
        text += f"; {mfa}; lifetime {lifetime_text}, idle {session.session_idle_minutes} min"
    return text


def console_text(console: ConsoleDecision) -> str:
    where = f"policy '{console.policy}', rule '{console.rule}'" if console.policy else console.rule
    text = f"{console.access} ({where})"
    if console.access == "ALLOW":
        reauth = console.reauthenticate_in or "org default"
        text += f"; {console.factor_mode or 'factor mode not set'}; re-authenticate {reauth}"
    return text


def _header_text(query: Query) -> list[str]:
    principal = query.principal
    lines = [f"principal: {principal.label}"]
    lines.append(f"  groups: {', '.join(sorted(principal.groups))}")
    if principal.users:
        lines.append(f"  user keys: {', '.join(sorted(principal.users))}")
    if query.admin is not None:
        lines.append(f"  admin roles: {'; '.join(query.admin.roles) or 'none'}")
        marker = "" if query.admin.covered else "NOT COVERED: "
        lines.append(f"  admin coverage: {marker}{query.admin.text}")
    lines.append(f"policy set: {query.policy_set.source}")
    if query.via:
        lines.append(f"through proxies: {', '.join(query.via)}")
    return lines


def _footer_text(query: Query, decisions: Sequence[Decision]) -> list[str]:
    lines = [f"note: {note}" for note in query.policy_set.assumptions]
    uncertain = sorted({zone for decision in decisions for zone in decision.uncertain})
    if uncertain:
        lines.append(
            "note: dynamic zones are not decidable by IP, treated as not matching: "
            + ", ".join(uncertain)
        )
    return lines


def point_text(query: Query, address: str, decision: Decision) -> str:
    lines = _header_text(query)
    lines.append(f"address: {address}")
    lines.append(f"Global Session Policy: {session_text(decision.session)}")
    lines.append(f"Admin Console: {console_text(decision.admin_console)}")
    lines += _footer_text(query, [decision])
    return "\n".join(lines) + "\n"


def partition_text(query: Query, segments: Sequence[Segment]) -> str:
    lines = _header_text(query)
    lines.append(f"{len(segments)} address ranges with distinct decisions:")
    for segment in segments:
        decision = segment.decision
        lines.append(f"{segment.label}")
        lines.append(f"    sign-in: {session_text(decision.session)}")
        lines.append(f"    Admin Console: {console_text(decision.admin_console)}")
    lines += _footer_text(query, [segment.decision for segment in segments])
    return "\n".join(lines) + "\n"
