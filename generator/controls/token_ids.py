"""The ids of the API tokens `controls.api_tokens.restrict` names: Terraform's `okta_api_token`
and its `import` block need the id, the config may give a name.

`generate` run with Okta credentials (the drift variables; `okta.apiTokens.read`) looks the names
up (`GET /api/v1/api-tokens`); the ids are kept in the lock file, so every later run (`generate
--check`, `--offline`, `--locked-sources`, drift, the gated apply) needs no credentials. A name
that matches no token, or several, is an error naming it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.errors import InputError
from generator.lockfile import LOCK_NAME, Lock
from generator.okta.client import OktaClient
from generator.okta.errors import OktaConfigError
from generator.settings import Config

LIST_PATH = "/api/v1/api-tokens"


def names_to_resolve(config: Config) -> list[str]:
    return [r.name for r in config.controls.api_tokens.restrict if r.name and not r.id]


def credentials_configured(env: Mapping[str, str] | None = None) -> bool:
    from generator.okta.auth import OktaSettings

    try:
        OktaSettings.from_env(os.environ if env is None else env)
    except OktaConfigError:
        return False
    return True


def lookup(client: OktaClient, names: Sequence[str]) -> dict[str, str]:
    tokens = client.list_all(LIST_PATH)
    found: dict[str, str] = {}
    for name in names:
        matches = sorted(str(t.get("id")) for t in tokens if t.get("name") == name)
        if len(matches) != 1:
            known = ", ".join(sorted(repr(str(t.get("name"))) for t in tokens)) or "none"
            problem = "no API token" if not matches else f"{len(matches)} API tokens"
            raise InputError(
                f"controls.api_tokens.restrict: {problem} named {name!r} in {client.org_url} "
                f"(tokens: {known}); give the token's id instead (id: 00T...)"
            )
        found[name] = matches[0]
    return found


def recorded(config: Config, lock: Lock | None, out_dir: Path) -> dict[str, str]:
    """The ids the lock recorded for the configured names; a name it lacks is an error."""
    names = names_to_resolve(config)
    ids = dict(lock.api_tokens) if lock else {}
    missing = [name for name in names if name not in ids]
    if missing:
        raise InputError(
            f"controls.api_tokens.restrict: no id recorded for {', '.join(map(repr, missing))} "
            f"in {out_dir / LOCK_NAME}: run `egress-guard generate` once with Okta credentials "
            "(OKTA_ORG_URL and OKTA_API_TOKEN or the OAuth variables; okta.apiTokens.read), "
            "which looks the names up and records the ids, or give each token's id"
        )
    return {name: ids[name] for name in names}


def resolve(config: Config, lock: Lock | None, out_dir: Path, *, live: bool) -> dict[str, str]:
    """name → id for the restricted tokens named without an id: looked up when `live` (and
    credentials are configured), else taken from the lock."""
    names = names_to_resolve(config)
    if not names:
        return {}
    if live and credentials_configured():
        with OktaClient.from_env() as client:
            return lookup(client, names)
    return recorded(config, lock, out_dir)
