"""The output directory: only egress-guard's own files are ever replaced or removed, foreign
Terraform is refused, and the whole directory switches at once, even across a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.lockfile import LOCK_NAME, file_hash
from generator.render.hcl import HEADER

CORPORATE = ["8.8.8.0/24", "8.8.4.0/24", "9.9.9.0/24", "1.1.1.0/24"]


def config_text(corporate: list[str] = CORPORATE) -> str:
    return (
        "version: 1\n"
        f"egress:\n  corporate: [{', '.join(corporate)}]\n"
        "okta:\n  break_glass: {users: [breakglass@example.com]}\n"
        "output: {dir: out}\n"
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "policy.yaml").write_text(config_text())
    return tmp_path


def generate(workdir: Path, *extra: str) -> int:
    return main(["generate", "--config", str(workdir / "policy.yaml"), "--offline", *extra])


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def leftovers(workdir: Path) -> list[str]:
    """Staging and old directories beside out/, temporary files inside it."""
    found = [p.name for p in workdir.iterdir() if p.name.startswith(".out.")]
    found += [p.name for p in (workdir / "out").glob(".*.tmp")]
    return found


def consistent(directory: Path) -> bool:
    """Every *.tf file is the one the lock in the same directory records, and no other."""
    lock = json.loads((directory / LOCK_NAME).read_text())
    tf = {p.name: file_hash(p.read_text()) for p in directory.glob("*.tf")}
    return tf == lock["files"]


def test_foreign_terraform_in_the_output_directory_is_refused_not_deleted(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "out").mkdir()
    (workdir / "out" / "main.tf").write_text('resource "null_resource" "mine" {}\n')
    assert generate(workdir) == 2
    err = capsys.readouterr().err
    assert "main.tf without the header" in err and "did not write" in err
    assert files(workdir / "out") == {"main.tf": b'resource "null_resource" "mine" {}\n'}


def test_foreign_terraform_added_later_is_refused_too(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(workdir) == 0
    (workdir / "out" / "infra.tf").write_text("# hand-written\n")
    before = files(workdir / "out")
    (workdir / "policy.yaml").write_text(config_text([*CORPORATE, "4.4.4.0/24"]))
    assert generate(workdir) == 2
    assert "infra.tf without the header" in capsys.readouterr().err
    assert files(workdir / "out") == before


def test_a_generated_file_the_lock_does_not_list_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(workdir) == 0
    (workdir / "out" / "copied.tf").write_text(f"{HEADER}\n# copied from elsewhere\n")
    assert generate(workdir) == 2
    assert "copied.tf not listed in the lock file" in capsys.readouterr().err


def test_only_files_the_lock_lists_are_removed_and_others_are_kept(workdir: Path) -> None:
    assert generate(workdir) == 0
    out = workdir / "out"
    old = f"{HEADER}\n# a file an earlier version generated\n"
    (out / "old.tf").write_text(old)
    lock = json.loads((out / LOCK_NAME).read_text())
    lock["files"]["old.tf"] = file_hash(old)
    (out / LOCK_NAME).write_text(json.dumps(lock))
    (out / ".gitkeep").write_text("")
    (out / "README.md").write_text("notes\n")
    assert generate(workdir) == 0
    names = set(files(out))
    assert "old.tf" not in names  # ours (header + listed): no longer produced, removed
    assert {".gitkeep", "README.md"} <= names  # not Terraform: carried over untouched
    assert consistent(out) and not leftovers(workdir)


def test_stale_temporary_files_of_earlier_runs_are_removed(workdir: Path) -> None:
    assert generate(workdir) == 0
    (workdir / "out" / ".zones.tf.abc123.tmp").write_text("half")
    (workdir / ".out.staging-deadbeef").mkdir()
    (workdir / ".out.staging-deadbeef" / "zones.tf").write_text("half")
    assert generate(workdir) == 0
    assert not leftovers(workdir) and consistent(workdir / "out")


# ---- a kill at each step of the switch ----------------------------------------------------------

KILLER = """
import os, signal, sys
from generator import outdir
from generator.cli import main
step, exchange = sys.argv[1], sys.argv[2] == "exchange"
real = outdir.write_generated_dir

def killing(directory, files, managed, exchange=exchange):
    return real(directory, files, managed, exchange=exchange)

def checkpoint(name):
    if name == step:
        os.kill(os.getpid(), signal.SIGKILL)

outdir.checkpoint = checkpoint
import generator.commands.generate as generate
generate.write_generated_dir = killing
sys.exit(main(["generate", "--config", sys.argv[3], "--offline"]))
"""


def killed_generate(workdir: Path, step: str, exchange: bool) -> int:
    done = subprocess.run(
        [sys.executable, "-c", KILLER, step, "exchange" if exchange else "renames",
         str(workdir / "policy.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )  # fmt: skip
    return done.returncode


@pytest.mark.parametrize(
    ("step", "exchange", "left"),
    [
        ("staged", True, "old"),  # killed before the switch: the old set, whole
        ("exchanged", True, "new"),  # killed right after the atomic exchange: the new set
        ("between-renames", False, None),  # no directory under the name until recovered
        ("renamed", False, "new"),
    ],
)
def test_a_kill_during_the_switch_never_leaves_a_mix(
    workdir: Path, step: str, exchange: bool, left: str | None
) -> None:
    assert generate(workdir) == 0
    out = workdir / "out"
    old = files(out)
    (workdir / "policy.yaml").write_text(config_text([*CORPORATE, "4.4.4.0/24"]))
    assert killed_generate(workdir, step, exchange) == -signal.SIGKILL
    if left is None:
        assert not out.exists() and leftovers(workdir)
    else:
        assert consistent(out)
        assert (files(out) == old) is (left == "old")
    # the next run recovers (restores or cleans up), then switches to the new set
    assert generate(workdir) == 0
    assert consistent(out) and not leftovers(workdir)
    assert b"4.4.4.0/24" in files(out)["zones.tf"]


def test_a_kill_between_renames_is_rolled_back_by_check_too(workdir: Path) -> None:
    """Whatever runs next (here `generate --check`, which writes nothing else) restores the
    old directory first, so readers find the old, complete set again."""
    assert generate(workdir) == 0
    old = files(workdir / "out")
    (workdir / "policy.yaml").write_text(config_text([*CORPORATE, "4.4.4.0/24"]))
    assert killed_generate(workdir, "between-renames", False) == -signal.SIGKILL
    assert generate(workdir, "--check") == 1  # stale against the new config, and restored
    assert files(workdir / "out") == old and not leftovers(workdir)
