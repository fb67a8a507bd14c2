"""Render a drift report in any format, and read a saved JSON report back (so one read of the
org serves every format: `egress-guard report drift`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from generator.drift.findings import DriftReport
from generator.errors import EgressGuardError
from generator.report import drift_json
from generator.report.drift_format import DriftFormat, RenderContext
from generator.report.drift_json import JsonFormat
from generator.report.drift_markdown import MarkdownFormat
from generator.report.drift_sarif import SarifFormat
from generator.report.drift_text import TextFormat
from generator.schemas import schema_path

SCHEMA_PATH = schema_path("drift-report.schema.json")
DRIFT_FORMATS: dict[str, DriftFormat] = {
    f.name: f for f in (TextFormat(), JsonFormat(), MarkdownFormat(), SarifFormat())
}
FORMATS = tuple(DRIFT_FORMATS)


class ReportFileError(EgressGuardError):
    """A saved drift report that cannot be read or is not a valid drift report."""


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def validate_json_report(text: str) -> None:
    _validator().validate(json.loads(text))


def render_report(report: DriftReport, fmt: str, generated_dir: Path) -> str:
    """`generated_dir`: where the generated Terraform files are read (SARIF block lines)."""
    text = DRIFT_FORMATS[fmt].render(report, RenderContext(generated_dir))
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
