"""The desired state's rules on each protected app's authentication policy (the Admin Console
and `okta.extra_apps`): allow from the trusted zones, deny elsewhere, and on a dedicated Admin
Console policy a break-glass rule. Part of the desired-state model (`generator.model`, whose
`build_desired_state` calls `app_policy` for each app).
"""

from __future__ import annotations

import json
from functools import partial

from generator.model import (
    BLOCKED,
    MANAGED_DESCRIPTION,
    AppPolicyRules,
    AppRule,
    Status,
)
from generator.okta.platform import ADMIN_CONSOLE_LABEL
from generator.settings import Config

# `required` is explicit: the provider parses constraints into typed structs whose `required`
# is not omitempty, so a constraint without it would be sent as `required: false`
# (okta/terraform-provider-okta sdk/v2_possessionConstraint.go:10, v6.12.0).
PHISHING_RESISTANT_CONSTRAINT = json.dumps(
    {"possession": {"phishingResistant": "REQUIRED", "required": True}},
    sort_keys=True,
    separators=(",", ":"),
)


def app_policy(
    config: Config,
    key: str,
    label: str,
    app_name: str | None,
    zone_keys: tuple[str, ...],
    deny_status: Status,
) -> AppPolicyRules:
    """Two rules on the app's policy: allow from the trusted zones, deny elsewhere (break-glass
    excepted). The Admin Console's cover every user by default (only admins use it: an admin
    however granted is confined the moment they get the role); other apps' the admin groups.
    A dedicated Admin Console policy also gets a break-glass rule, its Catch-all denying."""
    okta, prefix = config.okta, config.output.name_prefix
    console = okta.admin_console
    is_console = key == "admin_console"
    everyone = is_console and console.applies_to == "everyone"
    groups = () if everyone else okta.admin_groups
    bg_groups = (okta.break_glass.group,) if okta.break_glass.group else ()
    constraints = (PHISHING_RESISTANT_CONSTRAINT,) if console.phishing_resistant else ()
    dedicated = is_console and console.dedicated_policy
    # every ALLOW rule signs admins on the same way (factors, re-authentication, constraints)
    allow = partial(
        AppRule,
        access="ALLOW",
        network_connection="ZONE",
        factor_mode=console.factor_mode,
        re_authentication_frequency=console.reauthenticate_in,
        constraints=constraints,
    )
    rules = [
        allow(
            key=f"{key}_allow_trusted",
            name=f"{prefix} admins from trusted egress",
            priority=1,
            network_includes=zone_keys,
            groups_included=groups,
        ),
        AppRule(
            key=f"{key}_deny_other",
            name=f"{prefix} deny admins elsewhere",
            priority=2,
            access="DENY",
            network_connection="ZONE",
            network_excludes=zone_keys,
            groups_included=groups,
            groups_excluded=bg_groups,
            users_excluded=okta.break_glass.users,
            status=deny_status,
        ),
    ]
    if dedicated:
        rules.append(
            allow(
                key=f"{key}_break_glass",
                name=f"{prefix} break-glass from anywhere",
                priority=3,
                # anywhere but Okta's blocklist (blocked before any policy anyway): a zone named
                network_excludes=(BLOCKED.key,),
                groups_included=bg_groups,
                users_included=okta.break_glass.users,
            )
        )
    return AppPolicyRules(
        key=key,
        app_label=label,
        app_name=app_name,
        rules=tuple(rules),
        everyone=everyone,
        dedicated_policy=f"{prefix} {ADMIN_CONSOLE_LABEL}" if dedicated else None,
        description=MANAGED_DESCRIPTION if dedicated else "",
    )
