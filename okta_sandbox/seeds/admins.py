"""The `admins` seed: the `default` org plus an admin of every kind Okta allows outside the admin
groups, as an org that grew by hand (and the 2023 breach pattern) has them:

- `mallory@example.com`: Super Administrator assigned directly (no admin group);
- `heidi@example.com`: a custom role ("Help Desk Lite": reset passwords and MFA) bound to her
  over the resource set "All users";
- `ivan@example.com`: member of "IT Helpdesk", a group holding the Help Desk Administrator
  role, and `judy@example.com`: member of "Access Reviewers", a group bound to the custom role;
- "Reporting service": an OAuth service app (client credentials) holding the Read-only
  Administrator role.

The default seed's admins (alice, bob, the break-glass account) stay members of "Okta
Administrators"; carol still holds no role.
"""

from __future__ import annotations

from okta_sandbox.core import ids, oauth
from okta_sandbox.core.routing import State
from okta_sandbox.directory.roles import assign
from okta_sandbox.iam.store import add_resource_set, add_role, bind
from okta_sandbox.seeds.objects import add_group, make_user

CUSTOM_ROLE = "Help Desk Lite"
CUSTOM_PERMISSIONS = [
    "okta.users.read",
    "okta.users.credentials.resetPassword",
    "okta.users.credentials.resetFactors",
]
RESOURCE_SET = "All users"
SERVICE_APP = "Reporting service"


def plant_admins(state: State) -> None:
    stamp = ids.now_iso()
    mallory = make_user(state, "mallory@example.com", "Mallory", "Direct", created=stamp)
    assign(state, "USER", mallory["id"], "SUPER_ADMIN", stamp)
    role = add_role(state, CUSTOM_ROLE, "Reset passwords and factors", CUSTOM_PERMISSIONS, stamp)
    every_user = f"orn:okta:directory:{state['org']['id']}:users"
    users = add_resource_set(state, RESOURCE_SET, "Every user of the org", [every_user], stamp)
    heidi = make_user(state, "heidi@example.com", "Heidi", "Custom", created=stamp)
    bind(state, users["id"], role["id"], "USER", heidi["id"], stamp)
    helpdesk = add_group(state, "IT Helpdesk", stamp, description="First-line support")
    assign(state, "GROUP", helpdesk["id"], "HELP_DESK_ADMIN", stamp)
    ivan = make_user(state, "ivan@example.com", "Ivan", "Group", created=stamp)
    state["memberships"][helpdesk["id"]].append(ivan["id"])
    reviewers = add_group(state, "Access Reviewers", stamp, description="Quarterly reviews")
    bind(state, users["id"], role["id"], "GROUP", reviewers["id"], stamp)
    judy = make_user(state, "judy@example.com", "Judy", "Binding", created=stamp)
    state["memberships"][reviewers["id"]].append(judy["id"])
    # no key: nobody authenticates as it here
    client_id = oauth.register_client(state, SERVICE_APP, "", [])
    assign(state, "CLIENT", client_id, "READ_ONLY_ADMIN", stamp)
