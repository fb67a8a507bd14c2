"""Wall time of `egress-guard demo` (install the stand-in, sandbox, generate, plan, apply, drift,
tamper, drift, plan, cleanup) against its 2-minute target, run in a fresh interpreter as
`make demo` would.

Prints JSON: {"benchmark", "target_seconds", "seconds", "exit_code", "pass"}.
Usage: .venv/bin/python benchmarks/bench_terraform_demo.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 120.0


def main() -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    passed = proc.returncode == 0 and seconds < TARGET_SECONDS
    print(json.dumps({
        "benchmark": "terraform_demo",
        "target_seconds": TARGET_SECONDS,
        "seconds": round(seconds, 2),
        "exit_code": proc.returncode,
        "pass": passed,
    }))  # fmt: skip
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
