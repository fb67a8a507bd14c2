"""Drift report as SARIF 2.1.0 for GitHub code scanning.

Each finding points at the generated Terraform file that declares (or should govern) the object,
at the line of its block when the file is present, and names the Terraform address as a logical
location. Artifact URIs are relative to the repository root (the git work tree holding the
generated directory; else the config's directory), as code scanning expects, wherever the tool
ran from. `partialFingerprints` keep one alert per object and kind of finding across runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from generator import __version__
from generator.drift.findings import DriftReport, Finding
from generator.report import controls_sarif, mfa_sarif
from generator.report.drift_format import DriftFormat, RenderContext
from generator.report.drift_text import format_diff
from generator.report.markdown_safe import one_line, sarif_text

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning maps security-severity to critical (>= 9.0) / high / medium / low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.0", "low": "2.0"}
FILE_OF_KIND = {
    "zone": "zones.tf",
    "session_policy": "session_policy.tf",
    "session_rule": "session_policy.tf",
    "policy": "session_policy.tf",
    "app": "lookups.tf",
    "app_rule": "app_policies.tf",
    "group": "lookups.tf",
    "user": "lookups.tf",
    "declaration": "egress-guard.lock.json",
}
DESCRIPTIONS = {
    "missing": "An object declared in the repository does not exist in the Okta org.",
    "changed": "An object managed by egress-guard was changed outside Terraform.",
    "unmanaged": "An undeclared object in a scope egress-guard manages can bypass its controls.",
    "posture": "The live org's effective policy does not give the guarantees egress-guard needs.",
    "stale-declaration": "The generated Terraform or its lock is not what the config declares.",
}


def repository_root(start: Path) -> Path | None:
    """The git work tree containing `start` (a `.git` directory or file), if any."""
    for directory in (start.resolve(), *start.resolve().parents):
        if (directory / ".git").exists():
            return directory
    return None


def artifact_prefix(generated_dir: Path, config_dir: Path) -> str:
    """`generated_dir` as a relative URI: from the repository root, else the config's dir."""
    base = repository_root(generated_dir) or config_dir.resolve()
    return Path(os.path.relpath(generated_dir.resolve(), base)).as_posix()


def _line(generated_dir: Path, file_name: str, address: str | None) -> int:
    if not address:
        return 1
    parts = address.split(".")
    block = (
        f'data "{parts[-2]}" "{parts[-1]}"'
        if "data" in parts
        else f'resource "{parts[-2]}" "{parts[-1]}"'
    )
    try:
        for number, text in enumerate((generated_dir / file_name).read_text().splitlines(), 1):
            if text.startswith(block):
                return number
    except OSError:
        pass
    return 1


def _result(
    finding: Finding, generated_dir: Path, prefix: str, report: DriftReport
) -> dict[str, Any]:
    file_name = FILE_OF_KIND.get(finding.kind, "zones.tf")
    # Live-org text: one line per part, SARIF link brackets escaped (markdown_safe).
    text = "\n".join(
        sarif_text(part) for part in (finding.message, *map(format_diff, finding.diffs))
    )
    users = mfa_sarif.users_line(finding, report)
    if users:
        text += "\n" + users
    identity = f"{finding.rule_id}|{finding.address or finding.object_id or finding.name}"
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": f"{prefix}/{file_name}"},
            "region": {"startLine": _line(generated_dir, file_name, finding.address)},
        }
    }
    if finding.address:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.address, "kind": "resource"}]
    return {
        "ruleId": finding.rule_id,
        "level": LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {
            "egressGuardObject/v1": hashlib.sha256(identity.encode()).hexdigest()
        },
        "properties": {
            "severity": finding.severity,
            "class": finding.finding_class,
            "kind": finding.kind,
            "objectName": one_line(finding.name),
            "oktaId": finding.object_id,
        },
    }


def _rules(report: DriftReport) -> list[dict[str, Any]]:
    seen: dict[str, Finding] = {}
    for finding in report.findings:
        seen.setdefault(finding.rule_id, finding)
    return [
        {
            "id": rule_id,
            "name": f"{f.finding_class}-{f.kind}".replace("_", "-"),
            "shortDescription": {"text": f"{f.finding_class} {f.kind.replace('_', ' ')}"},
            "fullDescription": {"text": DESCRIPTIONS[f.finding_class]},
            "defaultConfiguration": {"level": LEVEL[f.severity]},
            "properties": {
                "tags": ["security", "okta", "drift"],
                "security-severity": SECURITY_SEVERITY[f.severity],
            },
        }
        for rule_id, f in sorted(seen.items())
    ]


def render(report: DriftReport, generated_dir: Path = Path("terraform/generated")) -> str:
    """`generated_dir`: where to read the generated files (block lines); the URIs use the
    report's repository-relative `generated_dir` when it has one."""
    prefix = report.generated_dir or generated_dir.as_posix()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "egress-guard",
                "version": __version__,
                "rules": _rules(report) + controls_sarif.rules(report),
            }
        },
        "automationDetails": {"id": f"egress-guard-drift/{report.org_url}"},
        "results": [_result(f, generated_dir, prefix, report) for f in report.findings]
        + controls_sarif.results(report, report.config_path),
    }
    if report.mfa_coverage is not None:
        run["properties"] = mfa_sarif.run_properties(report)
    sarif = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


class SarifFormat(DriftFormat):
    name = "sarif"

    def render(self, report: DriftReport, context: RenderContext) -> str:
        return render(report, context.generated_dir)
