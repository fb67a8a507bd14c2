"""`versions.tf` of the generated module: the Terraform and okta/okta versions it needs.

The provider is pinned exactly: a minor release broke schemas without notice before (6.14.0,
okta/terraform-provider-okta#2884, #2912), and every fact the renderer relies on (grouped rules,
address formats, no perpetual diffs) was checked against one version. Terraform >= 1.7 for the
`removed` blocks of the 0.1 migration.
"""

from __future__ import annotations

from generator.render.hcl import Attribute, Block, HclObject

OKTA_PROVIDER_SOURCE = "okta/okta"
OKTA_PROVIDER_VERSION = "= 7.0.0"
TERRAFORM_VERSION = ">= 1.7.0"


def versions_blocks() -> list[Block]:
    okta = HclObject((("source", OKTA_PROVIDER_SOURCE), ("version", OKTA_PROVIDER_VERSION)))
    providers = Block("required_providers", body=(Attribute("okta", okta),))
    return [Block("terraform", body=(Attribute("required_version", TERRAFORM_VERSION), providers))]
