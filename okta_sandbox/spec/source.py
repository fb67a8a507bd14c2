"""Where the sandbox finds Okta's OpenAPI spec, and the extract it validates with, cached.

The spec (`management-minimal.yaml`, 3.4 MB) is not part of the package: it is read at run time
from `--spec FILE` (`spec=` in the Python API), else `EGRESS_GUARD_OKTA_SPEC`, else
`../shared/okta/management-minimal.yaml` beside a source checkout. Building the extract takes
seconds, so it is cached under `$XDG_CACHE_HOME/egress-guard/` (default `~/.cache/...`), keyed
by the spec's sha256 and a digest of the extractor and the routes it covers; a cache file that
is unreadable or does not match is rebuilt. Without a spec the sandbox runs on its own Okta rules.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from okta_sandbox.core.errors import SandboxError

if TYPE_CHECKING:
    from okta_sandbox.spec.validate import SpecValidator

ENV = "EGRESS_GUARD_OKTA_SPEC"
SHARED_SPEC = Path("shared", "okta", "management-minimal.yaml")  # beside the checkout
CACHE_PREFIX = "okta-spec-"
OFF_NOTE = (
    "okta-sandbox: note: spec-based request validation is off (no Okta OpenAPI spec "
    "found); the sandbox's own Okta rules still apply. Enable it with --spec FILE or "
    f"{ENV}=FILE (Okta's management-minimal.yaml)."
)
SpecOption = Path | str | Literal[False] | None
_noted: list[str] = []  # what has been said once in this process


class SpecError(SandboxError):
    """The spec named cannot be used, or the audit was requested without one."""


def resolve(option: SpecOption, named_as: str = "--spec ") -> Path | None:
    """The spec to use: `option` (a path; False: none), else $EGRESS_GUARD_OKTA_SPEC, else the
    checkout's ../shared copy when there is one. A spec named but missing is an error."""
    if option is False:
        return None
    if option is not None:
        return _existing(Path(option), f"{named_as}{option}")
    named = os.environ.get(ENV)
    if named:
        return _existing(Path(named), f"{ENV}={named}")
    return discovered()


def discovered() -> Path | None:
    """../shared/okta/management-minimal.yaml of the source checkout this package runs from
    (the directory holding pyproject.toml), if both exist; None for an installed package."""
    root = Path(__file__).resolve().parents[2]
    candidate = root.parent / SHARED_SPEC
    if (root / "pyproject.toml").is_file() and candidate.is_file():
        return candidate.resolve()
    return None


def _existing(path: Path, named_by: str) -> Path:
    if not path.is_file():
        raise SpecError(f"{named_by}: no such file (Okta's OpenAPI spec, management-minimal.yaml)")
    return path.resolve()


def validator_for(path: Path | None) -> SpecValidator | None:
    """The validator of the spec at `path` (None: none; say OFF_NOTE once the server runs)."""
    if path is None:
        return None
    stat = path.stat()
    return _validator(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def require_for_audit(validator: SpecValidator | None, audit_env: str) -> SpecValidator:
    """`validator`, or the error saying the audit `audit_env` asks for has no spec."""
    if validator is None:
        raise SpecError(
            f"{audit_env} is set (audit every response against Okta's spec) but no spec was "
            f"found: pass --spec FILE or set {ENV}=FILE (Okta's management-minimal.yaml)"
        )
    return validator


@functools.lru_cache(maxsize=8)
def _validator(path: str, mtime_ns: int, size: int) -> SpecValidator:
    """Loaded once per process and spec version (the key holds the file's mtime and size)."""
    from okta_sandbox.spec.validate import SpecValidator

    return SpecValidator(load_extract(Path(path)))


def load_extract(path: Path) -> dict[str, Any]:
    """The extract of the spec at `path`: from the cache, else built and cached."""
    import yaml

    from okta_sandbox.spec import extract as spec_extract

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"{path}: {exc.strerror}") from exc
    digest = hashlib.sha256(raw).hexdigest()
    file = cache_file(digest)
    document = _read_cache(file, digest)
    if document is not None:
        return document
    try:
        document = spec_extract.build_from(raw, path.name)
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())
        raise SpecError(f"{path}: cannot read Okta's OpenAPI spec from it: {reason}") from exc
    _write_cache(file, spec_extract.dump(document))
    return document


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "egress-guard"


def cache_file(digest: str) -> Path:
    return cache_dir() / f"{CACHE_PREFIX}{digest}-{_extractor_digest()}.json"


@functools.cache
def _extractor_digest() -> str:
    """What else the extract depends on: the extractor's code and the routes served."""
    from okta_sandbox.spec import extract as spec_extract
    from okta_sandbox.urls import ROUTES

    code = Path(spec_extract.__file__).read_bytes()
    routes = "\n".join(sorted(f"{r.method} {r.pattern.pattern}" for r in ROUTES))
    return hashlib.sha256(code + routes.encode("utf-8")).hexdigest()[:16]


def _read_cache(file: Path, digest: str) -> dict[str, Any] | None:
    """The cached extract, or None when missing, unreadable or not this spec's."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(document, dict):
        return None
    source = document.get("source")
    parts = ("read", "write", "operations")
    if not isinstance(source, str) or not source.endswith(f"sha256:{digest}"):
        return None
    if not all(isinstance(document.get(part), dict) for part in parts):
        return None
    return document


def _write_cache(file: Path, text: str) -> None:
    """Best effort: an unwritable cache only costs the next start the build again."""
    from okta_sandbox.core.files import replace_file

    try:
        replace_file(file, text)
    except OSError as exc:
        say_once(f"okta-sandbox: note: cannot cache Okta's spec extract in {file.parent}: {exc}")


def say_once(message: str) -> None:
    if message not in _noted:
        _noted.append(message)
        print(message, file=sys.stderr, flush=True)
