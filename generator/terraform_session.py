"""Where `egress-guard terraform ...` runs: against a real org, or against the local sandbox.

Real org: the `terraform/` directory as is, the real okta/okta provider (downloaded by `terraform
init`), credentials from the provider's environment variables.

Sandbox (`--sandbox` or EGRESS_GUARD_SANDBOX=1): attach to a running sandbox
(EGRESS_GUARD_SANDBOX_URL + EGRESS_GUARD_SANDBOX_TOKEN) or start one for the duration of the
command with its org persisted in `.sandbox/org.json`. Terraform then runs in a mirror of
`terraform/` under `.sandbox/terraform/` (own state, never mixed with the real org's) with the
provider stand-in registered through a CLI config in a temporary directory (TF_CLI_CONFIG_FILE),
removed when the command ends.

Only commands that talk to the org (plan, apply, import, destroy) need credentials or a running
sandbox; init, validate, fmt and show do not.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from generator import rehearsal
from generator.errors import EgressGuardError
from generator.okta.auth import NO_ORG_HELP, org_url_from_env
from generator.terraform_runner import TerraformError, TerraformRunner, TfResult, make_runner

SANDBOX_ENV = "EGRESS_GUARD_SANDBOX"
SANDBOX_URL_ENV = "EGRESS_GUARD_SANDBOX_URL"
SANDBOX_TOKEN_ENV = "EGRESS_GUARD_SANDBOX_TOKEN"
DEFAULT_SANDBOX_DIR = Path(".sandbox")
ORG_STATE_FILE = "org.json"
GENERATED_NAME = "generated"  # the generated module's directory inside the root module
# Terraform actions that read or change the org: only these need credentials or a sandbox.
ORG_ACTIONS = frozenset({"plan", "apply", "import", "destroy"})


class TargetError(EgressGuardError):
    """Neither credentials for a real org nor a sandbox: nothing to run Terraform against."""


@dataclass(frozen=True)
class Target:
    mode: Literal["org", "sandbox"]
    working_dir: Path
    env: dict[str, str] = field(repr=False)  # holds the API token: never print it
    org_url: str

    def runner(self, timeout: float | None = None, echo: bool = False) -> TerraformRunner:
        return make_runner(self.working_dir, self.env, timeout=timeout, echo=echo)


def needs_org(action: str) -> bool:
    return action in ORG_ACTIONS


def sandbox_requested(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return flag or env.get(SANDBOX_ENV, "").strip().lower() in ("1", "true", "yes")


ORG_VARIABLES = ("OKTA_ORG_URL", "OKTA_ORG_NAME", "OKTA_BASE_URL")


def org_env(environ: Mapping[str, str]) -> dict[str, str]:
    """Provider environment for a real org; OKTA_ORG_URL is split for okta/okta if needed. The
    org variables are checked as drift checks them (a misplaced part names the host built)."""
    env: dict[str, str] = {}
    given = [environ.get(name, "").strip() for name in ORG_VARIABLES]
    if given[0] or (given[1] and given[2]):
        org_url_from_env(environ)
    org_name, base_url = environ.get("OKTA_ORG_NAME", ""), environ.get("OKTA_BASE_URL", "")
    org_url = environ.get("OKTA_ORG_URL", "").strip()
    if not (org_name and base_url) and org_url:
        host = urlsplit(org_url).hostname or ""
        org_name, _, base_url = host.partition(".")
        env.update(OKTA_ORG_NAME=org_name, OKTA_BASE_URL=base_url)
    has_org = bool(org_name and base_url) or bool(environ.get("OKTA_HTTP_PROXY"))
    has_auth = any(
        environ.get(name) for name in ("OKTA_API_TOKEN", "OKTA_ACCESS_TOKEN", "OKTA_API_CLIENT_ID")
    )
    if not (has_org and has_auth):
        raise TargetError(f"no Okta org to run Terraform against: {NO_ORG_HELP}")
    return env


def mirror_terraform_dir(
    source: Path, target: Path, generated: bool = True, generated_name: str = GENERATED_NAME
) -> Path:
    """Copy the root module (and its generated module directory `generated_name` unless
    `generated` is false) into `target`, keeping its state and .terraform."""
    if not (source / "main.tf").is_file() and not any(source.glob("*.tf")):
        raise TargetError(f"{source}: no Terraform files (is this the terraform/ directory?)")
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.tf"):
        old.unlink()
    for tf_file in source.glob("*.tf"):
        if not tf_file.name.startswith("backend"):  # sandbox state stays local
            shutil.copy2(tf_file, target / tf_file.name)
    shutil.rmtree(target / generated_name, ignore_errors=True)
    if generated and (source / generated_name).is_dir():
        shutil.copytree(
            source / generated_name,
            target / generated_name,
            ignore=shutil.ignore_patterns(".*"),  # staging and temporary files of generate
        )
    return target


@dataclass(frozen=True)
class RootModule:
    """The Terraform root module egress-guard runs, and the generated module it calls."""

    directory: Path
    generated_name: str = GENERATED_NAME


def root_module_of(generated_dir: Path) -> RootModule:
    """The root module of a config's `output.dir`: its parent directory, which must call the
    generated module (`source = "./<name>"`); otherwise a plan would not contain the policy."""
    root, name = generated_dir.parent, generated_dir.name
    call = re.compile(r'source\s*=\s*"\./' + re.escape(name) + r'/?"')
    texts = []
    for tf_file in sorted(root.glob("*.tf")) if root.is_dir() else ():
        try:
            texts.append(tf_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    if not any(call.search(text) for text in texts):
        raise TargetError(
            f"{root}: not the root module of output.dir {generated_dir}: no *.tf file there "
            f'calls the generated module (module "egress_guard" {{ source = "./{name}" }}); '
            "`egress-guard init` writes one, or pass --dir ROOT_MODULE"
        )
    return RootModule(root, name)


# A real org's settings in the caller's environment must not leak into a sandbox run.
_BLANKED = (
    "OKTA_ORG_NAME",
    "OKTA_BASE_URL",
    "OKTA_ACCESS_TOKEN",
    "OKTA_API_CLIENT_ID",
    "OKTA_API_PRIVATE_KEY",
    "OKTA_API_PRIVATE_KEY_ID",
    "OKTA_API_SCOPES",
)


def sandbox_env(org_url: str, token: str, cli_env: Mapping[str, str]) -> dict[str, str]:
    return {
        **{name: "" for name in _BLANKED},
        **cli_env,
        "OKTA_HTTP_PROXY": org_url,  # the provider: replaces the org URL
        "OKTA_ORG_URL": org_url,  # egress-guard's own client (drift)
        "OKTA_API_TOKEN": token,
    }


@contextmanager
def sandbox_org(sandbox_dir: Path) -> Iterator[tuple[str, str]]:
    """(org_url, api_token) of an attached or freshly started sandbox."""
    url = os.environ.get(SANDBOX_URL_ENV, "").strip()
    if url:
        # never OKTA_API_TOKEN: that may be a real org's token, and this URL is not that org
        token = os.environ.get(SANDBOX_TOKEN_ENV, "").strip()
        if not token:
            raise TargetError(
                f"{SANDBOX_URL_ENV} is set but {SANDBOX_TOKEN_ENV} is not: set it to the "
                "sandbox's API token (`egress-guard sandbox serve` prints it); OKTA_API_TOKEN "
                "is never sent to a sandbox"
            )
        yield url.rstrip("/"), token
        return
    sandbox_dir.mkdir(parents=True, exist_ok=True)
    with rehearsal.sandbox_org(state_file=sandbox_dir / ORG_STATE_FILE) as sandbox:
        yield sandbox.org_url, sandbox.api_token


@contextmanager
def open_target(
    terraform_dir: Path,
    sandbox: bool,
    sandbox_dir: Path = DEFAULT_SANDBOX_DIR,
    with_org: bool = True,
    generated_name: str = GENERATED_NAME,
) -> Iterator[Target]:
    """Where to run Terraform; `with_org=False` (init, validate, fmt, show) needs no
    credentials and starts no sandbox."""
    if not sandbox:
        if not terraform_dir.is_dir():
            raise TargetError(f"{terraform_dir}: no such directory")
        env = org_env(os.environ) if with_org else {}
        url = os.environ.get("OKTA_ORG_URL", "") if with_org else ""
        yield Target("org", terraform_dir, env, url)
        return
    workdir = mirror_terraform_dir(
        terraform_dir, sandbox_dir.resolve() / "terraform", generated_name=generated_name
    )
    with rehearsal.provider_stand_in() as stand_in:
        if not with_org:
            yield Target("sandbox", workdir, sandbox_env("", "", stand_in.env()), "")
            return
        with sandbox_org(sandbox_dir) as (org_url, token):
            yield Target("sandbox", workdir, sandbox_env(org_url, token, stand_in.env()), org_url)


OFFLINE_HINT = (
    "hint: `terraform init` downloads okta/okta from registry.terraform.io, which is not "
    "reachable from here; offline, rehearse against the local sandbox with --sandbox / "
    "EGRESS_GUARD_SANDBOX=1"
)


def init_hint(result: TfResult) -> str | None:
    """A next step for init failures egress-guard can explain."""
    if result.exit_code == 1 and "-lockfile=readonly" in result.diagnostics():
        return LOCKFILE_HINT
    if result.exit_code == 1 and "registry.terraform.io" in result.diagnostics():
        return OFFLINE_HINT
    return None


LOCKFILE_HINT = (
    "hint: CI runs `init --lockfile readonly`: commit terraform/.terraform.lock.hcl, created by "
    "`terraform init` and completed for the CI runners with `terraform providers lock "
    "-platform=linux_amd64 -platform=darwin_arm64` (checksums of the provider build you reviewed)"
)


def ensure_initialised(runner: TerraformRunner) -> None:
    """`terraform init` once per working directory (module manifest missing)."""
    if (runner.working_dir / ".terraform" / "modules" / "modules.json").is_file():
        return
    result = runner.init()
    if result.ok:
        return
    detail = "" if runner.echo else result.diagnostics()  # echoed: shown already
    hint = init_hint(result)
    lines = [result.failure() + (f":\n{detail}" if detail else ""), *([hint] if hint else [])]
    raise TerraformError("\n".join(lines))
