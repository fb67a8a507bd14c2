"""The demo's narration (numbered steps, details, expected exit codes) and its in-process
`egress-guard` runs against the demo's own org (`generator.commands.demo`)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.errors import EXIT_OK, EgressGuardError

STEPS = 12


class DemoError(EgressGuardError):
    """A demo step did not behave as expected."""


def say(step: int, text: str) -> None:
    print(f"\n==> [{step}/{STEPS}] {text}", flush=True)


def detail(text: str) -> None:
    for line in text.strip().splitlines():
        print(f"    {line}")
    sys.stdout.flush()


def expect(what: str, got: int, wanted: int, output: str = "") -> None:
    if got != wanted:
        raise DemoError(f"demo: {what} exited {got}, expected {wanted}\n{output.strip()[-3000:]}")
    detail(f"{what}: exit {got} (as expected)")


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Temporarily export `values` (for the in-process drift command)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def quiet_cli(argv: list[str]) -> int:
    from generator.cli import main

    with contextlib.redirect_stdout(sys.stderr):
        return main(argv)


def summary(output: str) -> str:
    """The plan/apply lines worth narrating: one per resource change, and the totals."""
    keep = ("Plan:", "Apply complete", "No changes", "Error")
    lines = [line.strip() for line in output.splitlines()]
    return "\n".join(
        line
        for line in lines
        if line.startswith(keep) or (line.startswith("# module.") and " will be " in line)
    )


def drift_argv(config: Path, state_json: Path, ignore: Path) -> list[str]:
    argv = ["drift", "--config", str(config), "--plan", str(state_json), "--no-events"]
    return [*argv, "--ignore", str(ignore)]


def in_org(env: dict[str, str], argv: list[str]) -> int:
    from generator.cli import main

    # the demo's own org, even when the caller's shell asks for the persistent sandbox
    with environment({**env, "EGRESS_GUARD_SANDBOX": "0", "EGRESS_GUARD_SANDBOX_URL": ""}):
        return main(argv)


def drift_report(
    config: Path, state_json: Path, env: dict[str, str], ignore: Path
) -> tuple[int, dict[str, Any]]:
    """`drift` against the demo's org: its exit code and JSON report (also shown as text)."""
    report = state_json.with_name("drift.json")
    argv = [*drift_argv(config, state_json, ignore), "--format", "json", "--output", str(report)]
    code = in_org(env, argv)
    if not report.exists():
        return code, {}
    in_org(env, ["report", "drift", "--report", str(report)])
    document: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return code, document


def admin_notes(report: dict[str, Any]) -> list[str]:
    return [n for n in report.get("notes", []) if str(n).startswith("admin roles: ")]


def simulate(config: Path, env: dict[str, str], login: str, address: str) -> dict[str, Any]:
    """`simulate --live --user login --ip address` against the demo's org (JSON)."""
    out = io.StringIO()
    argv = ["simulate", "--config", str(config), "--live", "--user", login, "--ip", address]
    with contextlib.redirect_stdout(out):
        code = in_org(env, [*argv, "--format", "json"])
    expect(f"egress-guard simulate --live --user {login} --ip {address}", code, EXIT_OK)
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def drift(config: Path, state_json: Path, env: dict[str, str], ignore: Path) -> int:
    return in_org(env, drift_argv(config, state_json, ignore))
