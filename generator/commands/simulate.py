"""`egress-guard simulate`: who can sign in, and reach the Admin Console, from where.

Offline (default) the desired state from the config is evaluated, with the org's own objects
modelled by a fresh org's defaults; `--live` evaluates the tenant as it is (read-only).
Exit codes: 0 ok; 1 Okta/runtime error; 2 invalid input (config, address, unknown user).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from generator.drift.admin_coverage import Coverage, admins_group_covers, user_coverage
from generator.drift.desired import load_desired_state
from generator.errors import EXIT_OK, InputError
from generator.mfa import simulate as mfa_simulate
from generator.mfa.org import read_mfa_org
from generator.model import DesiredState
from generator.okta.client import OktaClient
from generator.okta.errors import OktaApiError, OktaUnsafeIdError
from generator.okta.paths import api_path
from generator.okta.platform import ADMINS_GROUP
from generator.okta.read_targets import targets_from_state
from generator.okta.reads import read_live_org
from generator.okta.role_reads import read_user_roles
from generator.simulate.addresses import parse_address
from generator.simulate.evaluate import evaluate
from generator.simulate.formats import (
    Query,
    partition_json,
    partition_text,
    point_json,
    point_text,
)
from generator.simulate.from_model import policy_set_from_state
from generator.simulate.live import policy_set_from_live
from generator.simulate.policyset import PolicySet, Principal
from generator.simulate.symbolic import partition


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="evaluate Okta's sign-in and Admin Console decisions for a user or group",
        description="Evaluate the Global Session Policy and the Okta Admin Console policy for a "
        "principal, at one address (--ip) or over the whole IPv4 and IPv6 space (--all), and "
        "whether it gets in with one factor: where, and to which apps (with --live: every "
        "active app's authentication policy).",
    )
    parser.add_argument("--config", required=True, type=Path, help="egress-policy.yaml")
    parser.add_argument("--user", metavar="LOGIN", help="the user signing in")
    parser.add_argument(
        "--group",
        metavar="NAME",
        action="append",
        default=[],
        help="a group the principal belongs to (repeatable; offline, the only memberships known "
        "besides Everyone; with --user and --live, added to the user's live groups)",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--ip", help="the client address (IPv4 or IPv6)")
    where.add_argument(
        "--all", action="store_true", help="partition all addresses into equal-decision ranges"
    )
    parser.add_argument(
        "--via",
        metavar="PROXY",
        action="append",
        default=[],
        help="a proxy between the client and Okta, nearest the client first (repeatable); "
        "default: the client connects to Okta directly",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="evaluate the live tenant (OKTA_ORG_URL/OKTA_API_TOKEN or OAuth variables)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    if not args.user and not args.group:
        raise InputError("simulate: give --user LOGIN and/or --group NAME")
    for value in ([args.ip] if args.ip else []) + list(args.via):
        try:
            parse_address(value)
        except ValueError as error:
            raise InputError(f"simulate: {error}") from None
    state = load_desired_state(args.config).state
    address = None if args.all else args.ip
    coverage = None
    if args.live:
        with OktaClient.from_env() as client:
            policy_set, principal, coverage = live_query(
                client, state, args.user, tuple(args.group)
            )
            one_factor = mfa_simulate.answer_live(read_mfa_org(client), principal, address)
    else:
        policy_set, principal = (
            policy_set_from_state(state),
            offline_principal(args.user, tuple(args.group)),
        )
        one_factor = mfa_simulate.answer_offline(state, principal, address)
    query = Query(principal, policy_set, tuple(args.via), coverage)
    if args.all:
        segments = partition(policy_set, principal, args.via)
        text = (partition_json if args.format == "json" else partition_text)(query, segments)
    else:
        decision = evaluate(policy_set, principal, args.ip, args.via)
        text = (point_json if args.format == "json" else point_text)(query, args.ip, decision)
    sys.stdout.write(_with_one_factor(text, args.format, one_factor))
    return EXIT_OK


def _with_one_factor(text: str, fmt: str, answer: mfa_simulate.OneFactorAnswer) -> str:
    """The simulation, and whether the principal gets in with one factor (where, which apps)."""
    if fmt == "json":
        document = json.loads(text)
        document["one_factor"] = mfa_simulate.json_doc(answer)
        return json.dumps(document, indent=2) + "\n"
    return text + "\n".join(mfa_simulate.text_lines(answer)) + "\n"


def offline_principal(user: str | None, groups: tuple[str, ...]) -> Principal:
    label = user or "a member of " + ", ".join(repr(group) for group in groups)
    return Principal.of(label, users=(user,) if user else (), groups=groups)


def live_query(
    client: OktaClient, state: DesiredState, user: str | None, groups: tuple[str, ...]
) -> tuple[PolicySet, Principal, Coverage | None]:
    """Read the tenant with the principal's groups among the read targets, so every policy that
    can apply to the principal has its rules read; with a user, also their admin roles and
    whether the admin session rules cover them (as drift reports it)."""
    user_keys: tuple[str, ...] = ()
    names = list(groups)
    coverage = None
    roles, holder, own_names = None, None, []
    if user:
        found = _live_user(client, user)
        user_keys = (user, str(found.get("id")))
        own = client.list_all(api_path("users", found.get("id"), "groups"))
        own_names = [str((group.get("profile") or {}).get("name")) for group in own]
        names += own_names
        roles = read_user_roles(client, found, own)
        holder = roles.holder(str(found.get("id")))
    # No group's members are read: the principal is one user (or group), evaluated with its
    # own groups (and Okta's admins group, whose members Okta does not list, is never asked).
    targets = dataclasses.replace(
        targets_from_state(state),
        member_groups=(),
        excluded_member_groups=(),
        principal_groups=(),
    )
    targets = dataclasses.replace(
        targets, groups=tuple(dict.fromkeys(targets.groups + tuple(names)))
    )
    live = read_live_org(client, targets)
    missing = [name for name in groups if name not in live.groups]
    if missing:
        raise InputError(f"simulate --live: no such group in Okta: {', '.join(missing)}")
    if user:
        coverage = Coverage((), True, "holds no admin role")
        if roles is not None and holder is not None:
            bg_member = state.break_glass.group in own_names
            in_admins_group = admins_group_covers(state, live) and any(
                g.active for g in holder.grants
            )
            coverage = user_coverage(state, roles, holder, own_names, bg_member, in_admins_group)
            if in_admins_group and ADMINS_GROUP not in names:
                names.append(ADMINS_GROUP)  # Okta keeps every admin in it, listed or not
    label = user or "a member of " + ", ".join(repr(group) for group in groups)
    principal = Principal.of(label, users=user_keys, groups=tuple(dict.fromkeys(names)))
    return policy_set_from_live(live, state.name_prefix), principal, coverage


def _live_user(client: OktaClient, login: str) -> dict[str, object]:
    try:
        path = api_path("users", login)
    except OktaUnsafeIdError:
        raise InputError(f"simulate --live: --user {login!r} cannot be an Okta login") from None
    try:
        found = client.get(path)
    except OktaApiError as error:
        if error.status == 404:
            raise InputError(f"simulate --live: no such user in Okta: {login}") from None
        raise
    if not isinstance(found, dict):
        raise InputError(f"simulate --live: unexpected answer for user {login}")
    return found
