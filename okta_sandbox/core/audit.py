"""Opt-in spec audit of every response a sandbox serves.

With `EGRESS_GUARD_SANDBOX_VALIDATE=DIR` in its environment, a sandbox server (thread or child
process; children inherit the variable) validates each response against Okta's spec and appends
each violation as a JSON line to `DIR/violations-<pid>.jsonl`. The test suite sets it for the
whole session and fails the run when any violation was recorded (tests/conftest.py). The audit
needs Okta's spec: requested without one, the server refuses to start (`specsource.SpecError`).
"""

from __future__ import annotations

import json
import os
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from okta_sandbox.spec.validate import SpecValidator

ENV = "EGRESS_GUARD_SANDBOX_VALIDATE"
PATTERN = "violations-*.jsonl"


class ResponseAudit:
    def __init__(self, directory: Path, validator: SpecValidator) -> None:
        self.file = directory / f"violations-{os.getpid()}.jsonl"
        self._lock = threading.Lock()
        self._validator = validator

    @classmethod
    def from_env(cls, validator: SpecValidator | None) -> ResponseAudit | None:
        """The audit $EGRESS_GUARD_SANDBOX_VALIDATE asks for (None when unset); an error when
        it is set and there is no spec to audit against."""
        directory = os.environ.get(ENV)
        if not directory:
            return None
        from okta_sandbox.spec.source import require_for_audit

        return cls(Path(directory), require_for_audit(validator, ENV))

    def check(
        self, method: str, path: str, status: int, body: Any, headers: dict[str, str]
    ) -> list[str]:
        """Validate one response; record and return its violations."""
        from okta_sandbox.spec.validate import NO_BODY

        try:
            problems = self._validator.response_problems(
                method, path, status, NO_BODY if body is None else body, headers
            )
        except Exception:  # a validator failure must show up, not break the response
            problems = ["the spec validator failed:\n" + traceback.format_exc()]
        if problems:
            line = json.dumps(
                {
                    "request": f"{method} {path}",
                    "status": status,
                    "problems": problems,
                    "body": json.dumps(body)[:2000] if body is not None else None,
                }
            )
            with self._lock, self.file.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        return problems


def read_violations(directory: Path) -> list[dict[str, Any]]:
    """Every violation recorded in `directory` by any process."""
    found: list[dict[str, Any]] = []
    for file in sorted(directory.glob(PATTERN)):
        found += [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    return found
