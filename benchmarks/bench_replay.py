"""Fidelity and speed of the recorded-traffic replay (tests/okta_sandbox/test_sandbox_replay.py):
how many replayed interactions the emulator answers differently from real Okta, per API area,
and how long the replay takes (target < 30 s).

`differ` counts compared interactions with at least one difference; `differ_current` leaves
out the differences a recording shows only because Okta's behaviour changed since, or because it
is a Classic Engine org (the emulator is an Identity Engine org following the newest
recordings); `unexplained` counts differences not in the known list (tests/support/
replay_known.py; the replay test fails when it is not 0).

Prints JSON. Usage: .venv/bin/python benchmarks/bench_replay.py
(`PYTHONPATH=/path/to/other/checkout` measures another checkout's emulator with this replay.)
"""

from __future__ import annotations

import collections
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from replay import COMPARED, Outcome, area, replay_compared  # noqa: E402
from replay_known import explain  # noqa: E402

TARGET_S = 30.0


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    per: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for outcome in outcomes:
        if area(outcome.item) not in COMPARED:
            continue
        counts = per[area(outcome.item)]
        counts["replayed"] += 1
        if not outcome.served:
            counts["not_served"] += 1
            continue
        if outcome.cascade:
            counts["cascade"] += 1
            continue
        counts["compared"] += 1
        counts["differ"] += bool(outcome.differences)
        explained = [explain(outcome.item, d) for d in outcome.differences]
        current = [k for k in explained if k is None or k.scope == "all"]
        counts["differ_current"] += bool(current)
        counts["unexplained"] += sum(k is None for k in explained)
    total: collections.Counter[str] = collections.Counter()
    for counts in per.values():
        total.update(counts)
    share = {
        key: round(100 * total[key] / max(1, total["compared"]), 1)
        for key in ("differ", "differ_current")
    }
    return {"areas": {k: dict(v) for k, v in sorted(per.items())}, "total": dict(total), **share}


def main() -> None:
    start = time.perf_counter()
    outcomes = replay_compared()
    seconds = round(time.perf_counter() - start, 1)
    result = summary(outcomes)
    result.update(seconds=seconds, target_seconds=TARGET_S, passed=seconds < TARGET_S)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
