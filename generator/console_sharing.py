"""`generate` with Okta credentials: is the Admin Console's authentication policy shared?

Rules on that policy apply to every app it is assigned to. When the Admin Console rules cover
every user (`okta.admin_console.applies_to: everyone`, the default) and the policy is shared,
generating them would confine every user of those apps to the trusted egress: `generate` refuses
(exit 1, nothing written) unless `--force`, naming the apps and the fixes; with `admin_groups`
scoping it warns. A dedicated policy (`okta.admin_console.dedicated_policy`) is never shared.

Read-only, three requests at most in the usual case (the Admin Console app, the policy's
mappings, the other apps' labels). No credentials, `--offline`, or a failed read: a note that
the check was not made (drift makes it on every run).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

from generator.drift.console_policy import app_labels, sharing_message
from generator.errors import RefusedError
from generator.model import DesiredState
from generator.okta.auth import OktaSettings
from generator.okta.client import OktaClient
from generator.okta.errors import OktaConfigError, OktaError
from generator.okta.platform import ADMIN_CONSOLE_APP
from generator.okta.policy_sharing import apps_sharing_policy
from generator.okta.reads import policy_id_from_link
from generator.okta.snapshot import JsonObject

NOTE = "egress-guard: note:"


def shared_console_policy(client: OktaClient) -> tuple[str, tuple[JsonObject, ...]] | None:
    """(policy id, the other apps it is assigned to), or None when there is no Admin Console
    app with a policy link."""
    params = {"filter": f'name eq "{ADMIN_CONSOLE_APP}"', "limit": "200"}
    apps = [a for a in client.list_all("/api/v1/apps", params) if a.get("status") == "ACTIVE"]
    if not apps:
        return None
    policy_id = policy_id_from_link(apps[0])
    if policy_id is None:
        return None
    return policy_id, apps_sharing_policy(client, policy_id, str(apps[0].get("id")))


def check_console_sharing(
    state: DesiredState,
    *,
    offline: bool,
    force: bool,
    env: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
) -> None:
    out = stream if stream is not None else sys.stderr
    console = next((a for a in state.app_policies if a.key == "admin_console"), None)
    if console is None or console.dedicated_policy is not None:
        return
    environ = os.environ if env is None else env
    not_checked = f"{NOTE} whether the Okta Admin Console's authentication policy is shared"
    if offline:
        print(f"{not_checked} with other apps was not checked (--offline)", file=out)
        return
    try:
        settings = OktaSettings.from_env(environ)
    except OktaConfigError:
        print(f"{not_checked} with other apps was not checked (no Okta credentials)", file=out)
        return
    try:
        with OktaClient(settings) as client:
            found = shared_console_policy(client)
    except OktaError as error:
        print(f"{not_checked} with other apps could not be checked: {error}", file=out)
        return
    if found is None or not found[1]:
        return
    policy_id, apps = found
    message = sharing_message(state, policy_id, apps)
    if not console.everyone:
        print(f"egress-guard: warning: {message}", file=out)
        return
    if force:
        print(f"egress-guard: warning: --force: {message}", file=out)
        return
    raise RefusedError(
        f"the Admin Console rules would confine every user of {app_labels(apps)}; nothing was "
        f"written. {message}; or pass --force"
    )
