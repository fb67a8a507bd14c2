"""Initial org states: `empty` (what Okta creates), `default` (a realistic small org),
`hardened` (`default` with Okta's own post-breach controls on: seeds/hardened.py), `large`
(benchmark-sized), `attacks` (breach patterns planted in the System Log) and `admins` (an admin
of every kind outside the admin groups: seeds/admins.py). Every object has the shape the API
serves (minus `_links`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from okta_sandbox.authenticators.routes import default_authenticators
from okta_sandbox.core import ids
from okta_sandbox.core.routing import State
from okta_sandbox.core.store import bulk
from okta_sandbox.directory.factors import add_factor
from okta_sandbox.directory.roles import assign
from okta_sandbox.facts import ADMIN_CONSOLE_APP, ADMINS_GROUP, DASHBOARD_APP
from okta_sandbox.policies.rules import access_actions
from okta_sandbox.seeds.history import add_history
from okta_sandbox.seeds.mfa import add_default_users
from okta_sandbox.seeds.objects import (
    add_api_token,
    add_app,
    add_catch_all,
    add_group,
    add_policy,
    add_rule,
    add_zone,
    make_user,
    new_state,
)

SEEDS = ("default", "empty", "large", "attacks", "hardened", "admins")
DASHBOARD, ADMIN_CONSOLE = DASHBOARD_APP, ADMIN_CONSOLE_APP
PASSWORD = [{"knowledge": {"types": ["PASSWORD"]}}]
# Okta's preset authentication policies of a new Identity Engine org (Okta Help: "Preset
# authentication policies"): name, description, Catch-all factor mode, re-authentication,
# constraints. "Any two factors" is the org's default policy (system: every new app gets it).
# Descriptions as recorded (GET /api/v1/policies?type=ACCESS_POLICY in ../shared/okta/
# recordings/terraform-provider-okta/idaas/TestAccResourceOktaAppBookmarkApplication_crud).
PRESETS: tuple[tuple[str, str, str, str, list[dict[str, Any]] | None], ...] = (
    ("Any two factors", "Require two factors to access.", "2FA", "PT12H", None),
    (
        "Password only",
        "Require only a password. Suggested for low risk or consumer-facing applications.",
        "1FA",
        "PT12H",
        PASSWORD,
    ),
    (
        "One factor access",
        "Allow access with any one factor. Suggested for low risk or consumer-facing applications.",
        "1FA",
        "PT12H",
        None,
    ),
)
# (name, usage, type, status). DefaultEnhancedDynamicZone (anonymizers) is inactive in a new
# org: "inactive by default" (help.okta.com, about enhanced dynamic zones); the spec's examples
# showing it ACTIVE are examples, not defaults.
SYSTEM_ZONES = (
    ("LegacyIpZone", "POLICY", "IP", "ACTIVE"),
    ("BlockedIpZone", "BLOCKLIST", "IP", "ACTIVE"),
    ("DefaultExemptIpZone", "POLICY", "IP", "ACTIVE"),
    ("DefaultEnhancedDynamicZone", "BLOCKLIST", "DYNAMIC_V2", "INACTIVE"),
)


def build_empty(created: datetime | None = None) -> State:
    """What Okta itself creates in a new Identity Engine org, plus its first super admin."""
    created = created or ids.now() - timedelta(days=30)
    stamp = ids.iso(created)
    state = new_state(created)
    state["authenticators"] = default_authenticators(stamp)
    for name, usage, zone_type, status in SYSTEM_ZONES:
        add_zone(state, name, usage, stamp, system=True, zone_type=zone_type, status=status)
    all_users = add_group(
        state, "Everyone", stamp, built_in=True, description="All users in your organization"
    )
    # Okta's own admins group is built in too (recorded: TestAccDataSourceOktaGroups_read/
    # classic-00 #2, GET /api/v1/groups?filter=type eq "BUILT_IN")
    add_group(
        state,
        ADMINS_GROUP,  # its members follow the admin roles (directory/membership.py)
        stamp,
        built_in=True,
        description="Okta manages this group, which contains all administrators in your "
        "organization.",
    )
    signon = add_policy(
        state,
        "OKTA_SIGN_ON",
        "Default Policy",
        stamp,
        system=True,
        conditions={"people": {"groups": {"include": [all_users["id"]]}}},
        description="The default policy applies in all situations if no other policy applies.",
    )
    add_rule(state, signon, {"name": "Default Rule"}, stamp, system=True, priority=1)
    # The default profile enrollment policy every app links (`_links.profileEnrollment` of every
    # app in the provider's Identity Engine cassettes); its rules are not emulated.
    add_policy(state, "PROFILE_ENROLLMENT", "Default Policy", stamp, system=True)
    # The first-party apps' policies have no description (recorded: the policy lists of
    # TestAccDataSourceOktaAppSignOnPolicyRule_read and others).
    console = add_policy(state, "ACCESS_POLICY", "Okta Admin Console", stamp)
    add_rule(
        state,
        console,
        {"name": "Admin App Policy", "actions": access_actions("ALLOW", "2FA", "PT12H")},
        stamp,
    )
    add_catch_all(state, console, stamp, "DENY", "2FA", "PT12H")
    dashboard = add_policy(state, "ACCESS_POLICY", "Okta Dashboard", stamp)
    add_catch_all(state, dashboard, stamp, "ALLOW", "1FA", "PT12H")
    for index, (name, description, mode, reauth, constraints) in enumerate(PRESETS):
        preset = add_policy(
            state, "ACCESS_POLICY", name, stamp, system=index == 0, description=description
        )
        add_catch_all(state, preset, stamp, "ALLOW", mode, reauth, constraints)
    add_app(state, ADMIN_CONSOLE, "Okta Admin Console", console, stamp, "admin")
    # the Okta Dashboard has no app link (recorded: GET /api/v1/apps, okta_enduser)
    add_app(state, DASHBOARD, "Okta Dashboard", dashboard, stamp, None)
    return state


def _admin(
    state: State, login: str, first: str, last: str, stamp: str, role: str | None = None
) -> dict[str, Any]:
    """An admin user (`role`: a standard role assigned now). Okta puts every admin-role holder
    in its built-in "Okta Administrators" group itself: the sandbox derives that membership
    from the roles (`directory/membership.py`), so nobody is added to it here."""
    user = make_user(state, login, first, last, created=stamp)
    if role is not None:
        assign(state, "USER", user["id"], role, stamp)
    return user


def build_default() -> State:
    created = ids.now() - timedelta(days=30)
    stamp = ids.iso(created)
    state = build_empty(created)
    breakglass_group = add_group(
        state,
        "Break Glass Accounts",
        stamp,
        description="Emergency access accounts, exempt from IP limits",
    )
    alice = _admin(state, "alice.admin@example.com", "Alice", "Admin", stamp)
    bob = _admin(state, "bob.admin@example.com", "Bob", "Admin", stamp)
    breakglass = _admin(state, "breakglass@example.com", "Break", "Glass", stamp)
    state["memberships"][breakglass_group["id"]].append(breakglass["id"])
    carol = make_user(state, "carol@example.com", "Carol", "User", created=stamp)
    add_default_users(state, alice, stamp)  # pat (no factor), quinn, riley
    state["secrets"]["primary"] = add_api_token(state, alice, "egress-guard sandbox", stamp)
    add_api_token(state, bob, "terraform", stamp)
    _admin_roles_and_factors(state, alice, bob, breakglass, carol, stamp)
    admins = {alice["id"], bob["id"], breakglass["id"]}
    add_history(state, [alice, bob, breakglass, carol], count=150, days=6, admins=admins)
    return state


def _admin_roles_and_factors(
    state: State,
    alice: dict[str, Any],
    bob: dict[str, Any],
    breakglass: dict[str, Any],
    carol: dict[str, Any],
    stamp: str,
) -> None:
    """Alice and the break-glass account are super admins, Bob an org admin; admins sign in
    with Okta Verify (push and TOTP), the break-glass account with a security key."""
    for user, role in ((alice, "SUPER_ADMIN"), (bob, "ORG_ADMIN"), (breakglass, "SUPER_ADMIN")):
        assign(state, "USER", user["id"], role, stamp)
    for user in (alice, bob):
        login = user["profile"]["login"]
        add_factor(state, user, "push", {"name": "iPhone", "platform": "IOS"}, stamp)
        add_factor(state, user, "token:software:totp", {"credentialId": login}, stamp)
    add_factor(state, breakglass, "webauthn", {"authenticatorName": "YubiKey 5 NFC"}, stamp)
    add_factor(state, carol, "sms", {"phoneNumber": "+15555550123"}, stamp)


def build_attacks() -> State:
    from okta_sandbox.seeds.attacks import plant_attacks

    state = build_default()
    plant_attacks(state)
    return state


def _build_hardened() -> State:
    from okta_sandbox.seeds.hardened import harden

    state = build_default()
    harden(state)
    return state


def build_admins() -> State:
    from okta_sandbox.seeds.admins import plant_admins

    state = build_default()
    plant_admins(state)
    return state


def _build_large() -> State:
    from okta_sandbox.seeds.large import build_large

    return build_large()


BUILDERS: dict[str, Callable[[], State]] = {
    "default": build_default,
    "empty": build_empty,
    "large": _build_large,
    "attacks": build_attacks,
    "hardened": _build_hardened,
    "admins": build_admins,
}


def build(seed: str) -> State:
    if seed not in BUILDERS:
        raise ValueError(f"unknown seed {seed!r}: expected one of {', '.join(SEEDS)}")
    with bulk():
        state = BUILDERS[seed]()
    if state["secrets"]["primary"] is None:
        admin = next(iter(state["users"].values()), None) or _admin(
            state, "admin@example.com", "Org", "Admin", state["org"]["created"], "SUPER_ADMIN"
        )
        state["secrets"]["primary"] = add_api_token(
            state, admin, "egress-guard sandbox", state["org"]["created"]
        )
    return state
