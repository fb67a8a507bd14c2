"""Local Okta org emulator (Management API subset) for tests, demos and rehearsals."""

from __future__ import annotations

from generator.sandbox.api import Sandbox

__all__ = ["Sandbox"]
