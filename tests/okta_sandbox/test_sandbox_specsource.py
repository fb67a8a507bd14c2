"""Where the sandbox gets Okta's spec (option, environment, the checkout's ../shared), the
on-disk cache of the extract built from it (reused, rebuilt for another spec or a corrupt file),
and the sandbox without a spec: it runs on its own rules, says so once, refuses the audit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from paths import OKTA_SPEC

from okta_sandbox import Sandbox
from okta_sandbox.core.audit import ENV as AUDIT_ENV
from okta_sandbox.spec import extract as spec_extract
from okta_sandbox.spec import source as specsource
from okta_sandbox.spec.source import SpecError

TINY_SPEC = """
openapi: 3.0.3
info: {title: tiny Okta spec, version: "1"}
paths:
  /api/v1/zones:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Zone"}
      responses:
        "200":
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Zone"}
components:
  schemas:
    Error: {type: object}
    Zone:
      type: object
      properties:
        name: {type: string, maxLength: MAX}
"""
LONG_NAME = "twelve-chars"  # fine for Okta (128), too long for the tiny spec (8)
OFF = "spec-based request validation is off"


def tiny_spec(path: Path, max_length: int = 8) -> Path:
    path.write_text(TINY_SPEC.replace("MAX", str(max_length)), encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache directory, no spec in the environment, no audit (tiny specs document
    almost nothing), an empty per-process memo and nothing said yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(specsource.ENV, raising=False)
    monkeypatch.delenv(AUDIT_ENV, raising=False)
    monkeypatch.setattr(specsource, "_noted", [])
    specsource._validator.cache_clear()
    yield tmp_path / "xdg" / "egress-guard"
    specsource._validator.cache_clear()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per spec the extractor parses (bytes parsed)."""
    calls: list[int] = []
    parse = spec_extract.parse

    def counted(raw: bytes) -> dict[str, Any]:
        calls.append(len(raw))
        return parse(raw)

    monkeypatch.setattr(spec_extract, "parse", counted)
    return calls


def post(sandbox: Sandbox, path: str, body: Any) -> requests.Response:
    headers = {"Authorization": f"SSWS {sandbox.api_token}"}
    return requests.post(f"{sandbox.org_url}{path}", json=body, headers=headers, timeout=10)


def post_zone(sandbox: Sandbox, name: str, **fields: Any) -> requests.Response:
    body = {"type": "IP", "name": name, "gateways": [{"type": "CIDR", "value": "198.51.100.0/24"}]}
    return post(sandbox, "/api/v1/zones", {**body, **fields})


def identity(file: Path) -> tuple[int, int]:
    stat = file.stat()
    return stat.st_ino, stat.st_mtime_ns


def test_the_suite_validates_with_the_shared_spec(sandbox: Sandbox) -> None:
    assert os.environ[specsource.ENV] == str(OKTA_SPEC)
    assert sandbox.spec == OKTA_SPEC.resolve()


def test_the_extract_is_built_once_then_read_from_the_cache(
    cache: Path, parses: list[int], tmp_path: Path
) -> None:
    spec = tiny_spec(tmp_path / "spec.yaml")
    with Sandbox.start(spec=spec) as first:
        refused = post_zone(first, LONG_NAME)
    assert refused.status_code == 400, refused.text
    assert refused.json()["errorCauses"] == [{"errorSummary": "name: longer than 8 characters"}]
    assert len(parses) == 1
    [cached] = cache.iterdir()
    before = identity(cached)
    specsource._validator.cache_clear()  # as in a new process
    with Sandbox.start(spec=spec) as second:
        assert post_zone(second, LONG_NAME).status_code == 400
    with Sandbox.start(spec=spec, mode="process") as child:  # inherits XDG_CACHE_HOME
        assert post_zone(child, LONG_NAME).status_code == 400
    assert len(parses) == 1
    assert list(cache.iterdir()) == [cached] and identity(cached) == before


