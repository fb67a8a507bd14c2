"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Files get the mode a plain `open(path, "w")` would give them (0666 minus the process umask),
not the 0600 of `tempfile.mkstemp`. After the renames the directory itself is fsynced, so the
new names survive a crash.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _umask() -> int:
    try:  # Linux reports it without changing it (no window for other threads' files)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it
    os.umask(mask)
    return mask


def _stage(directory: Path, name: str, data: bytes, mode: int) -> Path:
    """Write `data` to a fsynced temporary file beside `directory/name`; return its path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8, newlines as given) to `path` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _stage(path.parent, path.name, data, 0o666 & ~_umask())
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def replace_directory_files(
    directory: Path, files: Mapping[str, str], pattern: str, last: str | None = None
) -> None:
    """Make `directory` hold exactly `files` among names matching `pattern`.

    Every new file is staged first; only when all are staged are they renamed into place and
    stale files matching `pattern` removed, so an error while staging leaves the directory as
    it was. `last` (the lock file) is renamed after everything else: it records the other files,
    so it must never describe a set that is not fully in place.
    """
    directory.mkdir(parents=True, exist_ok=True)
    mode = 0o666 & ~_umask()
    staged: list[tuple[str, Path]] = []
    try:
        for name, text in sorted(files.items(), key=lambda item: (item[0] == last, item[0])):
            staged.append((name, _stage(directory, name, text.encode("utf-8"), mode)))
    except BaseException:
        for _, tmp_path in staged:
            tmp_path.unlink(missing_ok=True)
        raise
    closing = staged[-1] if staged and staged[-1][0] == last else None
    for name, tmp_path in staged:
        if (name, tmp_path) != closing:
            os.replace(tmp_path, directory / name)
    for stale in directory.glob(pattern):
        if stale.name not in files:
            stale.unlink()
    if closing is not None:
        os.replace(closing[1], directory / closing[0])
    _fsync_directory(directory)
