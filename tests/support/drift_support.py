"""Helpers for the drift tests: a config in a temp dir, an admin's view of the sandbox (raw HTTP
with the token, as a person with API access would change the org), finding lookups."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from paths import REPO

from generator.drift.apply_expected import apply_expected
from generator.drift.desired import Desired, load_desired_state
from generator.drift.findings import DriftReport, Finding
from generator.drift.run import DriftOptions, run_drift
from generator.okta.client import OktaClient, RetryPolicy
from okta_sandbox import Sandbox

ROOT = REPO
FAST_RETRY = RetryPolicy(max_attempts=4, backoff_base=0.01, backoff_max=0.05)
PREFIX = "egress-guard"
ALLOW_RULE = f"{PREFIX} allow trusted egress"
DENY_RULE = f"{PREFIX} deny other networks"
APP_DENY_RULE = f"{PREFIX} deny admins elsewhere"
GSP = f"{PREFIX} Admins - trusted egress only"
CORPORATE_ZONE = f"{PREFIX}-corporate-01"
NETSKOPE_ZONE = f"{PREFIX}-netskope-shared-01"


def write_config(directory: Path, admin_groups: list[str] | None = None) -> Path:
    """The example config with its output directory moved into `directory` (no lock file:
    the desired zones come from the bundled snapshot and the static ranges); `admin_groups`
    instead of the example's (Okta's built-in "Okta Administrators")."""
    document = yaml.safe_load((ROOT / "examples" / "egress-policy.yaml").read_text())
    document["output"]["dir"] = str(directory / "generated")
    if admin_groups is not None:
        document["okta"]["admin_groups"] = admin_groups
    # STIG V-273191 (admin-console-phishing-resistant): the hardened org passes every control
    document["okta"]["admin_console"]["phishing_resistant"] = True
    path = directory / "egress-policy.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def sandbox_env(sandbox: Sandbox) -> dict[str, str]:
    return {"OKTA_ORG_URL": sandbox.org_url, "OKTA_API_TOKEN": sandbox.api_token}


def use_org(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    """The CLI's Okta environment (OKTA_ORG_URL, OKTA_API_TOKEN) pointing at `sandbox`."""
    for name, value in sandbox_env(sandbox).items():
        monkeypatch.setenv(name, value)


def make_client(sandbox: Sandbox, **kwargs: Any) -> OktaClient:
    kwargs.setdefault("retry", FAST_RETRY)
    return OktaClient.from_env(sandbox_env(sandbox), **kwargs)


class Admin:
    """Out-of-band changes over HTTP, as a person with an API token would make them."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.base = sandbox.org_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"SSWS {sandbox.api_token}"

    def call(self, method: str, path: str, body: Any = None, **params: str) -> Any:
        response = self.http.request(method, self.base + path, json=body, params=params)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def zone(self, name: str) -> dict[str, Any]:
        return next(z for z in self.call("GET", "/api/v1/zones") if z["name"] == name)

    def put_zone(self, zone: dict[str, Any]) -> None:
        body = {k: zone[k] for k in ("type", "name", "status", "usage", "gateways", "proxies")}
        self.call("PUT", f"/api/v1/zones/{zone['id']}", body)

    def policy(self, name: str, policy_type: str = "OKTA_SIGN_ON") -> dict[str, Any]:
        policies = self.call("GET", "/api/v1/policies", type=policy_type)
        return next(p for p in policies if p["name"] == name)

    def rule(self, policy_id: str, name: str) -> dict[str, Any]:
        rules = self.call("GET", f"/api/v1/policies/{policy_id}/rules")
        return next(r for r in rules if r["name"] == name)

    def deactivate_rule(self, policy_id: str, name: str) -> dict[str, Any]:
        """Deactivate the policy's rule `name`; the rule as it was is returned."""
        rule = self.rule(policy_id, name)
        self.call("POST", f"/api/v1/policies/{policy_id}/rules/{rule['id']}/lifecycle/deactivate")
        return rule

    def put_rule(self, policy_id: str, rule: dict[str, Any]) -> None:
        body = {k: rule[k] for k in ("type", "name", "priority", "conditions", "actions")}
        self.call("PUT", f"/api/v1/policies/{policy_id}/rules/{rule['id']}", body)

    def group_id(self, name: str) -> str:
        groups = self.call("GET", "/api/v1/groups", q=name)
        return str(next(g for g in groups if g["profile"]["name"] == name)["id"])

    def add_helpdesk_shortcut(self) -> dict[str, Any]:
        """An unmanaged sign-on policy 'Helpdesk shortcut' at priority 1 for the Okta
        Administrators group, with one rule 'allow' letting them in from anywhere (returned)."""
        admins = self.group_id("Okta Administrators")
        people = {"people": {"groups": {"include": [admins]}}}
        return self.add_open_policy("Helpdesk shortcut", people, "allow")

    def add_open_policy(
        self, name: str, conditions: dict[str, Any], rule_name: str
    ) -> dict[str, Any]:
        """An unmanaged sign-on policy `name` at priority 1 with `conditions`, and one rule
        `rule_name` allowing sign-in from anywhere (returned)."""
        policy = self.call(
            "POST",
            "/api/v1/policies",
            {"type": "OKTA_SIGN_ON", "name": name, "priority": 1, "conditions": conditions},
        )
        rule: dict[str, Any] = self.call(
            "POST",
            f"/api/v1/policies/{policy['id']}/rules",
            {
                "type": "SIGN_ON",
                "name": rule_name,
                "conditions": {"network": {"connection": "ANYWHERE"}},
                "actions": {"signon": {"access": "ALLOW"}},
            },
        )
        return rule

    def add_group(self, name: str, *logins: str) -> str:
        """A new group `name` with these users as members: its id."""
        group = self.call("POST", "/api/v1/groups", {"profile": {"name": name}})
        for login in logins:
            user = self.call("GET", f"/api/v1/users/{login}")
            self.call("PUT", f"/api/v1/groups/{group['id']}/users/{user['id']}")
        return str(group["id"])

    def admin_console_policy_id(self) -> str:
        [app] = self.call("GET", "/api/v1/apps", filter='name eq "saasure"')
        return str(app["_links"]["accessPolicy"]["href"].rsplit("/", 1)[-1])


