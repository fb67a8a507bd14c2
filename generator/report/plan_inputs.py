"""Optional inputs of `report plan`: the generator's lock file and a preflight result.

A file that is given but unreadable is an input error naming the file; fields the summary can
do without are optional.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.lockfile import LOCK_NAME, LOCK_VERSION, parse_lock
from generator.model import slug
from generator.report.plan import Preflight, PreflightCheck, Provenance, load_json
from generator.simulate.preflight import PreflightFailure, PreflightReport, run_preflight

DEFAULT_LOCK = Path("terraform/generated") / LOCK_NAME


def provenance_from_lock(lock: Any, path: Path) -> Provenance:
    """Zone key → source group, group → origin and input CIDR → source, from lock_version 1
    (checked field by field, as `generate` reads it: the lock is in the pull request)."""
    if not isinstance(lock, dict) or lock.get("lock_version") != LOCK_VERSION:
        raise InputError(f"{path}: not an egress-guard lock file (lock_version {LOCK_VERSION})")
    try:
        parsed = parse_lock(lock)
    except ValueError as error:
        raise InputError(f"{path}: malformed lock file ({error})") from None
    zone_groups = {f"{slug(s.group)}_{s.index:02d}": s.group for s in parsed.shards}
    group_origins = {s.name: f"{s.kind}: {s.origin}".strip(": ") for s in parsed.sources}
    inputs = tuple((cidr, f"{s.name} ({s.origin})") for s in parsed.sources for cidr in s.cidrs)
    return Provenance(zone_groups=zone_groups, group_origins=group_origins, inputs=inputs)


def load_provenance(path: Path | None) -> Provenance:
    if path is None:
        return Provenance()
    return provenance_from_lock(load_json(path, "lock"), path)


def preflight_from_json(data: Any, path: Path) -> Preflight:
    """`{"ok": bool, "checks": [{"name", "ok", "detail"}]}` (`passed`/`message` accepted)."""
    if not isinstance(data, dict) or not isinstance(data.get("checks", []), list):
        raise InputError(f"{path}: a preflight result is an object with a `checks` list")
    checks = []
    for index, item in enumerate(data.get("checks", [])):
        if not isinstance(item, dict):
            raise InputError(f"{path}: checks[{index}] must be an object")
        ok = item.get("ok", item.get("passed"))
        if not isinstance(ok, bool):
            raise InputError(f"{path}: checks[{index}].ok must be true or false")
        name = item.get("name") or item.get("title") or f"check {index + 1}"
        detail = item.get("detail") or item.get("message") or ""
        checks.append(PreflightCheck(str(name), ok, str(detail)))
    overall = data.get("ok", data.get("passed"))
    if overall is None:
        overall = all(c.ok for c in checks)
    if not isinstance(overall, bool):
        raise InputError(f"{path}: ok must be true or false")
    return Preflight(ok=overall and all(c.ok for c in checks), checks=tuple(checks))


def load_preflight(path: Path | None) -> Preflight | None:
    return None if path is None else preflight_from_json(load_json(path, "preflight"), path)


CHECK_PREFIXES = {
    "break-glass: ": "break-glass",
    "admins outside trusted ranges: ": "admin-outside-trusted",
    "operator range ": "operator-access",
}


def _failures_for(checked: str, failures: tuple[PreflightFailure, ...]) -> list[PreflightFailure]:
    for prefix, kind in CHECK_PREFIXES.items():
        if checked.startswith(prefix):
            label = checked.split(": ", 1)[-1]
            subject = checked[len(prefix) :].split(":", 1)[0] if kind == "operator-access" else ""
            return [
                f
                for f in failures
                if f.check == kind and f.principal == label and subject in f.message
            ]
    return []


def preflight_from_report(report: PreflightReport) -> Preflight:
    """One row per checked principal; failing rows carry the simulator's message."""
    checks = []
    for checked in report.checked:
        failures = _failures_for(checked, report.failures)
        blocking = [f for f in failures if f.enforced]
        detail = " ".join(f.message for f in failures)
        if failures and not blocking:
            detail = f"reported only (monitor mode): {detail}"
        checks.append(PreflightCheck(checked, not blocking, detail))
    listed = {id(f) for c in report.checked for f in _failures_for(c, report.failures)}
    checks += [
        PreflightCheck(f"{f.check}: {f.principal}", not f.enforced, f.message)
        for f in report.failures
        if id(f) not in listed
    ]
    return Preflight(ok=report.ok, checks=tuple(checks), notes=report.assumptions)


def preflight_from_config(config: Path) -> Preflight:
    """The offline lockout preflight on the desired state the config and lock file declare."""
    from generator.drift.desired import load_desired_state  # heavy import, only when asked

    return preflight_from_report(run_preflight(load_desired_state(config).state))
