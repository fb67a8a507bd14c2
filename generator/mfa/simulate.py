"""`simulate --user X` / `--group G`: can they get in with one factor, where, and to which apps.

Live (`--live`): every Global Session Policy and every active app's authentication policy of the
tenant (`MfaOrg`). Offline: the desired state with a fresh org's defaults (`from_model`): the
session and the Admin Console only, the org's other apps being unknown. With `--ip`, only the
paths that hold at that address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.mfa.org import MfaOrg
from generator.mfa.paths import (
    AppGroup,
    OneFactorPath,
    OrgPolicies,
    Who,
    one_factor_paths,
    org_policies,
)
from generator.model import DesiredState
from generator.okta.platform import ADMIN_CONSOLE_LABEL
from generator.simulate.addresses import parse_address
from generator.simulate.from_model import policy_set_from_state
from generator.simulate.policyset import Principal

OFFLINE_NOTE = (
    "one factor, offline: the session and the Admin Console only (the org's other apps and "
    "their authentication policies are not known: use --live)"
)


@dataclass(frozen=True)
class OneFactorAnswer:
    paths: tuple[OneFactorPath, ...]
    notes: tuple[str, ...] = ()


def _who(principal: Principal) -> Who:
    return Who(principal.label, "user" if principal.users else "group", principal)


def _at(paths: Sequence[OneFactorPath], address: str | None) -> tuple[OneFactorPath, ...]:
    if address is None:
        return tuple(paths)
    point = parse_address(address)
    return tuple(p for p in paths if any(lo <= point <= hi for lo, hi in p.intervals))


def answer_live(org: MfaOrg, principal: Principal, address: str | None) -> OneFactorAnswer:
    policies = org_policies(org)
    paths = one_factor_paths(policies, _who(principal))
    return OneFactorAnswer(_at(paths, address), policies.notes)


def answer_offline(
    state: DesiredState, principal: Principal, address: str | None
) -> OneFactorAnswer:
    policy_set = policy_set_from_state(state)
    console = policy_set.admin_console
    apps = (AppGroup(console, (ADMIN_CONSOLE_LABEL,)),) if console is not None else ()
    paths = one_factor_paths(OrgPolicies(policy_set, apps), _who(principal))
    return OneFactorAnswer(_at(paths, address), (OFFLINE_NOTE,))


def text_lines(answer: OneFactorAnswer) -> list[str]:
    sessions = [p for p in answer.paths if p.surface == "session"]
    apps = [p for p in answer.paths if p.surface == "app"]
    if not sessions:
        lines = ["one factor: no (every sign-in this principal can make requires MFA)"]
    else:
        lines = ["one factor: YES"]
        for path in sessions:
            lines.append(
                f"  session {path.where()}: Global Session Policy '{path.policy}', rule "
                f"'{path.rule}' (no MFA required)"
            )
        for path in apps:
            labels = ", ".join(f"'{app}'" for app in path.apps)
            lines.append(
                f"  apps {labels} {path.where()}: authentication policy '{path.policy}', rule "
                f"'{path.rule}' (1FA)"
            )
        if not apps:
            lines.append("  apps: none of those evaluated lets them in with one factor")
    return lines + [f"note: {note}" for note in answer.notes]


def _path_json(path: OneFactorPath) -> dict[str, Any]:
    return {
        "policy": path.policy,
        "policy_id": path.policy_id,
        "rule": path.rule,
        "rule_id": path.rule_id,
        "everywhere": path.everywhere,
        "ranges": list(path.ranges),
        **({"apps": list(path.apps)} if path.surface == "app" else {}),
    }


def json_doc(answer: OneFactorAnswer) -> dict[str, Any]:
    sessions = [p for p in answer.paths if p.surface == "session"]
    return {
        "possible": bool(sessions),
        "sessions": [_path_json(p) for p in sessions],
        "apps": [_path_json(p) for p in answer.paths if p.surface == "app"],
        "notes": list(answer.notes),
    }