@contextmanager
def synced_sandbox(desired: Desired, **kwargs: Any) -> Iterator[Sandbox]:
    """A fresh `hardened` sandbox (the default seed with Okta's own controls on, so that the
    control checks pass) brought to the desired state through the API."""
    with Sandbox.start(seed="hardened", **kwargs) as sandbox:
        with make_client(sandbox) as client:
            apply_expected(client, desired.state)
        yield sandbox


def config_fixture(temp_dir: str, admin_groups: list[str] | None = None) -> Any:
    """A module-scoped `config` fixture: the example config written into a fresh temp dir
    (`config = config_fixture("cli")` at a test module's top level), with `admin_groups`
    instead of the example's when given."""

    @pytest.fixture(scope="module", name="config")
    def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
        return write_config(tmp_path_factory.mktemp(temp_dir), admin_groups)

    return config


def desired_fixture() -> Any:
    """A module-scoped `desired` fixture: the desired state loaded from the `config` fixture."""

    @pytest.fixture(scope="module", name="desired")
    def desired(config: Path) -> Desired:
        return load(config)

    return desired


def synced_org_fixture() -> Any:
    """An `org` fixture: a fresh sandbox synced to the `desired` fixture (see synced_sandbox)."""

    @pytest.fixture(name="org")
    def org(desired: Desired) -> Iterator[Sandbox]:
        with synced_sandbox(desired) as sandbox:
            yield sandbox

    return org


def org_in_env_fixture(seed: str = "default") -> Any:
    """An `org` fixture: a fresh sandbox of `seed`, the CLI's Okta environment pointing at it
    (`org = org_in_env_fixture()` at a test module's top level)."""

    @pytest.fixture(name="org")
    def org(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
        with Sandbox.start(seed=seed) as sandbox:
            use_org(monkeypatch, sandbox)
            yield sandbox

    return org


def drift(
    sandbox: Sandbox, desired: Desired, options: DriftOptions | None = None, **client_kwargs: Any
) -> DriftReport:
    with make_client(sandbox, **client_kwargs) as client:
        return run_drift(client, desired.state, options or DriftOptions(config_path="test"))


def plan_of(ids: dict[str, str]) -> dict[str, Any]:
    """A minimal `terraform show -json` state document holding these address -> id pairs."""
    resources = [{"address": address, "values": {"id": i}} for address, i in ids.items()]
    module = {"address": "module.egress_guard", "resources": resources}
    return {
        "format_version": "1.2",
        "values": {"root_module": {"child_modules": [module]}},
    }


def declared(report: DriftReport) -> list[Finding]:
    """The declared-vs-live findings (without the simulator's posture ones)."""
    return [f for f in report.findings if f.finding_class != "posture"]


def load(config: Path) -> Desired:
    return load_desired_state(config)


def only(report: DriftReport, finding_class: str, kind: str, name: str) -> Finding:
    found = [
        f
        for f in report.findings
        if (f.finding_class, f.kind, f.name) == (finding_class, kind, name)
    ]
    assert len(found) == 1, [(f.finding_class, f.kind, f.name) for f in report.findings]
    return found[0]


def diff_paths(finding: Finding) -> set[str]:
    return {d.path for d in finding.diffs}
