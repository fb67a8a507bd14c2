"""Whole-file replacement for the sandbox's state, log and spec-cache files.

The emulator is a separate package from the tool it rehearses and shares none of its code, so it
keeps this small writer of its own: a fsynced temporary file in the same directory, renamed over
the target, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_file(path: Path, data: bytes | str) -> None:
    """Write `data` (str as UTF-8) to `path`; the old content stays until the rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)  # the state file holds the sandbox org's API token
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
