"""SARIF 2.1.0 for GitHub code scanning: one rule per detection (what it proves, its false
positives, a security severity), one result per alert. Alerts are about the Okta org, not a
file: each result points at the config file whose trusted ranges and objects it concerns (line
1), names the org and the alert as logical locations, and keeps one code-scanning alert per
watch alert across runs (`partialFingerprints`)."""

from __future__ import annotations

import json
from typing import Any

from generator import __version__
from generator.report.markdown_safe import sarif_text
from generator.watch.detection import Alert
from generator.watch.detections import ALL
from generator.watch.formats.base import AlertFormat
from generator.watch.report import WatchReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.0", "low": "2.0", "info": "0.5"}


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": d.info.id,
            "name": d.info.title,
            "shortDescription": {"text": d.info.title},
            "fullDescription": {"text": d.info.proves},
            "help": {"text": "False positives: " + " ".join(d.info.false_positives)},
            "properties": {
                "category": d.info.category,
                "security-severity": SECURITY_SEVERITY[d.info.severity],
                "tags": ["security", "okta", d.info.category],
            },
        }
        for d in ALL
    ]


def _result(alert: Alert, config_uri: str, org: str) -> dict[str, Any]:
    return {
        "ruleId": alert.detection,
        "level": LEVEL[alert.severity],
        "message": {"text": sarif_text(f"{alert.title}: {alert.summary}")},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": config_uri},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [
                    {"name": sarif_text(org), "kind": "organization"},
                    {"name": alert.id, "kind": "object"},
                ],
            }
        ],
        "partialFingerprints": {"egressGuardWatchAlert/v1": alert.id},
        "properties": {
            "security-severity": SECURITY_SEVERITY[alert.severity],
            "published": sarif_text(alert.published),
            "eventUuids": list(alert.event_uuids),
        },
    }


class SarifFormat(AlertFormat):
    name = "sarif"

    def render(self, report: WatchReport) -> str:
        config_uri = report.config_path or "egress-policy.yaml"
        document = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "egress-guard watch",
                            "version": __version__,
                            "rules": _rules(),
                        }
                    },
                    "results": [_result(a, config_uri, report.org) for a in report.ordered()],
                    "properties": {"complete": report.complete, "events": report.events},
                }
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
