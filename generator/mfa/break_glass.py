"""The lockout preflight's MFA part, when `mfa.everyone` requires MFA for every user.

Break-glass accounts are exempt from the network rule, not from MFA: outside the trusted
ranges they fall through the admins' policy to the Default Policy, whose egress-guard rule asks
for a second factor. An account with no factor could then not sign in at all. So, when Okta
credentials are available (and not `--offline`), `generate` reads each break-glass account's
factors (the configured users and the break-glass group's members) and refuses to write when
one has none (`--force` writes anyway, saying so); without credentials it says it could not.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TextIO

from generator.errors import RefusedError
from generator.mfa.posture import break_glass_factors
from generator.model import DesiredState
from generator.okta.client import OktaClient
from generator.okta.members import MembersNotListed, list_members

CREDENTIAL_VARIABLES = ("OKTA_API_TOKEN", "OKTA_API_CLIENT_ID")


def credentials_in(env: Mapping[str, str]) -> bool:
    return any(env.get(name, "").strip() for name in CREDENTIAL_VARIABLES)


def _group_members(client: OktaClient, group: str) -> list[str]:
    """The logins of the break-glass group's members; `MembersNotListed` when Okta would not
    list them (never an empty list instead)."""
    search = f'profile.name eq "{group}"'
    found = [
        g
        for g in client.list_all("/api/v1/groups", {"search": search})
        if (g.get("profile") or {}).get("name") == group
    ]
    logins: list[str] = []
    for match in found:
        for member in list_members(client, group, match):
            logins.append(str((member.get("profile") or {}).get("login") or member.get("id")))
    return logins


def break_glass_problems(state: DesiredState, client: OktaClient) -> tuple[list[str], list[str]]:
    """(problems, notes): accounts without a factor, and a break-glass group whose members
    Okta would not list (their factors are unknown: a problem, not a pass); accounts Okta
    does not know."""
    logins = list(state.break_glass.users)
    problems: list[str] = []
    if state.break_glass.group:
        try:
            logins += _group_members(client, state.break_glass.group)
        except MembersNotListed as error:
            problems.append(
                f"{error}: the MFA factors of its members are unknown, and with mfa.everyone "
                "one without a factor could not sign in; make Okta list them (a group it "
                "lists) or check them by hand and pass --force"
            )
    logins = list(dict.fromkeys(logins))
    has = break_glass_factors(client, logins)
    problems += [
        f"break-glass account {login!r} has no active MFA factor: with mfa.everyone it could "
        "not sign in (exempt from the network rule, not from MFA); enrol a factor first"
        for login in logins
        if has.get(login) is False
    ]
    notes = [
        f"break-glass account {login!r} was not found in Okta"
        for login in logins
        if login not in has
    ]
    return problems, notes


def check_break_glass_mfa(
    state: DesiredState,
    env: Mapping[str, str],
    *,
    force: bool,
    offline: bool,
    stream: TextIO | None = None,
) -> None:
    """Report on `stream` (stderr); raise RefusedError when an account has no factor, unless
    `force`."""
    if state.mfa is None or state.mfa.everyone_rule is None:
        return
    out = stream if stream is not None else sys.stderr
    if offline or not credentials_in(env):
        why = "--offline" if offline else "no Okta credentials in the environment"
        print(
            f"preflight note: break-glass accounts' MFA factors not checked ({why}); each "
            "needs one once mfa.everyone applies",
            file=out,
        )
        return
    with OktaClient.from_env(env) as client:
        problems, notes = break_glass_problems(state, client)
    for note in notes:
        print(f"preflight note: {note}", file=out)
    for problem in problems:
        print(f"preflight FAIL [break-glass-mfa] {problem}", file=out)
    if not problems:
        print("preflight ok: every break-glass account has an active MFA factor", file=out)
        return
    if force:
        print("preflight: --force given, writing despite the failures above", file=out)
        return
    raise RefusedError(
        f"lockout preflight failed ({len(problems)} problem(s)); nothing was written. Enrol "
        "the factors or pass --force:\n" + "\n".join(f"  - {p}" for p in problems)
    )
