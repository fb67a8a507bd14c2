"""Render the desired-state model into the generated Terraform module (filename -> file text).

Each concern module turns the model into blocks (data); `hcl` writes them. The output is
deterministic and `terraform fmt` clean. The model is read as-is: no policy decision is made here.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.model import DesiredState
from generator.render.app_policies import app_policies_blocks
from generator.render.checks import check_addresses
from generator.render.controls import controls_blocks
from generator.render.hcl import Block, render_file
from generator.render.lookups import lookups_blocks
from generator.render.mfa import mfa_blocks
from generator.render.session_policy import session_policy_blocks
from generator.render.versions import versions_blocks
from generator.render.zones import zones_blocks

__all__ = ["FILES", "OPTIONAL_FILES", "check_addresses", "render_terraform"]

FILES: dict[str, Callable[[DesiredState], list[Block]]] = {
    "versions.tf": lambda _state: versions_blocks(),
    "lookups.tf": lookups_blocks,
    "zones.tf": zones_blocks,
    "session_policy.tf": session_policy_blocks,
    "app_policies.tf": app_policies_blocks,
    "controls.tf": controls_blocks,
    "mfa.tf": mfa_blocks,
}
# Written only when they have blocks (an opt-in; `generate` removes a stale one).
OPTIONAL_FILES = frozenset({"controls.tf", "mfa.tf"})


def render_terraform(state: DesiredState) -> dict[str, str]:
    """The generated module's files, keyed by file name, each starting with the header comment;
    the optional ones (`controls.tf`, `mfa.tf`) only when the config asks for what they hold."""
    check_addresses(state)
    files = {}
    for name, build in FILES.items():
        blocks = build(state)
        if blocks or name not in OPTIONAL_FILES:
            files[name] = render_file(blocks)
    return files
