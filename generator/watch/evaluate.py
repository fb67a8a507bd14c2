"""Score the detections on labelled samples (`../shared/okta/syslog-samples/*.jsonl`):
`python -m generator.watch.evaluate FILE [--trusted CIDR ...]` prints per-category precision and
recall as JSON and every record classified otherwise than labelled.

A record is `{"kind": "event", "event": {...}, "labels": [...]}` or `{"kind": "sequence",
"events": [...], "labels": [...]}`; labels are the detection categories, or `benign`. An event
record gets the categories of every alert its event raises, at any severity (a single failed
sign-in is `brute_force_or_push_fatigue` though it alerts only past a threshold). A sequence
exists to show what only several events together prove, and is labelled with that alone: it gets
the categories of the correlated alerts over its events (session replay, thresholds); the
events' own categories belong to their event records. Each record is classified from a fresh
engine. The samples' trusted ranges are RFC 1918 space (their README); others can be given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.watch.detection import CATEGORIES, TrustedRanges, WatchContext
from generator.watch.engine import Engine, build_detections

RFC1918 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
BENIGN = "benign"


def classify(record: Mapping[str, Any], context: WatchContext) -> set[str]:
    sequence = record.get("kind") == "sequence"
    events = record.get("events") if sequence else [record.get("event")]
    engine = Engine(build_detections(context), min_severity="info")
    alerts = [alert for event in events or () for alert in engine.process(event or {})]
    found = {alert.category for alert in alerts if alert.correlated or not sequence}
    return found or {BENIGN}


def score(
    records: Iterable[Mapping[str, Any]], context: WatchContext
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]]]:
    """Per category: precision, recall and counts; and the misclassified records."""
    true_pos = dict.fromkeys((*CATEGORIES, BENIGN), 0)
    false_pos, false_neg = dict(true_pos), dict(true_pos)
    wrong: list[dict[str, Any]] = []
    for record in records:
        expected, got = set(record.get("labels") or ()), classify(record, context)
        for label in true_pos:
            if label in got and label in expected:
                true_pos[label] += 1
            elif label in got:
                false_pos[label] += 1
            elif label in expected:
                false_neg[label] += 1
        if got != expected:
            wrong.append({"id": record.get("id"), "labels": sorted(expected), "got": sorted(got)})
    scores = {}
    for label in true_pos:
        tp, fp, fn = true_pos[label], false_pos[label], false_neg[label]
        scores[label] = {
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "true_positives": tp,
            "false_positives": fp,
            "false_negatives": fn,
        }
    return scores, wrong


def read_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.watch.evaluate")
    parser.add_argument("samples", type=Path)
    parser.add_argument("--trusted", action="append", help=f"CIDR (default {', '.join(RFC1918)})")
    args = parser.parse_args(argv)
    context = WatchContext(trusted=TrustedRanges.of(args.trusted or RFC1918, "samples"))
    scores, wrong = score(read_records(args.samples), context)
    print(json.dumps({"scores": scores, "misclassified": wrong}, indent=2))
    return 0 if not wrong else 2


if __name__ == "__main__":
    sys.exit(main())
