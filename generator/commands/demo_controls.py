"""The demo's part about Okta's own post-breach controls: the opt-ins it turns on in its config
copy, and the step that shows a failing control being fixed.

Turned on for the demo (the example config leaves them off, as a first rollout would):
ThreatInsight managed by Terraform (trusted zones excluded), the anonymizer deny rules, and the
sandbox's "terraform" API token restricted to the trusted zones (looked up by name, imported,
never destroyed). The example config's `controls.admin_console_session` (a 4-hour Admin Console
session) fails against the new org's 12 hours until `egress-guard admin-console --apply`.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.atomic import write_text_atomic

DEMO_CONTROLS: dict[str, Any] = {
    "threat_insight": {"manage": True},
    "anonymizer_deny": True,
    "api_tokens": {"restrict": [{"name": "terraform"}]},
}


def opt_in(config: Path) -> list[str]:
    """Turn the demo's control opt-ins on in the config copy; what was turned on, in words."""
    document = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    controls = document.setdefault("controls", {})
    for key, value in DEMO_CONTROLS.items():
        if isinstance(value, dict):
            controls.setdefault(key, {}).update(value)
        else:
            controls[key] = value
    write_text_atomic(config, yaml.safe_dump(document, sort_keys=False))
    return [
        "ThreatInsight set to block by Terraform, the trusted zones excluded",
        "deny rules for anonymizers on the admin policies (after the allow-trusted rule)",
        "the API token 'terraform' restricted to the trusted zones (imported, never destroyed)",
    ]


def failing_controls(run: Callable[[list[str]], int], argv: list[str]) -> tuple[int, list[str]]:
    """Run drift as JSON; (exit code, "id: subject: detail" of each failure not accepted)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = run([*argv, "--format", "json"])
    text = buffer.getvalue()
    report = json.loads(text) if text.strip() else {}
    lines = []
    for control in report.get("controls", []):
        if control["status"] == "fail" and not control["accepted"]:
            for evidence in control["evidence"]:
                if evidence["status"] == "fail" and not evidence["accepted"]:
                    lines.append(f"{control['id']}: {evidence['subject']}: {evidence['detail']}")
    return code, lines
