"""Helpers for the MFA tests: the example config with an `mfa:` section, an org synced to it,
and changes an admin makes by hand (policies for a group, rules, app assignments)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from drift_support import Admin, make_client
from paths import REPO

from generator.config import load_config
from generator.drift.apply_expected import apply_expected
from generator.drift.desired import Desired
from generator.drift.findings import Finding
from generator.drift.run import DriftOptions, run_drift
from generator.ipsets import IpPolicy, build_group_sets, shard
from generator.model import build_desired_state
from generator.model_mfa import CatchAll, DefaultPolicy, DefaultRule
from generator.sources import resolve_sources
from okta_sandbox import Sandbox

EVERYONE_SESSION = ("one-factor-session:Default Policy", "Default Policy / Default Rule")
DASHBOARD_APP = ("one-factor-app:Okta Dashboard", "Okta Dashboard / Catch-all Rule")


# The sandbox's default seed as `generate` reads it (test_mfa_placement checks these against the
# sandbox): Okta's preset authentication policies of a new Identity Engine org.
PASSWORD_CONSTRAINT = '{"knowledge":{"types":["PASSWORD"]}}'
SEED_CATCH_ALLS = {
    "Okta Admin Console": CatchAll("DENY"),
    "Okta Dashboard": CatchAll("ALLOW", "1FA"),
    "Any two factors": CatchAll("ALLOW", "2FA"),
    "Password only": CatchAll("ALLOW", "1FA", (PASSWORD_CONSTRAINT,)),
    "One factor access": CatchAll("ALLOW", "1FA"),
}

# The sandbox's default seed's Default Policy as `generate` reads it (test_mfa_default_policy
# checks it against the sandbox): the Default Rule alone (ALLOW anywhere without MFA, idle 120
# minutes, no lifetime limit, no persistent cookie), so the Everyone rule goes at priority 1.
SEED_DEFAULT_POLICY = DefaultPolicy(DefaultRule("ALLOW"), 1)


def write_config(directory: Path, mfa: dict[str, Any], **top: Any) -> Path:
    document = yaml.safe_load((REPO / "examples" / "egress-policy.yaml").read_text())
    document["output"]["dir"] = str(directory / "generated")
    document["mfa"] = mfa
    document.update(top)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "egress-policy.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def mfa_config(
    directory: Path,
    mfa: dict[str, Any],
    catch_alls: Mapping[str, CatchAll] | None = None,
    default_policy: DefaultPolicy = SEED_DEFAULT_POLICY,
    **top: Any,
) -> Desired:
    """The example config with `mfa`, as drift loads it without a lock; the named policies'
    Catch-all Rules and the Default Policy as `catch_alls` and `default_policy` say (default:
    the sandbox's default seed)."""
    path = write_config(directory, mfa, **top)
    config = load_config(path)
    groups = build_group_sets(
        resolve_sources(config, offline=True), IpPolicy.from_safety(config.safety)
    )
    known = SEED_CATCH_ALLS if catch_alls is None else catch_alls
    state = build_desired_state(
        config, shard(groups), mfa_catch_alls=known, mfa_default_policy=default_policy
    )
    return Desired(state, "configured sources (offline, no lock file)", config.output.dir)


@contextmanager
def synced(desired: Desired, seed: str = "default") -> Iterator[Sandbox]:
    with Sandbox.start(seed=seed) as sandbox:
        with make_client(sandbox) as client:
            apply_expected(client, desired.state)
        yield sandbox


def mfa_findings(sandbox: Sandbox, desired: Desired) -> list[Finding]:
    with make_client(sandbox) as client:
        report = run_drift(client, desired.state, DriftOptions(with_events=False))
    mfa_checks = ("one-factor-", "break-glass-mfa")
    return [
        f
        for f in report.findings
        if (f.check or "").startswith(mfa_checks) or "MFA" in f.message or "two-factor" in f.message
    ]


def drift_notes(sandbox: Sandbox, desired: Desired) -> tuple[str, ...]:
    with make_client(sandbox) as client:
        return run_drift(client, desired.state, DriftOptions(with_events=False)).notes


def paths_of(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.check or "", f.name) for f in findings if (f.check or "").startswith("one-factor")}


class OrgAdmin(Admin):
    """Hand-made policies for groups and apps (as an admin would click them together)."""

    def group(self, name: str) -> str:
        found = self.call("POST", "/api/v1/groups", {"profile": {"name": name}})
        return str(found["id"])

    def user_id(self, login: str) -> str:
        return str(self.call("GET", f"/api/v1/users/{login}")["id"])

    def add_member(self, group_id: str, login: str) -> None:
        self.call("PUT", f"/api/v1/groups/{group_id}/users/{self.user_id(login)}")

    def sign_on_policy(
        self,
        name: str,
        group_id: str,
        mfa: bool,
        network: dict[str, Any] | None = None,
        priority: int = 1,
    ) -> dict[str, Any]:
        policy = self.call(
            "POST",
            "/api/v1/policies",
            {
                "type": "OKTA_SIGN_ON",
                "name": name,
                "priority": priority,
                "conditions": {"people": {"groups": {"include": [group_id]}}},
            },
        )
        rule: dict[str, Any] = self.call(
            "POST",
            f"/api/v1/policies/{policy['id']}/rules",
            {
                "type": "SIGN_ON",
                "name": f"{name} rule",
                "conditions": {"network": network or {"connection": "ANYWHERE"}},
                "actions": {"signon": {"access": "ALLOW", "requireFactor": mfa}},
            },
        )
        return rule

    def access_policy(self, name: str, catch_all_mode: str = "2FA") -> dict[str, Any]:
        policy: dict[str, Any] = self.call(
            "POST", "/api/v1/policies", {"type": "ACCESS_POLICY", "name": name, "description": name}
        )
        rules = self.call("GET", f"/api/v1/policies/{policy['id']}/rules")
        catch_all = next(r for r in rules if r.get("system"))
        catch_all["actions"]["appSignOn"]["verificationMethod"]["factorMode"] = catch_all_mode
        body = {k: catch_all[k] for k in ("type", "name", "actions")}
        self.call("PUT", f"/api/v1/policies/{policy['id']}/rules/{catch_all['id']}", body)
        return policy

    def app_rule(
        self, policy_id: str, name: str, factor_mode: str, people: dict[str, Any]
    ) -> dict[str, Any]:
        rule: dict[str, Any] = self.call(
            "POST",
            f"/api/v1/policies/{policy_id}/rules",
            {
                "type": "ACCESS_POLICY",
                "name": name,
                "priority": 1,
                "conditions": {"people": people, "network": {"connection": "ANYWHERE"}},
                "actions": {
                    "appSignOn": {
                        "access": "ALLOW",
                        "verificationMethod": {
                            "type": "ASSURANCE",
                            "factorMode": factor_mode,
                            "reauthenticateIn": "PT2H",
                        },
                    }
                },
            },
        )
        return rule

    def assign(self, app_name: str, policy_id: str) -> None:
        [app] = self.call("GET", "/api/v1/apps", filter=f'name eq "{app_name}"')
        self.call("PUT", f"/api/v1/apps/{app['id']}/policies/{policy_id}")
