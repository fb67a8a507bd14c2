"""Python API for tests and tools: start a sandbox org on a free loopback port, in a thread of
this process or in a child process, and drive it (faults, snapshots, service apps)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from okta_sandbox import seeds
from okta_sandbox.core.audit import ResponseAudit
from okta_sandbox.core.server import SandboxHTTPServer
from okta_sandbox.core.store import Store
from okta_sandbox.spec import source as specsource
from okta_sandbox.spec.source import SpecOption


@dataclass(frozen=True)
class _Launch:
    """How to start a sandbox (Sandbox.launch's arguments, checked and resolved)."""

    seed: str
    path: Path | None
    latency_ms: int
    faults: tuple[str, ...]
    multiplier: float
    host: str
    spec: Path | None


class Sandbox:
    """A running sandbox org. Use `Sandbox.start(...)` as a context manager."""

    def __init__(
        self,
        org_url: str,
        api_token: str,
        state_file: Path | None,
        server: SandboxHTTPServer | None = None,
        process: subprocess.Popen[str] | None = None,
        thread: threading.Thread | None = None,
        cleanup: tempfile.TemporaryDirectory[str] | None = None,
        spec: Path | None = None,
    ) -> None:
        self.org_url = org_url
        self.api_token = api_token
        self.state_file = state_file
        self.spec = spec  # Okta's spec it validates with; None: its own rules only
        self._server = server
        self._process = process
        self._thread = thread
        self._cleanup = cleanup
        self._http = requests.Session()
        self._http.headers["Authorization"] = f"SSWS {api_token}"

    def __repr__(self) -> str:  # never show the token
        return f"Sandbox(org_url={self.org_url!r})"

    @classmethod
    def launch(
        cls,
        seed: str = "default",
        state_file: Path | str | None = None,
        latency_ms: int = 0,
        mode: str = "thread",
        faults: Sequence[str] = (),
        rate_limit_multiplier: float = 1.0,
        host: str = "127.0.0.1",
        spec: SpecOption = None,
    ) -> Sandbox:
        """Start a sandbox; an existing `state_file` is reused as is (the seed is ignored).
        `spec`: Okta's OpenAPI spec (a path; None: $EGRESS_GUARD_OKTA_SPEC or the checkout's
        ../shared copy; False: none). The sandbox is a context manager that stops it on exit;
        otherwise call `stop()` yourself."""
        if mode not in ("thread", "process"):
            raise ValueError(f"mode must be 'thread' or 'process', not {mode!r}")
        path = Path(state_file) if state_file is not None else None
        spec_path = specsource.resolve(spec, "spec=")
        if spec_path is None:
            ResponseAudit.from_env(None)  # refuses to start when the audit is requested
        launch = cls._launch_thread if mode == "thread" else cls._launch_process
        return launch(
            _Launch(seed, path, latency_ms, tuple(faults), rate_limit_multiplier, host, spec_path)
        )

    @classmethod
    def _launch_thread(cls, how: _Launch) -> Sandbox:
        validator = specsource.validator_for(how.spec)
        store = open_store(how.seed, how.path)
        server = SandboxHTTPServer((how.host, 0), store, how.latency_ms, how.multiplier, validator)
        if validator is None:
            specsource.say_once(specsource.OFF_NOTE)
        for fault in how.faults:
            server.faults.add(fault)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="okta-sandbox",
            daemon=True,
        )
        thread.start()
        with store.transaction(write=False) as state:
            token = str(state["secrets"]["primary"])
        return cls(server.org_url, token, how.path, server=server, thread=thread, spec=how.spec)

    @classmethod
    def _launch_process(cls, how: _Launch) -> Sandbox:
        cleanup, path = None, how.path
        if path is None:
            cleanup = tempfile.TemporaryDirectory(prefix="okta-sandbox-")
            path = Path(cleanup.name) / "org.json"
        command = [
            sys.executable,
            "-m",
            "okta_sandbox",
            "serve",
            "--host",
            how.host,
            "--port",
            "0",
            "--state",
            str(path),
            "--seed",
            how.seed,
            "--latency-ms",
            str(how.latency_ms),
            "--rate-limit-multiplier",
            str(how.multiplier),
            "--json",
        ]
        for fault in how.faults:
            command += ["--fault", fault]
        command += ["--no-spec"] if how.spec is None else ["--spec", str(how.spec)]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            process.wait(timeout=10)
            raise RuntimeError(f"sandbox process exited with {process.returncode}")
        info = json.loads(line)
        return cls(
            info["org_url"],
            info["api_token"],
            path,
            process=process,
            cleanup=cleanup,
            spec=how.spec,
        )

    def add_fault(self, spec: str) -> None:
        """Inject a fault (see okta_sandbox.core.faults for the SPEC syntax)."""
        if self._server is not None:
            self._server.faults.add(spec)
            return
        response = self._http.post(f"{self.org_url}/__sandbox/faults", json={"spec": spec})
        if response.status_code != 200:
            raise ValueError(response.json().get("errorSummary", response.text))

    def clear_faults(self) -> None:
        if self._server is not None:
            self._server.faults.clear()
            return
        self._http.delete(f"{self.org_url}/__sandbox/faults").raise_for_status()

    def active_faults(self) -> list[str]:
        """The faults still active, as SPECs with their remaining counts."""
        if self._server is not None:
            return [fault.spec() for fault in self._server.faults.specs()]
        response = self._http.get(f"{self.org_url}/__sandbox/faults")
        response.raise_for_status()
        return [str(spec) for spec in response.json()]

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the whole org state (objects without `_links`, plus `logs`)."""
        if self._server is not None:
            return self._server.store.snapshot()
        response = self._http.get(f"{self.org_url}/__sandbox/state")
        response.raise_for_status()
        snapshot: dict[str, Any] = response.json()
        return snapshot

    def mutate(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Run `change(state)` on the org state under the store's locks and persist it: a test's
        out-of-band edit of something the API does not offer (the change is not logged)."""
        if self._server is not None:
            store = self._server.store
        elif self.state_file is not None:
            store = Store(None, self.state_file)  # the child process reloads the changed file
        else:
            raise RuntimeError("this sandbox has no state to mutate")
        with store.transaction(write=True) as state:
            change(state)

    def add_service_app(
        self,
        public_key_pem: str,
        scopes: Sequence[str],
        name: str = "egress-guard service app",
        network: dict[str, Any] | None = None,
    ) -> str:
        """Register an OAuth service app (private_key_jwt with this public key); its client id.
        `network`: its `settings.oauthClient.network` (none: unrestricted, as Okta creates it)."""
        body: dict[str, Any] = {"name": name, "publicKey": public_key_pem, "scopes": list(scopes)}
        if network is not None:
            body["network"] = network
        response = self._http.post(f"{self.org_url}/__sandbox/service-apps", json=body)
        response.raise_for_status()
        return str(response.json()["clientId"])

    def stop(self) -> None:
        self._http.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None
        if self._cleanup is not None:
            self._cleanup.cleanup()
            self._cleanup = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    start = launch  # `with Sandbox.start(...) as sandbox:` reads best in tests and scripts


def open_store(seed: str, path: Path | None) -> Store:
    """A store for `path` (reused if it exists, else seeded) or an in-memory seeded one."""
    if path is not None and path.exists():
        return Store(None, path)
    return Store(seeds.build(seed), path)
