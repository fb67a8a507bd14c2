"""What `mfa.app_policies` and `mfa.everyone` need from the org, resolved when generating.

- `all`: the org's authentication policy names (`GET /api/v1/policies?type=ACCESS_POLICY`);
  Terraform has no data source that lists policies.
- every named policy's **Catch-all Rule** (`GET /api/v1/policies/{id}/rules`, one request per
  policy): the two-factor rule goes directly above it, and only where it allows with one factor
  (`model.place_mfa_app_rule`); a rule of the policy already holding the two-factor rule's
  priority (98) is refused, since ours could then not sit below every rule of the policy.
- `mfa.everyone`: the Global Session Policy's **Default Policy** (its Default Rule and the
  priority directly above it: `mfa.default_policy`); recorded as `mfa_default_policy`.

`generate` with Okta credentials reads them and records them in the lock (`mfa_app_policies`,
`mfa_catch_all`), as it resolves restricted API token ids (`--offline` concerns the IP sources
only); without credentials, and always with `--check` or `--locked-sources` (which verify what
was generated) and in drift, the recorded values are used, so the same config renders the same
rules until the next generate with credentials. Unknown values are refused, saying how to get
them (`model.unknown_catch_all`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.errors import InputError, RefusedError
from generator.lockfile import Lock
from generator.mfa.break_glass import credentials_in
from generator.mfa.catch_all import catch_all_from_okta, catch_all_rule
from generator.mfa.default_policy import read_default_policy
from generator.model_mfa import (
    MFA_APP_RULE_PRIORITY,
    CatchAll,
    DefaultPolicy,
    catch_all_needed,
    mfa_policy_names,
    mfa_rule_name,
)
from generator.okta.client import OktaClient
from generator.okta.paths import api_path
from generator.okta.snapshot import JsonObject
from generator.settings import Config

PAGE_LIMIT = "200"


@dataclass(frozen=True)
class MfaOrgFacts:
    app_policies: tuple[str, ...] | None = None  # `all`: the org's policy names
    catch_alls: Mapping[str, CatchAll] = field(default_factory=dict)  # by policy name
    default_policy: DefaultPolicy | None = None  # mfa.everyone: the Default Policy's facts
    read_live: bool = False  # read from the org by this run (else: the lock's)


def list_access_policies(client: OktaClient) -> list[JsonObject]:
    return client.list_all("/api/v1/policies", {"type": "ACCESS_POLICY", "limit": PAGE_LIMIT})


def read_catch_alls(
    client: OktaClient, config: Config, policies: Sequence[JsonObject], names: Sequence[str]
) -> dict[str, CatchAll]:
    """Each named policy's Catch-all Rule (the first policy of that name, as the provider's
    `data "okta_policy"` takes it). A missing policy is an input error; a rule other than ours
    at the two-factor rule's priority or below it is refused."""
    by_name: dict[str, JsonObject] = {}
    for policy in policies:
        by_name.setdefault(str(policy.get("name")), policy)
    missing = [name for name in names if name not in by_name]
    if missing:
        raise InputError(
            f"{config.path}: mfa.app_policies: no authentication policy named "
            f"{', '.join(repr(n) for n in missing)} in {client.org_url}"
        )
    ours = mfa_rule_name(config.output.name_prefix)

    def one(name: str) -> tuple[str, CatchAll]:
        policy_id = str(by_name[name].get("id"))
        rules = client.list_all(api_path("policies", policy_id, "rules"))
        found = catch_all_rule(rules)
        if found is None:
            raise InputError(
                f"{config.path}: mfa.app_policies: authentication policy {name!r} "
                f"({policy_id}) has no Catch-all Rule"
            )
        low = [
            r
            for r in rules
            if not r.get("system")
            and r.get("name") != ours
            and int(r.get("priority") or 0) >= MFA_APP_RULE_PRIORITY
        ]
        if low:
            rule = low[0]
            raise RefusedError(
                f"mfa.app_policies: authentication policy {name!r}: rule {rule.get('name')!r} "
                f"holds priority {rule.get('priority')}, where egress-guard's two-factor rule "
                f"goes ({MFA_APP_RULE_PRIORITY}, directly above the Catch-all Rule, so that "
                "every rule of the policy keeps deciding first): move that rule up (a smaller "
                "priority) or leave the policy out of mfa.app_policies"
            )
        return name, catch_all_from_okta(found)

    return dict(client.map_concurrent(one, list(names)))


def _recorded_names(config: Config, previous: Lock | None, why: str) -> tuple[str, ...]:
    recorded = previous.mfa_app_policies if previous is not None else None
    if recorded is None:
        raise InputError(
            f"{config.path}: mfa.app_policies: all needs the org's authentication policies "
            f"and the lock records none ({why}): run `egress-guard generate` once with "
            "Okta credentials (OKTA_ORG_URL or OKTA_ORG_NAME/OKTA_BASE_URL and "
            "OKTA_API_TOKEN or the OAuth variables), or list the policies by name"
        )
    return recorded


def resolve_mfa_facts(
    config: Config,
    previous: Lock | None,
    *,
    live: bool,
    env: Mapping[str, str] | None = None,
) -> MfaOrgFacts:
    """The policy names `mfa.app_policies: all` stands for, each named policy's Catch-all Rule
    and (`mfa.everyone`) the Global Session Policy's Default Policy: read from the org when
    `live` (generate, not --check/--locked-sources) and Okta credentials are set, else the
    lock's. Nothing to resolve without `mfa.app_policies` or `mfa.everyone`."""
    mfa = config.mfa
    apps = mfa is not None and (mfa.all_app_policies or bool(mfa.app_policies))
    if mfa is None or not (apps or mfa.everyone):
        return MfaOrgFacts()
    env = os.environ if env is None else env
    if not (live and credentials_in(env)):
        why = "no credentials" if live else "--check or --locked-sources"
        names = _recorded_names(config, previous, why) if mfa.all_app_policies else None
        recorded = previous.mfa_catch_all if previous is not None else {}
        needed = catch_all_needed(config, mfa_policy_names(config, names)) if apps else ()
        default = previous.mfa_default_policy if previous is not None and mfa.everyone else None
        return MfaOrgFacts(names, {n: recorded[n] for n in needed if n in recorded}, default)
    with OktaClient.from_env(env) as client:
        default = read_default_policy(client, config) if mfa.everyone else None
        if not apps:
            return MfaOrgFacts(None, {}, default, read_live=True)
        policies = list_access_policies(client)
        names = None
        if mfa.all_app_policies:
            names = tuple(sorted({str(p.get("name")) for p in policies}))
            unknown = sorted(set(mfa.app_policy_exceptions) - set(names))
            if unknown:
                print(
                    "egress-guard: note: mfa.app_policy_exceptions names no such "
                    f"authentication policy: {', '.join(unknown)}",
                    file=sys.stderr,
                )
        needed = catch_all_needed(config, mfa_policy_names(config, names))
        catch_alls = read_catch_alls(client, config, policies, needed)
    return MfaOrgFacts(names, catch_alls, default, read_live=True)
