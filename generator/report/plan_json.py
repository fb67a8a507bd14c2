"""JSON for a plan summary (machine-readable; same facts as the Markdown)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from generator.report.plan import PlanSummary


def summary_dict(summary: PlanSummary) -> dict[str, Any]:
    data = dataclasses.asdict(summary)
    data["has_changes"] = summary.has_changes
    return data


def render_json(summary: PlanSummary) -> str:
    return json.dumps(summary_dict(summary), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
