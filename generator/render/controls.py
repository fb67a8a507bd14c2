"""`controls.tf`: Okta's own controls that Terraform manages, when the config opts in.

- `okta_threat_insight_settings.this` (controls.threat_insight.manage): the configured action,
  and exactly the trusted egress zones excluded (their addresses are never logged or blocked as
  suspicious; nothing else is). Destroying it resets ThreatInsight to `none` with provider 6.x
  (7.x leaves it): remove it from the state first (`terraform state rm`) to stop managing it.
- `okta_api_token.<key>` per controls.api_tokens.restrict: network `ZONE` including every
  trusted zone. The resource is import-only (Terraform cannot create a token) and **destroying
  it revokes the token**: `lifecycle { prevent_destroy = true }`, and the `import` blocks, which
  Terraform accepts only in the root module, go to `egress-guard-imports.tf` there
  (`root_files`). To stop managing a token: `terraform state rm` it, then drop it from the
  config.
"""

from __future__ import annotations

from generator.errors import InputError
from generator.model import ApiTokenRestriction, DesiredState
from generator.render import addresses
from generator.render.common import id_list
from generator.render.hcl import Attribute, Block, Ref, render_file

THREAT_INSIGHT_NAME = "this"
IMPORTS_FILE = "egress-guard-imports.tf"  # in the root module (the parent of output.dir)


def threat_insight_block(state: DesiredState) -> Block:
    zones = id_list((zone.key for zone in state.zones), addresses.zone_id)
    body = (
        Attribute("action", state.controls.threat_action),
        Attribute("exclude_zones", zones),
    )
    return Block("resource", (addresses.THREAT_INSIGHT, THREAT_INSIGHT_NAME), body)


def _token_id(token: ApiTokenRestriction) -> str:
    if token.token_id is None:
        raise InputError(
            f"controls.api_tokens.restrict: the id of API token {token.label} is unknown: run "
            "`egress-guard generate` with Okta credentials to look it up, or give its id"
        )
    return token.token_id


def api_token_block(state: DesiredState, token: ApiTokenRestriction) -> Block:
    zones = id_list((zone.key for zone in state.zones), addresses.zone_id)
    network = Block("network", (), (Attribute("connection", "ZONE"), Attribute("include", zones)))
    lifecycle = Block("lifecycle", (), (Attribute("prevent_destroy", True),))
    body = (Attribute("id", _token_id(token)), network)
    return Block("resource", (addresses.API_TOKEN, token.key), body, (lifecycle,))


def controls_blocks(state: DesiredState) -> list[Block]:
    blocks = []
    if state.controls.threat_insight_managed:
        blocks.append(threat_insight_block(state))
    blocks += [api_token_block(state, token) for token in state.controls.api_tokens]
    return blocks


def root_files(state: DesiredState) -> dict[str, str]:
    """Files of the root module: the `import` blocks of the restricted API tokens (none
    without them)."""
    imports = [
        Block(
            "import",
            (),
            (
                Attribute(
                    "to", Ref(f"{addresses.MODULE_ADDRESS}.{addresses.API_TOKEN}.{token.key}")
                ),
                Attribute("id", _token_id(token)),
            ),
        )
        for token in state.controls.api_tokens
    ]
    return {IMPORTS_FILE: render_file(imports)} if imports else {}
