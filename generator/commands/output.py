"""Where a command's report goes: a file (written atomically) or stdout."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.atomic import write_text_atomic
from generator.errors import EgressGuardError


class OutputError(EgressGuardError):
    """The output file could not be written (exit 1); nothing was half-written."""


def write_output(text: str, output: Path | None, what: str = "report") -> None:
    """`text` into `output` atomically, or on stdout without one. A broken stdout pipe is left
    to the CLI (generator.cli), which exits quietly."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_text_atomic(output, text)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError(f"{output}: cannot write the {what}: {reason}") from None
