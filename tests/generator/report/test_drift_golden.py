"""Every drift format renders the sample report exactly as its golden file (tests/data/golden/).

After an intended change of a format, regenerate with `EGRESS_GUARD_UPDATE_GOLDEN=1 pytest
tests/generator/report/test_drift_golden.py` and review the diff of the golden files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from paths import DATA
from report_samples import REPORT

from generator import __version__
from generator.report.drift_format import RenderContext
from generator.report.drift_render import DRIFT_FORMATS

GOLDEN = DATA / "golden"
SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "sarif": "sarif"}


@pytest.mark.parametrize("name", sorted(DRIFT_FORMATS))
def test_rendered_report_matches_its_golden_file(name: str) -> None:
    rendered = DRIFT_FORMATS[name].render(REPORT, RenderContext(Path("/nonexistent")))
    rendered = rendered.replace(__version__, "VERSION")  # SARIF names the tool version
    golden = GOLDEN / f"drift.{SUFFIX[name]}"
    if os.environ.get("EGRESS_GUARD_UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_every_format_has_a_golden_file() -> None:
    assert sorted(p.name for p in GOLDEN.glob("drift.*")) == sorted(
        f"drift.{SUFFIX[name]}" for name in DRIFT_FORMATS
    )