def test_a_changed_spec_is_rebuilt(cache: Path, parses: list[int], tmp_path: Path) -> None:
    spec = tiny_spec(tmp_path / "spec.yaml")
    with Sandbox.start(spec=spec) as strict:
        assert post_zone(strict, LONG_NAME).status_code == 400
    tiny_spec(spec, max_length=40)
    with Sandbox.start(spec=spec) as relaxed:
        assert post_zone(relaxed, LONG_NAME).status_code == 200
    assert len(parses) == 2 and len(list(cache.iterdir())) == 2


@pytest.mark.parametrize(
    "content",
    [
        b'{"source": "spec.yaml sha256:',  # cut short
        b"\xff\xfe not text",
        b"[]",
        json.dumps(
            {"source": "spec.yaml sha256:" + "0" * 64, "read": {}, "write": {}, "operations": {}}
        ).encode(),
    ],
    ids=["truncated", "not-utf8", "not-an-object", "another-spec"],
)
def test_a_corrupt_cache_is_rebuilt(
    cache: Path, parses: list[int], tmp_path: Path, content: bytes
) -> None:
    spec = tiny_spec(tmp_path / "spec.yaml")
    specsource.validator_for(spec)
    [cached] = cache.iterdir()
    good = cached.read_text(encoding="utf-8")
    cached.write_bytes(content)
    specsource._validator.cache_clear()
    with Sandbox.start(spec=spec) as sandbox:
        assert post_zone(sandbox, LONG_NAME).status_code == 400
    assert len(parses) == 2
    assert cached.read_text(encoding="utf-8") == good


