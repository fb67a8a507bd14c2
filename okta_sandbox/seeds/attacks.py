"""The `attacks` seed: the `default` org with a week of busy, ordinary System Log history and,
in the last hour, one instance of each attack pattern `egress-guard watch` looks for.

Planted (each with the objects it implies, so the org agrees with its log):

- the Admin Console reached from outside the trusted egress: bob evaluates the Admin Console's
  policy from home broadband, alice from the attacker's hosting provider (denied);
- session replay: alice's fresh session reused two minutes later from the hosting provider by a
  script (`user.session.access_admin_app`, same `externalSessionId`), and Okta's own
  `security.session.detect_client_roaming` for it;
- MFA weakened: carol's push factor unenrolled (`user.mfa.factor.deactivate`), all of dave's
  factors reset (`user.mfa.factor.reset_all`), the SMS factor disabled org-wide
  (`system.mfa.factor.deactivate`);
- a backdoor account: `svc-backup@example.com` created and activated, made a Super
  Administrator (`user.account.privilege.grant`), added to a new group
  (`group.user_membership.add`) which is then given a role (`group.privilege.grant`), an API
  token created for it (`system.api_token.create`, network ANYWHERE) and used from outside an
  allowed zone (`system.api_token.request_outside_allowed_range`); erin reactivated and frank
  unsuspended;
- admin privileges without a privilege event: dave added to "Okta Operators", a group that has
  held the Organization Administrator role since before the log's week and had no member
  (`group.user_membership.add` only), among ordinary membership changes of "Engineering" during
  the week; the break-glass account removed from "Break Glass Accounts"
  (`group.user_membership.remove`: the deny rules no longer exempt it through the group);
- controls weakened: the Admin Console rule deactivated (`policy.rule.deactivate`) and
  `LegacyIpZone` updated (`zone.update`);
- ThreatInsight: a password spray flagged (`security.threat.detected`) and carol reporting
  suspicious activity (`user.account.report_suspicious_activity_by_enduser`);
- brute force: eight failed sign-ins for carol from three addresses in six minutes, then a
  success; push fatigue: six denied Okta Verify pushes for bob in four minutes, then an approval.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from okta_sandbox.core import ids
from okta_sandbox.core.routing import State
from okta_sandbox.directory.factors import add_factor, user_factors
from okta_sandbox.directory.roles import STANDARD_ROLES, assign
from okta_sandbox.directory.routes import group_target
from okta_sandbox.logs import events
from okta_sandbox.seeds.history import PUSH, QUIET_BEHAVIOURS, add_history
from okta_sandbox.seeds.memberships import admin_group_joined, break_glass_removed, join
from okta_sandbox.seeds.networks import (
    HOME_IPS,
    OFFICE_IPS,
    REPLAY_IPS,
    SCRIPT,
    TRUSTED_IPS,
    browser_of,
    device_hash,
)
from okta_sandbox.seeds.objects import add_api_token, add_group, make_user
from okta_sandbox.seeds.planter import Planter, console_targets, new_session, zone_id

NOISE_EVENTS = 1500
NOISE_DAYS = 7
SPRAY_IPS = ("192.0.2.17", "192.0.2.18", "192.0.2.19")


def plant_attacks(state: State, now: datetime | None = None) -> None:
    """Add the people, the noise and the attack patterns to a `default` org."""
    now = now or ids.now()
    stamp = ids.iso(now - timedelta(days=20))
    for login, first in (("dave", "Dave"), ("erin", "Erin"), ("frank", "Frank")):
        make_user(state, f"{login}@example.com", first, "User", created=stamp)
    users = {u["profile"]["login"]: u for u in state["users"].values()}
    users["erin@example.com"].update(status="PROVISIONED")
    users["frank@example.com"].update(status="SUSPENDED")
    for login in ("carol@example.com", "dave@example.com"):
        add_factor(state, users[login], "push", {"name": "iPhone", "platform": "IOS"}, stamp)
        add_factor(state, users[login], "sms", {"phoneNumber": "+15555550100"}, stamp)
    admins = {
        u["id"]
        for u in users.values()
        if u["profile"]["login"].split("@")[0] in ("alice.admin", "bob.admin", "breakglass")
    }
    add_history(
        state,
        list(users.values()),
        count=NOISE_EVENTS,
        days=NOISE_DAYS,
        admins=admins,
        rng=random.Random(11),
        end_offset=timedelta(minutes=2),
    )
    planter = Planter(state, now)
    _admin_console_from_outside(planter)
    _session_replay(planter)
    _mfa_weakened(planter)
    _backdoor_account(planter, stamp)
    admin_group_joined(planter, stamp)
    break_glass_removed(planter)
    _controls_weakened(planter)
    _threats(planter)
    _brute_force_and_push_fatigue(planter)
    state["logs"].sort(key=lambda e: e["published"])


def _admin_console_from_outside(planter: Planter) -> None:
    targets = console_targets(planter)
    planter.add(
        50,
        "policy.evaluate_sign_on",
        "Evaluation of sign-on policy",
        "bob.admin@example.com",
        HOME_IPS[2],
        targets,
        outcome="CHALLENGE",
        reason="Sign-on policy evaluation resulted in CHALLENGE",
        debug={"behaviors": QUIET_BEHAVIOURS.replace("New IP=NEGATIVE", "New IP=POSITIVE")},
    )
    planter.add(
        48,
        "policy.evaluate_sign_on",
        "Evaluation of sign-on policy",
        "alice.admin@example.com",
        REPLAY_IPS[0],
        targets,
        outcome="DENY",
        reason="Sign-on policy evaluation resulted in DENY",
    )


def _session_replay(planter: Planter) -> None:
    alice = "alice.admin@example.com"
    session = new_session(planter.rng)
    console = console_targets(planter)[:1]
    planter.add(
        40,
        "user.session.start",
        "User login to Okta",
        alice,
        OFFICE_IPS[0],
        [],
        session=session,
        legacy_event_type="core.user_auth.login_success",
        debug={
            "dtHash": device_hash(planter.user(alice)["id"], browser_of(planter.user(alice)["id"])),
            "threatSuspected": "false",
        },
    )
    planter.add(
        39,
        "user.session.access_admin_app",
        "User accessing Okta admin app",
        alice,
        OFFICE_IPS[0],
        console,
        session=session,
        uri="/admin/sso/callback",
    )
    planter.add(
        37,
        "user.session.access_admin_app",
        "User accessing Okta admin app",
        alice,
        REPLAY_IPS[1],
        console,
        session=session,
        agent=SCRIPT,
        uri="/admin/sso/callback",
    )
    planter.add(
        37,
        "security.session.detect_client_roaming",
        "Roaming session detected",
        alice,
        REPLAY_IPS[1],
        [planter.target_user(alice)],
        session=session,
        agent=SCRIPT,
        severity="WARN",
    )


def _mfa_weakened(planter: Planter) -> None:
    bob, state = "bob.admin@example.com", planter.state
    carol, dave = planter.user("carol@example.com"), planter.user("dave@example.com")
    push = next(f for f in user_factors(state, carol["id"]).values() if f["factorType"] == "push")
    del user_factors(state, carol["id"])[push["id"]]
    planter.add(
        33,
        "user.mfa.factor.deactivate",
        "Reset factor for user",
        bob,
        TRUSTED_IPS[0],
        [planter.target_user("carol@example.com")],
        reason="Admin reset OKTA_VERIFY_PUSH factor",
        uri=f"/api/v1/users/{carol['id']}/factors/{push['id']}",
    )
    user_factors(state, dave["id"]).clear()
    planter.add(
        32,
        "user.mfa.factor.reset_all",
        "Reset all factors for user",
        bob,
        TRUSTED_IPS[0],
        [planter.target_user("dave@example.com")],
        uri=f"/api/v1/users/{dave['id']}/lifecycle/reset_factors",
    )
    planter.add(
        31,
        "system.mfa.factor.deactivate",
        "Deactivate MFA factor",
        bob,
        TRUSTED_IPS[0],
        [events.target("sms", "Factor", "SMS Authentication", "SMS Authentication")],
        outcome=None,
        severity="WARN",
        debug={"factorType": "SMS_FACTOR"},
    )


def _backdoor_account(planter: Planter, stamp: str) -> None:
    state, bob = planter.state, "bob.admin@example.com"
    backdoor = make_user(state, "svc-backup@example.com", "Service", "Backup", active=True)
    planter.users["svc-backup@example.com"] = backdoor
    target = planter.target_user("svc-backup@example.com")
    planter.add(30, "user.lifecycle.create", "Create Okta user", bob, HOME_IPS[2], [target])
    planter.add(30, "user.lifecycle.activate", "Activate Okta user", bob, HOME_IPS[2], [target])
    assign(state, "USER", backdoor["id"], "SUPER_ADMIN", ids.iso(planter.now))
    planter.add(
        29,
        "user.account.privilege.grant",
        "Grant user privilege",
        bob,
        HOME_IPS[2],
        [target],
        debug={"privilegeGranted": STANDARD_ROLES["SUPER_ADMIN"][1]},
        uri=f"/api/internal/administrators/{backdoor['id']}",
    )
    group = add_group(state, "Backup Operators", stamp)
    join(planter, 28.5, group, "svc-backup@example.com", bob, HOME_IPS[2], add=True)
    assign(state, "GROUP", group["id"], "ORG_ADMIN", ids.iso(planter.now))
    planter.add(
        28,
        "group.privilege.grant",
        "Grant group privilege",
        bob,
        HOME_IPS[2],
        [group_target(group)],
        debug={"privilegeGranted": STANDARD_ROLES["ORG_ADMIN"][1]},
    )
    add_api_token(state, backdoor, "backup-sync", ids.iso(planter.now))
    token = next(t for t in state["api_tokens"].values() if t["name"] == "backup-sync")
    token_target = events.target(token["id"], "Token", "unknown", token["name"])
    planter.add(
        27,
        "system.api_token.create",
        "Create API token",
        "svc-backup@example.com",
        HOME_IPS[2],
        [token_target],
        debug={"networkConnection": "ANYWHERE"},
    )
    bobs = next(t for t in state["api_tokens"].values() if t["userId"] == planter.user(bob)["id"])
    bobs["network"] = {"connection": "ZONE", "include": [zone_id(state, "LegacyIpZone")]}
    planter.add(
        26,
        "system.api_token.request_outside_allowed_range",
        "Request made with an API token from outside its allowed network zone",
        bob,
        REPLAY_IPS[0],
        [events.target(bobs["id"], "Token", "unknown", bobs["name"])],
        agent=SCRIPT,
        outcome="DENY",
        severity="WARN",
    )
    for login, event_type, message, status in (
        ("erin@example.com", "user.lifecycle.reactivate", "Reactivate Okta user", "PROVISIONED"),
        ("frank@example.com", "user.lifecycle.unsuspend", "Unsuspend Okta user", "ACTIVE"),
    ):
        planter.user(login).update(status=status, statusChanged=ids.iso(planter.now))
        planter.add(25, event_type, message, bob, HOME_IPS[2], [planter.target_user(login)])


def _controls_weakened(planter: Planter) -> None:
    state, bob = planter.state, "bob.admin@example.com"
    console = console_targets(planter)[1]
    rule = next(r for r in state["rules"][console["id"]].values() if not r["system"])
    rule["status"] = "INACTIVE"
    planter.add(
        24,
        "policy.rule.deactivate",
        "Deactivate policy rule",
        bob,
        HOME_IPS[2],
        [events.target(rule["id"], "PolicyRule", rule["name"], rule["name"]), console],
        uri=f"/api/v1/policies/{console['id']}/rules/{rule['id']}/lifecycle/deactivate",
    )
    zone = state["zones"][zone_id(state, "LegacyIpZone")]
    planter.add(
        23,
        "zone.update",
        "Update Network Zone",
        bob,
        HOME_IPS[2],
        [events.target(zone["id"], "Zone", zone["name"], zone["name"])],
        uri=f"/api/v1/zones/{zone['id']}",
    )


def _threats(planter: Planter) -> None:
    for index, ip in enumerate(SPRAY_IPS):
        event = planter.add(
            20 - index,
            "security.threat.detected",
            "Request from suspicious actor",
            "carol@example.com",
            ip,
            [],
            agent=SCRIPT,
            outcome="DENY",
            reason="Password Spray",
            severity="WARN",
            debug={"threatSuspected": "true", "threatDetections": '{"Password Spray":"HIGH"}'},
        )
        event["actor"] = {
            "id": ip,
            "type": "IP address",
            "alternateId": "unknown",
            "displayName": "unknown",
        }
    planter.add(
        16,
        "user.account.report_suspicious_activity_by_enduser",
        "User report suspicious activity",
        "carol@example.com",
        HOME_IPS[0],
        [planter.target_user("carol@example.com")],
        severity="WARN",
        debug={"suspiciousActivityEventType": "user.session.start"},
    )


def _brute_force_and_push_fatigue(planter: Planter) -> None:
    carol, bob = "carol@example.com", "bob.admin@example.com"
    for attempt in range(8):
        planter.add(
            14 - attempt * 0.75,
            "user.session.start",
            "User login to Okta",
            carol,
            SPRAY_IPS[attempt % 3],
            [],
            agent=SCRIPT,
            outcome="FAILURE",
            reason="INVALID_CREDENTIALS",
            legacy_event_type="core.user_auth.login_failed",
            debug={"loginResult": "INVALID_CREDENTIALS", "threatSuspected": "true"},
        )
    planter.add(
        7.5,
        "user.session.start",
        "User login to Okta",
        carol,
        SPRAY_IPS[0],
        [],
        agent=SCRIPT,
        session=new_session(planter.rng),
        legacy_event_type="core.user_auth.login_success",
        debug={"threatSuspected": "true"},
    )
    for attempt in range(7):
        denied = attempt < 6
        planter.add(
            6 - attempt * 0.6,
            "system.push.send_factor_verify_push",
            "Push notification sent for verification",
            bob,
            REPLAY_IPS[0],
            [],
        )
        planter.add(
            5.8 - attempt * 0.6,
            "user.authentication.auth_via_mfa",
            "Authentication of user via MFA",
            bob,
            REPLAY_IPS[0],
            [],
            outcome="FAILURE" if denied else "SUCCESS",
            reason="INVALID_CREDENTIALS" if denied else None,
            debug={
                **PUSH,
                "pushOnlyResponseType": "OV_RESPONSE_DENY" if denied else "OV_RESPONSE_APPROVE",
            },
        )
