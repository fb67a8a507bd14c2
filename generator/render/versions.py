"""`versions.tf` of the generated module: its own provider requirement (okta/okta ~> 7.0)."""

from __future__ import annotations

from generator.render.hcl import Attribute, Block, HclObject

OKTA_PROVIDER_SOURCE = "okta/okta"
OKTA_PROVIDER_VERSION = "~> 7.0"


def versions_blocks() -> list[Block]:
    okta = HclObject((("source", OKTA_PROVIDER_SOURCE), ("version", OKTA_PROVIDER_VERSION)))
    return [
        Block("terraform", body=(Block("required_providers", body=(Attribute("okta", okta),)),))
    ]
