"""Org state store: one JSON document, guarded by a thread lock and (when file-backed) a file lock,
reloaded when another process changed the file and persisted atomically after every mutation."""

from __future__ import annotations

import copy
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock

from generator.atomic import write_text_atomic

State = dict[str, Any]
STATE_VERSION = 1


class Store:
    """Holds the org state; `transaction(write=...)` gives exclusive access to it."""

    def __init__(self, state: State | None, path: Path | None) -> None:
        self._lock = threading.RLock()
        self._path = path
        self._file_lock = FileLock(str(path) + ".lock") if path else None
        self._stamp: tuple[int, int, int] | None = None
        if state is not None:
            self._state = state
            if path is not None:
                with self._file_lock:  # type: ignore[union-attr]
                    self._persist()
        elif path is not None and path.exists():
            self._state = {}
            with self._file_lock:  # type: ignore[union-attr]
                self._load()
        else:
            raise ValueError("Store needs an initial state or an existing state file")

    @property
    def path(self) -> Path | None:
        return self._path

    @contextmanager
    def transaction(self, write: bool) -> Iterator[State]:
        """Yield the state under both locks; persist it afterwards when `write` and no error."""
        with self._lock:
            if self._file_lock is None:
                yield self._state
                return
            with self._file_lock:
                self._refresh()
                try:
                    yield self._state
                except BaseException:
                    if write:
                        self._load()  # roll back whatever a failed handler touched
                    raise
                if write:
                    self._persist()

    def snapshot(self) -> State:
        with self.transaction(write=False) as state:
            return copy.deepcopy(state)

    def _refresh(self) -> None:
        assert self._path is not None
        if self._current_stamp() != self._stamp:
            self._load()

    def _current_stamp(self) -> tuple[int, int, int] | None:
        assert self._path is not None
        try:
            info = os.stat(self._path)
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    def _load(self) -> None:
        assert self._path is not None
        with self._path.open(encoding="utf-8") as handle:
            loaded = json.load(handle)
        if not isinstance(loaded, dict) or loaded.get("version") != STATE_VERSION:
            raise ValueError(f"{self._path}: not a sandbox state file (version {STATE_VERSION})")
        self._state = loaded
        self._stamp = self._current_stamp()

    def _persist(self) -> None:
        assert self._path is not None
        write_text_atomic(self._path, json.dumps(self._state, separators=(",", ":")))
        self._stamp = self._current_stamp()


def load_state_file(path: Path) -> State:
    """Read a state file under its lock (for snapshots taken from another process)."""
    with FileLock(str(path) + ".lock"), path.open(encoding="utf-8") as handle:
        loaded: State = json.load(handle)
    return loaded
