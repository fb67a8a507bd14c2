"""Install the stand-in for one Terraform session: a launcher script plus a CLI config file.

Everything lives in a private (by default temporary) directory; Terraform is pointed at it with
TF_CLI_CONFIG_FILE, so the user's own ~/.terraformrc, their TF_CLI_CONFIG_FILE file and plugin
caches are never read or written, and the stand-in's dev_overrides always win.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import okta_sandbox

PROVIDER_SOURCE = "okta/okta"
EXECUTABLE = "terraform-provider-okta"


@dataclass(frozen=True)
class StandIn:
    directory: Path

    @property
    def cli_config(self) -> Path:
        return self.directory / "terraformrc"

    def env(self) -> dict[str, str]:
        return {"TF_CLI_CONFIG_FILE": str(self.cli_config)}

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def install(directory: Path | None = None) -> StandIn:
    """Write the launcher and a dev_overrides CLI config; returns where they are."""
    root = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="egress-guard-tf-"))
    bin_dir = root / "bin"
    home = root / "home"  # the tf framework caches its TLS cert under $HOME/.cache
    bin_dir.mkdir(parents=True, exist_ok=True)
    home.mkdir(exist_ok=True)
    package_root = Path(okta_sandbox.__file__).resolve().parent.parent
    python_path = os.pathsep.join(filter(None, [str(package_root), os.environ.get("PYTHONPATH")]))
    script = bin_dir / EXECUTABLE
    script.write_text(
        "#!/bin/sh\n"
        f"PYTHONPATH={shlex.quote(python_path)} HOME={shlex.quote(str(home))} "
        f'exec {shlex.quote(sys.executable)} -m okta_sandbox.provider "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    stand_in = StandIn(root)
    stand_in.cli_config.write_text(
        "provider_installation {\n"
        "  dev_overrides {\n"
        f"    {json.dumps(PROVIDER_SOURCE)} = {json.dumps(str(bin_dir))}\n"
        "  }\n"
        "  direct {}\n"
        "}\n",
        encoding="utf-8",
    )
    return stand_in


@contextmanager
def temporary_stand_in() -> Iterator[StandIn]:
    """The stand-in in a fresh temporary directory, removed afterwards (one per command)."""
    with tempfile.TemporaryDirectory(prefix="egress-guard-tf-") as directory:
        yield install(Path(directory))
