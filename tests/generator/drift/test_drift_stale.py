"""Drift compares the live org with the CONFIG, resolved as `generate` would (URL sources as the
lock recorded them). A config edited without regenerating, a lock that differs from it, or a
hand-edited generated file is a `stale-declaration` finding: never "in sync"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from drift_support import ROOT, synced_sandbox, use_org, write_config

from generator.cli import main
from generator.drift.desired import load_desired_state
from okta_sandbox import Sandbox

SCHEMA = json.loads((ROOT / "schemas" / "drift-report.schema.json").read_text())


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = write_config(tmp_path)
    assert main(["generate", "--config", str(path), "--offline"]) == 0
    return path


@pytest.fixture
def org(config: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with synced_sandbox(load_desired_state(config)) as sandbox:
        use_org(monkeypatch, sandbox)
        yield sandbox


def report(config: Path, tmp_path: Path) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "drift.json"
    code = main(["drift", "--config", str(config), "--no-events", "--format", "json",
                 "--output", str(out)])  # fmt: skip
    document = json.loads(out.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    return code, document


def stale(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in document["findings"] if f["class"] == "stale-declaration"]


def edit(config: Path, change: Any) -> None:
    document = yaml.safe_load(config.read_text())
    change(document)
    config.write_text(yaml.safe_dump(document, sort_keys=False))


def test_generated_and_applied_is_in_sync(org: Sandbox, config: Path, tmp_path: Path) -> None:
    code, document = report(config, tmp_path)
    assert code == 0 and document["status"] == "in_sync"


def test_a_config_edited_without_regenerating_is_never_in_sync(
    org: Sandbox, config: Path, tmp_path: Path
) -> None:
    edit(config, lambda d: d["egress"]["corporate"].append("8.8.8.0/24"))
    code, document = report(config, tmp_path)
    assert code == 2 and document["summary"]["by_class"]["stale-declaration"] == 1
    [finding] = stale(document)
    assert finding["severity"] == "high" and finding["kind"] == "declaration"
    assert finding["check"] == "config changed since generate"
    assert "zones.tf (differs)" in finding["message"]
    assert "egress-guard.lock.json (differs)" in finding["message"]
    assert f"egress-guard generate --config {config}" in finding["message"]
    # the org is compared with the config: its new CIDR is missing from the live zone
    zone = [f for f in document["findings"] if f["kind"] == "zone" and f["class"] == "changed"]
    assert zone and "8.8.8.0/24" in json.dumps(zone)


def test_a_hand_edited_generated_file_is_a_finding(
    org: Sandbox, config: Path, tmp_path: Path
) -> None:
    zones = tmp_path / "generated" / "zones.tf"
    zones.write_text(zones.read_text().replace("203.0.113.0/25", "203.0.113.0/24"))
    code, document = report(config, tmp_path)
    assert code == 2
    [finding] = stale(document)
    assert finding["check"] == "hand-edited"
    assert "zones.tf (hand-edited: its sha256 differs from the lock's)" in finding["message"]


def test_a_url_feed_the_lock_never_recorded_is_a_finding_not_a_fetch(
    org: Sandbox, config: Path, tmp_path: Path
) -> None:
    feed = {"name": "vendor", "url": "https://feeds.invalid/ips.txt", "format": "lines"}
    edit(config, lambda d: d["egress"]["feeds"].append(feed))
    code, document = report(config, tmp_path)
    assert code == 2
    [finding] = stale(document)
    assert finding["check"] == "config not generated" and "vendor" in finding["message"]


def test_the_ignore_file_cannot_hide_a_stale_declaration(
    org: Sandbox, config: Path, tmp_path: Path
) -> None:
    edit(config, lambda d: d["egress"]["corporate"].append("8.8.8.0/24"))
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text(yaml.safe_dump({"ignore": [{"object": "declaration:*"}, {"object": "*"}]}))
    out = tmp_path / "ignored.json"
    code = main(["drift", "--config", str(config), "--no-events", "--ignore", str(ignore),
                 "--format", "json", "--output", str(out)])  # fmt: skip
    assert code == 2
    document = json.loads(out.read_text())
    assert [f["class"] for f in document["findings"]] == ["stale-declaration"]
