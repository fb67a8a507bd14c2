"""`egress-guard sandbox serve` reaches the emulator only through generator/rehearsal.py, and the
tool installs and runs without the `sandbox` extra (tf, filelock)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from generator.cli import main

WITHOUT_EXTRA = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    sys.modules["tf"] = None        # as if `pip install okta-egress-guard` without [sandbox]
    sys.modules["filelock"] = None
    import generator
    for module in pkgutil.walk_packages(generator.__path__, "generator."):
        importlib.import_module(module.name)
    from generator.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def run_without_extra(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRA, *args], capture_output=True, text=True, timeout=120
    )


def test_cli_serve_refuses_a_negative_latency(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["sandbox", "serve", "--latency-ms", "-5"])
    assert caught.value.code == 2
    assert "argument --latency-ms: '-5' must be at least 0" in capsys.readouterr().err


def test_every_tool_module_imports_without_the_sandbox_extra() -> None:
    result = run_without_extra("--version")
    assert result.returncode == 0, result.stderr
    assert "egress-guard" in result.stdout


def test_rehearsal_without_the_extra_names_it(tmp_path: object) -> None:
    result = run_without_extra("sandbox", "serve", "--seed", "empty")
    assert result.returncode == 2
    assert "pip install 'okta-egress-guard[sandbox]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_emulator_never_imports_the_tool() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import okta_sandbox\n"
        "for m in pkgutil.walk_packages(okta_sandbox.__path__, 'okta_sandbox.'):\n"
        "    if m.name != 'okta_sandbox.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n == 'generator' or n.startswith('generator.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
