"""Org state store, guarded by a thread lock and (when file-backed) a file lock.

A file-backed org is two files: `FILE` (one JSON document: every object but the System Log,
rewritten atomically after each mutation) and `FILE.logs.jsonl` (the System Log, one event per
line, append-only). Both are read and written under the one lock `FILE.lock`, so separate
processes see one org and one log; a process reloads the state when the file was replaced and
reads only the log lines appended since it last looked. Keeping the log out of the document
makes a write cost the org state, not the history (100,000 events in the `large` seed).

In memory the log is `state["logs"]`, a list in publication order, whichever the backing.
"""

from __future__ import annotations

import copy
import gc
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock

from okta_sandbox.core.files import replace_file

State = dict[str, Any]
STATE_VERSION = 2  # 1: the log inside the document (migrated on load)
Stamp = tuple[int, int, int]


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or parsing a big org: JSON data has no
    cycles, and collecting while 100,000 events are created costs more than creating them.
    Afterwards the org data is frozen (moved out of the collector's generations): otherwise
    every full collection a request's allocations trigger scans the whole org again, a pause
    of tens of milliseconds on the `large` seed. Freed objects still go by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def logs_path(path: Path) -> Path:
    return path.with_name(path.name + ".logs.jsonl")


class Store:
    """Holds the org state; `transaction(write=...)` gives exclusive access to it."""

    def __init__(self, state: State | None, path: Path | None) -> None:
        self._lock = threading.RLock()
        self._path = path
        self._file_lock = FileLock(str(path) + ".lock") if path else None
        self._stamp: Stamp | None = None
        self._log_stamp: tuple[int, int] | None = None  # (inode, bytes read)
        self._persisted_logs = 0
        if state is not None:
            self._state = state
            if path is not None:
                with self._file_lock, bulk():  # type: ignore[union-attr]
                    self._write_all()
        elif path is not None and path.exists():
            self._state = {"logs": []}
            with self._file_lock, bulk():  # type: ignore[union-attr]
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
                    if write:  # roll back whatever a failed handler touched
                        self._load_document()
                        del self._state["logs"][self._persisted_logs :]
                    raise
                if write:
                    self._persist()

    def snapshot(self) -> State:
        with self.transaction(write=False) as state:
            return copy.deepcopy(state)

    def _refresh(self) -> None:
        if _stamp(self._document) != self._stamp:
            self._load_document()
        self._read_new_logs()

    @property
    def _document(self) -> Path:
        assert self._path is not None
        return self._path

    def _load(self) -> None:
        self._state["logs"] = []
        self._persisted_logs, self._log_stamp = 0, None
        self._load_document()
        self._read_new_logs()

    def _load_document(self) -> None:
        with self._document.open(encoding="utf-8") as handle, bulk():
            loaded = json.load(handle)
        if isinstance(loaded, dict) and loaded.get("version") == 1 and "logs" in loaded:
            self._migrate(loaded)
            return
        if not isinstance(loaded, dict) or loaded.get("version") != STATE_VERSION:
            raise ValueError(
                f"{self._document}: not a sandbox state file (version {STATE_VERSION})"
            )
        loaded["logs"] = self._state["logs"]
        self._state = loaded
        self._stamp = _stamp(self._document)

    def _migrate(self, loaded: State) -> None:
        """A version 1 file kept the log inside the document: move it to its own file."""
        loaded["version"] = STATE_VERSION
        self._state = loaded
        self._write_all()

    def _read_new_logs(self) -> None:
        """Append the log lines other processes wrote since this one last read."""
        path = logs_path(self._document)
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return
        inode, offset = self._log_stamp or (info.st_ino, 0)
        if inode != info.st_ino or info.st_size < offset:  # replaced: read it all again
            self._state["logs"], offset = [], 0
        if info.st_size == offset:
            self._log_stamp = (info.st_ino, offset)
            return
        with path.open("rb") as handle:
            handle.seek(offset)
            chunk = handle.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a line being written is read next time
        with bulk():
            self._state["logs"] += [json.loads(line) for line in complete.splitlines() if line]
        self._persisted_logs = len(self._state["logs"])
        self._log_stamp = (info.st_ino, offset + len(complete))

    def _persist(self) -> None:
        self._write_document()
        new = self._state["logs"][self._persisted_logs :]
        if new:
            path = logs_path(self._document)
            with path.open("ab") as handle:
                handle.write(_lines(new))
                handle.flush()
                os.fsync(handle.fileno())
            self._persisted_logs = len(self._state["logs"])
            info = os.stat(path)  # nobody else appends while we hold the file lock
            self._log_stamp = (info.st_ino, info.st_size)

    def _write_document(self) -> None:
        document = {k: v for k, v in self._state.items() if k != "logs"}
        replace_file(self._document, json.dumps(document, separators=(",", ":")))
        self._stamp = _stamp(self._document)

    def _write_all(self) -> None:
        """Write both files from scratch (a new or migrated org)."""
        path = logs_path(self._document)
        replace_file(path, _lines(self._state.get("logs", [])))
        self._state.setdefault("logs", [])
        self._persisted_logs = len(self._state["logs"])
        info = os.stat(path)
        self._log_stamp = (info.st_ino, info.st_size)
        self._write_document()


_ENCODER = json.JSONEncoder(separators=(",", ":"))


def _lines(events: list[dict[str, Any]]) -> bytes:
    return "".join(_ENCODER.encode(e) + "\n" for e in events).encode("utf-8")


def _stamp(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)
