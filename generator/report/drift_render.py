"""Render a drift report in any format, and read a saved JSON report back (so one read of the
org serves every format: `egress-guard report drift`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema

from generator.drift.findings import DriftReport
from generator.errors import EgressGuardError
from generator.report import drift_json, drift_markdown, drift_sarif, drift_text
from generator.schemas import schema_path

SCHEMA_PATH = schema_path("drift-report.schema.json")
FORMATS = ("text", "json", "markdown", "sarif")


class ReportFileError(EgressGuardError):
    """A saved drift report that cannot be read or is not a valid drift report."""


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def validate_json_report(text: str) -> None:
    _validator().validate(json.loads(text))


def render_report(report: DriftReport, fmt: str, generated_dir: Path) -> str:
    """`generated_dir`: where the generated Terraform files are read (SARIF block lines)."""
    renderers: dict[str, Callable[[DriftReport], str]] = {
        "text": drift_text.render,
        "json": drift_json.render,
        "markdown": drift_markdown.render,
        "sarif": lambda r: drift_sarif.render(r, generated_dir),
    }
    text = renderers[fmt](report)
    if fmt == "json":
        validate_json_report(text)
    return text


def load_report(path: Path) -> DriftReport:
    """A JSON drift report written by `egress-guard drift --format json`, validated against
    schemas/drift-report.schema.json; errors name the file and the first invalid field."""
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportFileError(f"--report {path}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ReportFileError(f"--report {path}: not JSON ({error})") from None
    problem = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "(top level)"
        raise ReportFileError(
            f"--report {path}: not a drift report of this version "
            f"(schemas/drift-report.schema.json, at {where}): {problem.message}"
        )
    return drift_json.parse(document)
