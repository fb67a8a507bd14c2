"""`mfa.app_policies: all`: the org's authentication policies, resolved when generating.

Terraform has no data source that lists policies, so `generate` reads their names
(`GET /api/v1/policies?type=ACCESS_POLICY`) when Okta credentials are available, and records
them in the lock file; `--offline`, `--locked-sources` (PR and apply CI) and drift take the
recorded list, so the same config always renders the same rules until the next refresh. With
neither credentials nor a recorded list, generate refuses, saying how to get one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from generator.errors import InputError
from generator.lockfile import Lock
from generator.mfa.break_glass import credentials_in
from generator.okta.client import OktaClient
from generator.settings import Config


def read_app_policy_names(client: OktaClient) -> tuple[str, ...]:
    params = {"type": "ACCESS_POLICY", "limit": "200"}
    return tuple(sorted({str(p.get("name")) for p in client.list_all("/api/v1/policies", params)}))


def resolve_app_policies(
    config: Config,
    previous: Lock | None,
    *,
    offline: bool,
    locked: bool,
    env: Mapping[str, str] | None = None,
) -> tuple[str, ...] | None:
    """The authentication policy names `mfa.app_policies: all` stands for (None when the config
    does not say `all`)."""
    if config.mfa is None or not config.mfa.all_app_policies:
        return None
    env = os.environ if env is None else env
    recorded = previous.mfa_app_policies if previous is not None else None
    if offline or locked or not credentials_in(env):
        if recorded is None:
            why = "--offline" if offline else "--locked-sources" if locked else "no credentials"
            raise InputError(
                f"{config.path}: mfa.app_policies: all needs the org's authentication policies "
                f"and the lock records none ({why}): run `egress-guard generate` once with "
                "Okta credentials (OKTA_ORG_URL or OKTA_ORG_NAME/OKTA_BASE_URL and "
                "OKTA_API_TOKEN or the OAuth variables), or list the policies by name"
            )
        return recorded
    with OktaClient.from_env(env) as client:
        names = read_app_policy_names(client)
    unknown = sorted(set(config.mfa.app_policy_exceptions) - set(names))
    if unknown:
        print(
            "egress-guard: note: mfa.app_policy_exceptions names no such authentication "
            f"policy: {', '.join(unknown)}",
            file=sys.stderr,
        )
    return names
