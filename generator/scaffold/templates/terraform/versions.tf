# Root module of okta-egress-guard (hand-written; the policy itself lives in ./generated).

terraform {
  required_version = ">= 1.7.0"

  required_providers {
    okta = {
      source  = "okta/okta"
      version = "= 7.0.0"
    }
  }
}
