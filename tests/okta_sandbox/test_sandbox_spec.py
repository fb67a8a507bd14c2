"""The spec check itself: discriminators are followed, the tolerated differences are narrow and
the only ones, undocumented statuses and paths are errors, and the session audit fails a run on
a bad body. Where the spec comes from and its cache: test_sandbox_specsource.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from paths import OKTA_SPEC

from okta_sandbox.core.session import OrgSession
from okta_sandbox.spec import exceptions as spec_exceptions
from okta_sandbox.spec.validate import NO_BODY
from okta_sandbox.urls import ROUTES

TS = "2026-01-01T00:00:00.000Z"
TOLERATED = spec_exceptions.TOLERATED  # the list as shipped (tests patch the module's)
RULE = "/api/v1/policies/rst1/rules/0pr1"


def zone(**fields: Any) -> dict[str, Any]:
    base = {
        "type": "IP",
        "id": "nzo1",
        "name": "z",
        "status": "ACTIVE",
        "usage": "POLICY",
        "system": False,
        "created": TS,
        "lastUpdated": TS,
        "gateways": [],
        "proxies": None,
    }
    return {**base, **fields}


def rule(rule_type: str, **fields: Any) -> dict[str, Any]:
    base = {"id": "0pr1", "name": "r", "type": rule_type, "status": "ACTIVE", "system": False}
    return {**base, **fields}


def assurance(**fields: Any) -> dict[str, Any]:
    method = {"type": "ASSURANCE", "factorMode": "2FA", "reauthenticateIn": "PT2H", **fields}
    return {"appSignOn": {"access": "ALLOW", "verificationMethod": method}}


@pytest.mark.parametrize(
    ("path", "body", "where"),
    [
        ("/api/v1/zones/nzo1", zone(gateways=[{"type": "CIDR", "value": 5}]), "/gateways/0/value"),
        ("/api/v1/zones/nzo1", zone(gateways=[{"type": "IPV4", "value": "a"}]), "/gateways/0/type"),
        ("/api/v1/zones/nzo1", zone(proxies="x"), "/proxies"),
        (
            "/api/v1/zones/nzo1",
            zone(type="DYNAMIC_V2", gateways=None, locations="garbage"),
            "/locations",
        ),
        (RULE, rule("SIGN_ON", conditions={"network": {"connection": "NOWHERE"}}), "/conditions"),
        (RULE, rule("SIGN_ON", actions={"signon": {"requireFactor": "yes"}}), "/actions/signon"),
        (RULE, rule("ACCESS_POLICY", actions={"appSignOn": {"access": "MAYBE"}}), "/actions"),
        (RULE, rule("ACCESS_POLICY", actions=assurance(factorMode="3FA")), "/actions/appSignOn"),
        (RULE, rule("ACCESS_POLICY", conditions={"people": {"users": "x"}}), "/conditions"),
    ],
)
def test_fields_behind_discriminators_are_validated(
    spec_validator: Any, path: str, body: dict[str, Any], where: str
) -> None:
    problems = spec_validator.response_problems("GET", path, 200, body, {})
    assert any(p.startswith(f"at {where}") for p in problems), problems


def test_subtypes_behind_an_allof_wrapper_are_validated(spec_validator: Any) -> None:
    """AuthenticatorKeyOktaVerify reaches its discriminator parent through AuthenticatorSimple:
    validation neither recurses forever nor skips the subtype's own fields."""
    body = {
        "type": "app",
        "id": "aut1",
        "key": "okta_verify",
        "status": "ACTIVE",
        "name": "Okta Verify",
        "created": TS,
        "lastUpdated": TS,
        "settings": {"userVerification": "PREFERRED"},
    }
    path = "/api/v1/authenticators"
    assert spec_validator.response_problems("GET", path, 200, [body], {}) == []
    bad = {**body, "settings": {"userVerification": "SOMETIMES"}}
    problems = spec_validator.response_problems("GET", path, 200, [bad], {})
    assert any("/settings" in p for p in problems), problems


def seed_bodies(okta: Any) -> dict[str, Any]:
    """Every zone, app, authentication policy rule and System Log event of a fresh default
    org, as served."""
    bodies = {"/api/v1/zones": okta.get("/api/v1/zones").json()}
    bodies["/api/v1/apps"] = okta.get("/api/v1/apps").json()
    bodies["/api/v1/logs"] = okta.get("/api/v1/logs", params={"limit": 1000}).json()
    for policy in okta.get("/api/v1/policies", params={"type": "ACCESS_POLICY"}).json():
        path = f"/api/v1/policies/{policy['id']}/rules"
        bodies[path] = okta.get(path).json()
    return bodies


def problems_of(validator: Any, bodies: dict[str, Any]) -> set[str]:
    return {
        f"{path} {problem}"
        for path, body in bodies.items()
        for problem in validator.response_problems("GET", path, 200, body, {})
    }


