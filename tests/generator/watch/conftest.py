"""Watch tests; the precision/recall on the shared labelled samples is printed at the end."""

from __future__ import annotations

from typing import Any

import pytest

SCORES: dict[str, dict[str, float]] = {}  # filled by test_watch_samples


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not SCORES:
        return
    terminalreporter.section("egress-guard watch: labelled System Log samples")
    terminalreporter.write_line(f"{'category':30} precision recall  tp fp fn")
    for label, score in SCORES.items():
        terminalreporter.write_line(
            f"{label:30} {score['precision']:9.2f} {score['recall']:6.2f} "
            f"{score['true_positives']:3d} {score['false_positives']:2d} "
            f"{score['false_negatives']:2d}"
        )


@pytest.fixture
def scores() -> dict[str, dict[str, float]]:
    return SCORES