def test_an_unwritable_cache_costs_only_a_rebuild(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with Sandbox.start(spec=tiny_spec(tmp_path / "spec.yaml")) as sandbox:
        assert post_zone(sandbox, LONG_NAME).status_code == 400
    assert "cannot cache Okta's spec extract" in capfd.readouterr().err


def test_the_spec_comes_from_the_option_then_the_environment_then_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    option, named = tiny_spec(tmp_path / "a.yaml"), tiny_spec(tmp_path / "b.yaml")
    monkeypatch.setenv(specsource.ENV, str(named))
    assert specsource.resolve(option) == option.resolve()
    assert specsource.resolve(None) == named.resolve()
    assert specsource.resolve(False) is None
    monkeypatch.setenv(specsource.ENV, str(tmp_path / "gone.yaml"))
    with pytest.raises(SpecError, match=r"EGRESS_GUARD_OKTA_SPEC=.*gone\.yaml: no such file"):
        specsource.resolve(None)
    with pytest.raises(SpecError, match=r"--spec .*nope\.yaml: no such file"):
        specsource.resolve(tmp_path / "nope.yaml")
    monkeypatch.delenv(specsource.ENV)
    assert specsource.resolve(None) == OKTA_SPEC.resolve()  # this checkout's ../shared


def test_only_a_source_checkout_looks_beside_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = tmp_path / "main"
    module = checkout / "okta_sandbox" / "spec" / "source.py"
    shared = tiny_spec_at(tmp_path / "shared" / "okta" / "management-minimal.yaml")
    monkeypatch.setattr(specsource, "__file__", str(module))
    assert specsource.discovered() is None  # no pyproject.toml: an installed package
    checkout.mkdir()
    (checkout / "pyproject.toml").write_text("", encoding="utf-8")
    assert specsource.discovered() == shared
    shared.unlink()
    assert specsource.discovered() is None


def tiny_spec_at(path: Path) -> Path:
    path.parent.mkdir(parents=True)
    return tiny_spec(path)


def test_a_file_that_is_not_the_spec_is_refused(cache: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("paths: {}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"other\.yaml: cannot read Okta's OpenAPI spec"):
        Sandbox.launch(spec=other)
    assert not cache.exists()


def test_without_a_spec_the_sandbox_keeps_its_own_rules_and_says_so_once(
    cache: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with Sandbox.start(spec=False) as sandbox:
        assert sandbox.spec is None
        too_long = post_zone(sandbox, "z" * 129)
        assert too_long.status_code == 400 and too_long.json()["errorCode"] == "E0000001"
        gateways = [{"type": "CIDR", "value": f"198.51.{n}.0/24"} for n in range(151)]
        crowded = post_zone(sandbox, "crowded", gateways=gateways)
        assert crowded.status_code == 400 and "at most 150" in crowded.text
        unknown = post_zone(sandbox, "unknown", colour="blue")
        assert unknown.status_code == 400 and unknown.json()["errorCode"] == "E0000003"
        assert post_zone(sandbox, "ok").status_code == 200
        assert post_zone(sandbox, "ok").status_code == 400  # names are unique
        before = sandbox.snapshot()
        for path, body in [
            ("/api/v1/zones", {"type": ["IP"], "name": "z"}),
            ("/api/v1/users", {"profile": {"login": 5}}),
            ("/api/v1/users", {"profile": {"login": 5, "firstName": "A", "lastName": "B"}}),
            ("/api/v1/users", {"profile": {"login": "a@example.com", "firstName": ["A"]}}),
        ]:
            unusable = post(sandbox, path, body)  # types only the spec checks: never a 5xx
            assert unusable.status_code == 400 and unusable.json()["errorCode"] == "E0000003"
            assert "--spec FILE" in unusable.text
        after = sandbox.snapshot()
        assert (after["zones"], after["users"]) == (before["zones"], before["users"])
    with Sandbox.start(spec=False):
        pass
    err = capfd.readouterr().err
    assert err.count(OFF) == 1, err
    assert "--spec FILE" in err and specsource.ENV in err


def test_the_audit_without_a_spec_fails_loudly(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(AUDIT_ENV, str(tmp_path))
    for mode in ("thread", "process"):
        with pytest.raises(SpecError, match=f"{AUDIT_ENV} is set .* no spec was found"):
            Sandbox.launch(spec=False, mode=mode)
    served = serve("--no-spec", env={**os.environ})
    assert served.returncode == 2
    assert f"{AUDIT_ENV} is set" in served.stderr and "--spec FILE" in served.stderr


def serve(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`sandbox serve ARGS` that is expected to exit by itself."""
    command = [sys.executable, "-m", "okta_sandbox", "serve", "--seed", "empty", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)


def serve_banner(*args: str, env: dict[str, str]) -> tuple[list[str], str]:
    """What `sandbox serve ARGS` prints on start (stdout lines up to the export, stderr)."""
    command = [sys.executable, "-m", "okta_sandbox", "serve", "--seed", "empty", *args]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    lines = []
    while not lines or not lines[-1].startswith("export "):
        line = process.stdout.readline()
        assert line, process.communicate(timeout=30)
        lines.append(line.rstrip("\n"))
    process.terminate()
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    return lines, err


def test_sandbox_serve_says_which_spec_it_validates_with(cache: Path, tmp_path: Path) -> None:
    spec = tiny_spec(tmp_path / "spec.yaml")
    env = {**os.environ}
    lines, err = serve_banner("--spec", str(spec), env=env)
    assert f"Spec-based request validation: Okta's spec {spec.resolve()}" in lines
    assert OFF not in err
    lines, err = serve_banner("--no-spec", env=env)
    assert "Spec-based request validation: off (the sandbox's own rules only)" in lines
    assert err.count(OFF) == 1
    with Sandbox.start(spec=False, mode="process") as child:  # `--no-spec --json`
        assert child.spec is None
        assert post_zone(child, LONG_NAME).status_code == 200
    missing = serve("--spec", str(tmp_path / "missing.yaml"), env=env)
    assert missing.returncode == 2 and "--spec" in missing.stderr
    assert "missing.yaml: no such file" in missing.stderr
    both = serve("--spec", str(spec), "--no-spec", env=env)
    assert both.returncode == 2 and "not allowed with" in both.stderr