def test_tolerated_differences_are_each_needed_and_the_only_ones(
    okta: Any, sandbox_factory: Any, spec_validator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = seed_bodies(okta)  # fetched before the list is patched (the audit uses it too)
    attacks = sandbox_factory(seed="attacks")  # its log has the rarer shapes (outcome null)
    attacked = OrgSession(attacks.org_url, attacks.api_token)
    recent = {"limit": 1000, "sortOrder": "DESCENDING"}
    bodies["/api/v1/logs"] += attacked.get("/api/v1/logs", params=recent).json()
    assert problems_of(spec_validator, bodies) == set()
    monkeypatch.setattr(spec_exceptions, "TOLERATED", ())
    strict = problems_of(spec_validator, bodies)
    covered: set[str] = set()
    # the tolerations real recorded traffic needs are checked by test_sandbox_replay.py
    for tolerated in (t for t in TOLERATED if not t.evidence):
        monkeypatch.setattr(spec_exceptions, "TOLERATED", (tolerated,))
        excused = strict - problems_of(spec_validator, bodies)
        assert excused, f"not needed by the default or attacks seed: {tolerated.reason}"
        covered |= excused
    assert covered == strict


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/zones/nzo1", zone(gateways=None)),  # not a system zone
        ("/api/v1/zones/nzo1", zone(system=True, gateways="none")),
        (RULE, rule("ACCESS_POLICY", conditions=None)),  # not the system Catch-all
        (RULE, rule("SIGN_ON", system=True, conditions=None)),
    ],
)
def test_near_misses_of_tolerated_differences_are_flagged(
    spec_validator: Any, path: str, body: dict[str, Any]
) -> None:
    assert spec_validator.response_problems("GET", path, 200, body, {})


def test_first_party_app_exceptions_are_narrow(okta: Any, spec_validator: Any) -> None:
    app = next(a for a in okta.get("/api/v1/apps").json() if a["name"] == "saasure")
    assert spec_validator.response_problems("GET", "/api/v1/apps", 200, [app], {}) == []
    vpn = app["settings"]["notifications"]["vpn"]
    for changed in ({**app, "name": "my_console"}, {**app, "settings": {**app["settings"]}}):
        changed["settings"]["notifications"] = {"vpn": {**vpn, "message": 5}}
        assert spec_validator.response_problems("GET", "/api/v1/apps", 200, [changed], {})


ERROR = {"errorCode": "E0000007", "errorSummary": "x", "errorLink": "x", "errorId": "x"}


@pytest.mark.parametrize(
    ("method", "path", "status", "body", "headers", "clean"),
    [
        ("GET", "/api/v1/zones", 201, [], {}, False),  # undocumented 2xx
        ("GET", "/api/v1/nothing-here", 200, {}, {}, False),  # path not in the spec
        ("GET", "/api/v1/nothing-here", 404, {**ERROR, "errorCauses": []}, {}, True),
        ("GET", "/api/v1/zones", 500, {"errorCode": 5}, {}, False),  # not Okta's error body
        ("GET", "/api/v1/zones", 500, NO_BODY, {}, False),
        ("DELETE", "/api/v1/zones/nzo1", 204, {"deleted": True}, {}, False),
        ("GET", "/api/v1/zones", 200, NO_BODY, {}, False),
        (
            "GET",
            "/api/v1/zones",
            403,
            NO_BODY,
            {"WWW-Authenticate": 'Bearer error="insufficient_scope"'},
            True,
        ),
        ("POST", "/oauth2/v1/token", 200, {"access_token": "t"}, {}, True),
        ("GET", "/__sandbox/state", 200, {"any": "thing"}, {}, True),
    ],
)
def test_statuses_and_paths_outside_the_spec(
    spec_validator: Any,
    method: str,
    path: str,
    status: int,
    body: Any,
    headers: dict[str, str],
    clean: bool,
) -> None:
    problems = spec_validator.response_problems(method, path, status, body, headers)
    assert (problems == []) is clean, problems


def concrete(pattern: re.Pattern[str]) -> str:
    return re.sub(r"\(\?P<\w+>\[\^/\]\+\)", "x1", pattern.pattern).strip("^$")


def test_every_route_is_in_the_spec_or_explicitly_undocumented(spec_validator: Any) -> None:
    paths = set()
    for route in ROUTES:
        path = concrete(route.pattern)
        paths.add(path)
        template = spec_validator.template(path)
        documented = route.method in spec_validator.operations.get(template or "", {})
        assert documented != (path in spec_exceptions.UNDOCUMENTED_PATHS), (route.method, path)
    assert set(spec_exceptions.UNDOCUMENTED_PATHS) <= paths


BAD_BODY_TEST = """
import requests
from okta_sandbox import Sandbox


def test_serves_a_zone_with_a_bogus_status(tmp_path):
    with Sandbox.start(mode="process", state_file=tmp_path / "org.json") as sandbox:
        sandbox.mutate(lambda state: [z.update(status="SLEEPING") for z in state["zones"].values()])
        zones = requests.get(
            sandbox.org_url + "/api/v1/zones",
            headers={"Authorization": "SSWS " + sandbox.api_token},
            timeout=10,
        )
        assert zones.status_code == 200
"""


def test_the_session_audit_fails_a_run_that_served_a_bad_body(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["okta_sandbox.pytest_plugin"]\n')
    (tmp_path / "pytest.ini").write_text(f"[pytest]\nokta_sandbox_spec = {OKTA_SPEC}\n")
    (tmp_path / "test_bad_body.py").write_text(BAD_BODY_TEST, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "1 passed" in result.stdout, result.stdout + result.stderr  # the test itself passed
    assert result.returncode == 1  # ... but the audit failed the run
    assert "differ from Okta's spec" in result.stdout
    assert "GET /api/v1/zones -> 200" in result.stdout and "SLEEPING" in result.stdout
