"""Local Okta org emulator (a Management API subset) and a Terraform provider stand-in for
okta/okta, for tests, demos and rehearsals. It never imports egress-guard (`generator`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from okta_sandbox.api import Sandbox

__all__ = ["Sandbox"]


def __getattr__(name: str) -> Any:
    # Lazy: `okta_sandbox.cli` (argument parsing) imports without the extra's filelock and tf.
    if name == "Sandbox":
        from okta_sandbox.api import Sandbox

        return Sandbox
    raise AttributeError(name)
