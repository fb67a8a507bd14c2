"""The generated output directory, switched as a whole: readers (Terraform, git, a concurrent
`generate --check`) see the old set of files or the new one, never a mix, even after a crash.

`write_generated_dir` stages the complete new directory as a sibling (`.<name>.staging-<random>`:
the new files plus every file of the old directory egress-guard does not manage, such as a
`.gitkeep`), then swaps it in: with Linux's `renameat2(RENAME_EXCHANGE)` in one atomic step,
elsewhere with two renames (old → `.<name>.old-<random>`, staging → name). A crash between those
two renames leaves no directory under the name; the next run restores the old one (`recover`)
before doing anything else. Stale staging and old directories, and the `.*.tmp` files of earlier
versions, are removed by every run.

Ownership: a `*.tf` file in the directory is egress-guard's when it starts with the generated
header and, if a lock exists, the lock lists it. Any other `*.tf` (hand-written Terraform,
another module) makes the directory unusable as output: the run refuses (exit 2) instead of
deleting it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import secrets
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.atomic import fsync_directory
from generator.errors import InputError
from generator.render.hcl import HEADER

STAGING = "staging"
OLD = "old"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class Ownership:
    """The `*.tf` files of an output directory, by who wrote them."""

    ours: tuple[str, ...]
    foreign: tuple[str, ...]  # no generated header
    unlisted: tuple[str, ...]  # the header, but a lock exists and does not list it


def _header(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\n") == HEADER
    except (OSError, UnicodeDecodeError):
        return False


def ownership(directory: Path, listed: Sequence[str] | None) -> Ownership:
    """Classify `directory`'s `*.tf` files; `listed`: the lock's file names (None: no lock)."""
    ours, foreign, unlisted = [], [], []
    for path in sorted(directory.glob("*.tf")) if directory.is_dir() else ():
        if not _header(path):
            foreign.append(path.name)
        elif listed is not None and path.name not in listed:
            unlisted.append(path.name)
        else:
            ours.append(path.name)
    return Ownership(tuple(ours), tuple(foreign), tuple(unlisted))


def check_ownership(directory: Path, listed: Sequence[str] | None) -> None:
    """Refuse an output directory holding Terraform egress-guard did not write."""
    owned = ownership(directory, listed)
    problems = []
    if owned.foreign:
        problems.append(
            f"{', '.join(owned.foreign)} without the header {HEADER!r} (hand-written Terraform?)"
        )
    if owned.unlisted:
        problems.append(f"{', '.join(owned.unlisted)} not listed in the lock file")
    if problems:
        raise InputError(
            f"{directory}: refusing to use it as the output directory: it holds *.tf files "
            f"egress-guard did not write: {'; '.join(problems)}. generate replaces the whole "
            "directory; point output.dir (or --out) at a directory of its own, e.g. "
            "terraform/generated, or move those files away"
        )


def _siblings(directory: Path, kind: str) -> list[Path]:
    parent = directory.parent
    if not parent.is_dir():
        return []
    return sorted(parent.glob(f".{directory.name}.{kind}-*"))


def recover(directory: Path) -> list[str]:
    """Undo what an interrupted switch left behind; returns what was done, for a note."""
    done: list[str] = []
    olds = _siblings(directory, OLD)
    if not directory.exists() and olds:
        os.rename(olds[-1], directory)  # crash between the two renames: the old set returns
        done.append(f"restored {directory} from the interrupted switch ({olds[-1].name})")
        olds = olds[:-1]
    for leftover in [*olds, *_siblings(directory, STAGING)]:
        shutil.rmtree(leftover, ignore_errors=True)
        done.append(f"removed {leftover.name}")
    if directory.is_dir():
        for tmp in directory.glob(".*.tmp"):  # per-file temporaries of earlier versions
            tmp.unlink(missing_ok=True)
            done.append(f"removed {directory.name}/{tmp.name}")
    return done


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this filesystem cannot
        return False
    raise OSError(errno, os.strerror(errno), str(first))


# Test seam: called between the steps of a switch (a test kills the process here).
def _checkpoint(step: str) -> None:
    return None


checkpoint: Callable[[str], None] = _checkpoint


def write_generated_dir(
    directory: Path, files: Mapping[str, str], managed: Sequence[str], *, exchange: bool = True
) -> None:
    """Make `directory` hold `files` plus its unmanaged entries, switched as one.

    `managed`: the names in the old directory that the new set replaces (egress-guard's own
    `*.tf` and the lock); everything else there is carried over unchanged.
    """
    recover(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    staging = directory.parent / f".{directory.name}.{STAGING}-{token}"
    staging.mkdir()
    try:
        if directory.is_dir():
            for entry in directory.iterdir():
                if entry.name not in managed and entry.name not in files:
                    _copy(entry, staging / entry.name)
            shutil.copymode(directory, staging)
        for name, text in sorted(files.items()):
            _write(staging / name, text.encode("utf-8"))
        fsync_directory(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    checkpoint("staged")
    if not directory.exists():
        os.rename(staging, directory)
    elif exchange and _exchange(staging, directory):
        checkpoint("exchanged")
        shutil.rmtree(staging)  # now holds the old set
    else:
        old = directory.parent / f".{directory.name}.{OLD}-{token}"
        os.rename(directory, old)
        checkpoint("between-renames")
        os.rename(staging, directory)
        checkpoint("renamed")
        shutil.rmtree(old)
    fsync_directory(directory.parent)


def _copy(source: Path, target: Path) -> None:
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target, follow_symlinks=False)


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # minus the umask
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
