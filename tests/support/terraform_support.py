"""Helpers for the end-to-end Terraform tests: a rendered root module, the provider stand-in and
a working directory wired to a sandbox org."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from paths import REPO

from generator.cli import main as cli_main
from generator.commands.demo import demo_config
from generator.commands.demo_cli import environment
from generator.terraform_runner import TerraformRunner, make_runner
from generator.terraform_session import mirror_terraform_dir, sandbox_env
from okta_sandbox import Sandbox
from okta_sandbox.provider.launcher import StandIn

EXAMPLE = REPO / "examples" / "egress-policy.yaml"
MODULE = "module.egress_guard"


CONFIG_COPY = "egress-policy.yaml"


def render_root_module(target: Path) -> Path:
    """terraform/ (hand-written root) plus ./generated rendered from the example config, and
    `egress-policy.yaml`: the example config with output.dir = that ./generated (so drift reads
    this lock file, not the repository's)."""
    root = mirror_terraform_dir(REPO / "terraform", target, generated=False)
    config = demo_config(EXAMPLE, root / "generated", root / CONFIG_COPY)
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli_main(["generate", "--config", str(config), "--offline"])
    assert code == 0, "egress-guard generate failed on the example config"
    return root


@dataclass
class Loop:
    """One Terraform working directory bound to one sandbox org."""

    workdir: Path
    sandbox: Sandbox
    stand_in: StandIn

    @property
    def runner(self) -> TerraformRunner:
        env = sandbox_env(self.sandbox.org_url, self.sandbox.api_token, self.stand_in.env())
        return make_runner(self.workdir, env, timeout=240)

    def api(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(
            method,
            f"{self.sandbox.org_url}{path}",
            json=body,
            headers={"Authorization": f"SSWS {self.sandbox.api_token}"},
            timeout=10,
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def state_resources(self) -> dict[str, dict[str, Any]]:
        """address -> attribute values, from the local state file."""
        path = self.workdir / "terraform.tfstate"
        if not path.exists():
            return {}
        state = json.loads(path.read_text())
        out = {}
        for resource in state["resources"]:
            if resource["mode"] != "managed":
                continue
            for instance in resource["instances"]:
                parts = [resource.get("module"), resource["type"], resource["name"]]
                address = ".".join(p for p in parts if p)
                out[address] = {
                    **instance["attributes"],
                    "_type": resource["type"],
                    "_tainted": instance.get("status"),
                }
        return out

    def write(self, relative: str, text: str) -> None:
        (self.workdir / relative).write_text(text, encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.workdir / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextlib.contextmanager
def hardened_loop(rendered: Path, stand_in: StandIn, workdir: Path) -> Iterator[Loop]:
    """A copy of the rendered root module in `workdir`, bound to a fresh `hardened` sandbox org
    (Okta's own controls on, so that drift's controls pass)."""
    shutil.copytree(rendered, workdir)
    with Sandbox.start(seed="hardened") as sandbox:
        yield Loop(workdir, sandbox, stand_in)


OWNED_PREFIX = "egress-guard"


def owned_objects(org: dict[str, Any], prefix: str = OWNED_PREFIX) -> dict[str, str]:
    """id -> name of the zones, policies and rules in the org whose name starts with `prefix`."""
    objects = {**org["zones"], **org["policies"]}
    for rules in org["rules"].values():
        objects.update(rules)
    return {oid: o["name"] for oid, o in objects.items() if o["name"].startswith(prefix)}


def assert_state_matches_org(
    loop: Loop, prefix: str = OWNED_PREFIX, adoptable: frozenset[str] = frozenset()
) -> None:
    """Every object Terraform tracks exists in the org (no phantom), and every object of ours
    in the org is tracked by Terraform (no orphan that a re-run would duplicate), except the
    `adoptable` names (rules a grouped-rules resource adopts by name on its next create)."""
    org = loop.sandbox.snapshot()
    rules = {rid for policy_rules in org["rules"].values() for rid in policy_rules}
    tracked = set()
    for address, attrs in loop.state_resources().items():
        kind = attrs["_type"]
        tracked.add(attrs["id"])
        if kind == "okta_network_zone":
            assert attrs["id"] in org["zones"], address
        elif kind == "okta_policy_signon":
            assert attrs["id"] in org["policies"], address
        elif kind in ("okta_policy_rule_signon", "okta_app_signon_policy_rule"):
            assert attrs["id"] in rules, address
        elif kind == "okta_app_signon_policy_rules":  # one state entry, a rule per block
            assert attrs["policy_id"] in org["policies"], address
            for rule in attrs["rule"]:
                assert rule["id"] in org["rules"][attrs["policy_id"]], (address, rule["name"])
                tracked.add(rule["id"])
    orphans = {
        oid: name
        for oid, name in owned_objects(org, prefix).items()
        if oid not in tracked and name not in adoptable
    }
    assert not orphans, f"in the org but not in the state: {orphans}"


def system_objects(org: dict[str, Any]) -> dict[str, Any]:
    """What egress-guard must never change: built-in zones and policies, every rule that is not
    ours, and the apps' policy assignments (full JSON)."""
    objects: dict[str, Any] = {
        f"zone {z['name']}": z
        for z in org["zones"].values()
        if not z["name"].startswith(OWNED_PREFIX)
    }
    for pid, policy in org["policies"].items():
        if policy.get("system") or not policy["name"].startswith(OWNED_PREFIX):
            objects[f"policy {policy['type']} {policy['name']} {pid}"] = policy
        for rid, rule in org["rules"].get(pid, {}).items():
            if not rule["name"].startswith(OWNED_PREFIX):
                objects[f"rule {policy['name']}/{rule['name']} {rid}"] = rule
    objects["app policy assignments"] = org["app_policy"]
    return objects


def drift(loop: Loop, config: Path) -> tuple[int, dict[str, Any]]:
    """`egress-guard drift --format json` against the loop's org and state: (exit, report)."""
    state = loop.workdir / "drift-state.json"
    state.write_text(json.dumps(loop.runner.show_json()))
    env = {
        "OKTA_ORG_URL": loop.sandbox.org_url,
        "OKTA_API_TOKEN": loop.sandbox.api_token,
        "EGRESS_GUARD_SANDBOX": "0",
        "EGRESS_GUARD_SANDBOX_URL": "",
    }
    out = io.StringIO()
    with environment(env), contextlib.redirect_stdout(out):
        argv = ["drift", "--config", str(config), "--plan", str(state), "--no-events"]
        argv += ["--ignore", str(REPO / "examples" / "drift-ignore.yaml")]
        code = cli_main([*argv, "--format", "json"])
    return code, json.loads(out.getvalue()) if out.getvalue() else {}


# A stand-in `terraform` binary (for TERRAFORM_BIN): records its argv, working directory,
# selected environment variables and the CLI config it was given, and answers like Terraform.
FAKE_TERRAFORM = r"""#!/bin/sh
log="$FAKE_LOG"
printf '%s\n' "$@" > "$log.argv"
pwd > "$log.cwd"
for name in TF_CLI_CONFIG_FILE OKTA_API_TOKEN OKTA_HTTP_PROXY; do
  eval "printf '%s' \"\${$name-<unset>}\"" > "$log.$name"
done
if [ -n "$TF_CLI_CONFIG_FILE" ] && [ -f "$TF_CLI_CONFIG_FILE" ]; then
  cp "$TF_CLI_CONFIG_FILE" "$log.cliconfig"
fi
case "$1" in
  init)
    mkdir -p .terraform/modules && echo '{"Modules":[]}' > .terraform/modules/modules.json
    echo "Terraform has been successfully initialized!" ;;
  fmt) [ -n "$FAKE_UNFORMATTED" ] && echo "$FAKE_UNFORMATTED" ;;
  validate) echo "Success! The configuration is valid." ;;
  show) printf '{"format_version":"1.2","planned_values":{}}' ;;
  plan) echo "Plan: 1 to add, 0 to change, 0 to destroy." ;;
  apply)
    echo "module.x: Creating..."
    if [ -n "$FAKE_WAIT_FOR" ]; then
      printf '\342\225\267\n\342\224\202 Warning: slow\n\342\225\265\n' >&2
      i=0
      while [ ! -e "$FAKE_WAIT_FOR" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
      if [ -e "$FAKE_WAIT_FOR" ]; then echo "released"; else echo "gave up"; fi
    else
      echo "Error: boom" >&2
    fi ;;
esac
[ -n "$FAKE_KILL" ] && kill -9 $$
exit "${FAKE_EXIT:-0}"
"""


@dataclass(frozen=True)
class FakeTerraform:
    binary: Path
    log: Path

    @property
    def env(self) -> dict[str, str]:
        return {"FAKE_LOG": str(self.log)}

    def argv(self) -> list[str]:
        return Path(f"{self.log}.argv").read_text().splitlines()

    def seen(self, name: str) -> str:
        """An environment variable as the binary saw it (`<unset>` when it was not set)."""
        return Path(f"{self.log}.{name}").read_text()

    def cwd(self) -> Path:
        return Path(Path(f"{self.log}.cwd").read_text().strip())

    def cli_config(self) -> str:
        return Path(f"{self.log}.cliconfig").read_text()
