"""Generated files of the root module (the parent of `output.dir`): Terraform accepts `import`
blocks only there, so the API tokens egress-guard restricts get theirs in
`egress-guard-imports.tf` beside the hand-written root files. Written atomically, removed when no
longer needed, and only ever a file that starts with egress-guard's generated header."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.atomic import write_text_atomic
from generator.errors import InputError
from generator.render.controls import IMPORTS_FILE
from generator.render.hcl import HEADER

ROOT_FILES = (IMPORTS_FILE,)


def root_dir(out_dir: Path) -> Path:
    return out_dir.parent


def _ours(path: Path) -> bool:
    try:
        return path.read_text(encoding="utf-8").startswith(HEADER)
    except (OSError, UnicodeDecodeError):
        return False


def file_difference(path: Path, wanted: str) -> str | None:
    """Why `path` does not hold `wanted` ("missing", "unreadable: ...", "differs"), or None."""
    try:
        current = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except (OSError, UnicodeDecodeError) as error:
        return f"unreadable: {getattr(error, 'strerror', None) or error}"
    return None if current == wanted else "differs"


def stale_root_files(out_dir: Path, files: Mapping[str, str]) -> list[str]:
    """Root files that differ, are missing, or remain although nothing needs them."""
    root = root_dir(out_dir)
    stale = []
    for name in ROOT_FILES:
        path = root / name
        wanted = files.get(name)
        if wanted is None:
            problem = "extra" if path.exists() and _ours(path) else None
        else:
            problem = file_difference(path, wanted)
        if problem is not None:
            stale.append(f"../{name} ({problem})")
    return stale


def write_root_files(out_dir: Path, files: Mapping[str, str]) -> list[str]:
    """Write the root files (and delete ours that are no longer needed); the paths touched."""
    root = root_dir(out_dir)
    touched = []
    for name in ROOT_FILES:
        path = root / name
        wanted = files.get(name)
        try:
            if wanted is not None:
                if not path.exists() or path.read_text(encoding="utf-8") != wanted:
                    if path.exists() and not _ours(path):
                        raise InputError(
                            f"{path}: exists and was not written by egress-guard (no generated "
                            "header); move it away: egress-guard writes its import blocks there"
                        )
                    write_text_atomic(path, wanted)
                    touched.append(str(path))
            elif path.exists() and _ours(path):
                path.unlink()
                touched.append(f"{path} (removed)")
        except OSError as error:
            raise InputError(
                f"{path}: cannot write the root module's generated file: {error.strerror or error}"
            ) from None
    return touched
