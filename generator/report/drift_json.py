"""Drift report as JSON (validated by schemas/drift-report.schema.json), and back."""

from __future__ import annotations

import json
from typing import Any

from generator import __version__
from generator.drift.findings import AttributeDiff, DriftReport, Finding, LogEvent, Value
from generator.report.controls_json import control_dict, parse_control
from generator.report.drift_format import DriftFormat, RenderContext
from generator.report.mfa_json import coverage_dict, parse_coverage

SCHEMA_VERSION = 4


def _value(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _diff(diff: AttributeDiff) -> dict[str, Any]:
    return {
        "path": diff.path,
        "expected": _value(diff.expected),
        "actual": _value(diff.actual),
        "added": list(diff.added),
        "removed": list(diff.removed),
        "weakens": diff.weakens,
    }


def _event(event: LogEvent) -> dict[str, Any]:
    return {
        "published": event.published,
        "event_type": event.event_type,
        "actor": event.actor,
        "client_ip": event.client_ip,
        "outcome": event.outcome,
        "message": event.display_message,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "class": finding.finding_class,
        "severity": finding.severity,
        "kind": finding.kind,
        "name": finding.name,
        "id": finding.object_id,
        "address": finding.address,
        "key": finding.key,
        "check": finding.check,
        "rule_id": finding.rule_id,
        "message": finding.message,
        "diffs": [_diff(d) for d in finding.diffs],
        "events": [_event(e) for e in finding.events],
    }


def report_dict(report: DriftReport) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "egress-guard", "version": __version__},
        "generated_at": report.generated_at,
        "org_url": report.org_url,
        "config": report.config_path,
        "plan": report.plan_path,
        "generated_dir": report.generated_dir,
        "status": "in_sync" if report.in_sync else "drift",
        "summary": {
            "total": len(report.findings),
            "by_severity": report.counts(),
            "by_class": report.class_counts(),
            "ignored": report.ignored,
            "controls": report.control_counts(),
        },
        "notes": list(report.notes),
        "findings": [finding_dict(f) for f in report.findings],
        "controls": [control_dict(c) for c in report.controls],
    } | ({"mfa_coverage": coverage_dict(report.mfa_coverage)} if report.mfa_coverage else {})


def render(report: DriftReport) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


def _tuple(value: Any) -> Value:
    return tuple(value) if isinstance(value, list) else value


def _parse_finding(raw: dict[str, Any]) -> Finding:
    return Finding(
        finding_class=raw["class"],
        severity=raw["severity"],
        kind=raw["kind"],
        name=raw["name"],
        message=raw["message"],
        object_id=raw["id"],
        address=raw["address"],
        key=raw["key"],
        check=raw["check"],
        diffs=tuple(
            AttributeDiff(
                path=d["path"],
                expected=_tuple(d["expected"]),
                actual=_tuple(d["actual"]),
                added=tuple(d["added"]),
                removed=tuple(d["removed"]),
                weakens=d["weakens"],
            )
            for d in raw["diffs"]
        ),
        events=tuple(
            LogEvent(
                published=e["published"],
                event_type=e["event_type"],
                actor=e["actor"],
                client_ip=e["client_ip"],
                outcome=e["outcome"],
                display_message=e["message"],
            )
            for e in raw["events"]
        ),
    )


def parse(document: dict[str, Any]) -> DriftReport:
    """The report a schema-valid JSON document holds (the inverse of `report_dict`)."""
    return DriftReport(
        org_url=document["org_url"],
        config_path=document["config"],
        generated_at=document["generated_at"],
        findings=tuple(_parse_finding(f) for f in document["findings"]),
        ignored=document["summary"]["ignored"],
        notes=tuple(document["notes"]),
        plan_path=document["plan"],
        generated_dir=document["generated_dir"],
        controls=tuple(parse_control(c) for c in document["controls"]),
        mfa_coverage=parse_coverage(document.get("mfa_coverage")),
    )


class JsonFormat(DriftFormat):
    name = "json"

    def render(self, report: DriftReport, context: RenderContext) -> str:
        return render(report)
