"""The interface every drift report format implements (one formatter per format)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from generator.drift.findings import DriftReport


@dataclass(frozen=True)
class RenderContext:
    """What a formatter may need beyond the report: where the generated Terraform lives (SARIF
    points findings at the lines of their blocks)."""

    generated_dir: Path = Path("terraform/generated")


class DriftFormat(ABC):
    """Turns a drift report into one output format."""

    name: str  # the --format value

    @abstractmethod
    def render(self, report: DriftReport, context: RenderContext) -> str:
        """The whole document, newline-terminated."""
