# The Okta provider reads everything from its standard environment variables, so no secret is
# ever written in HCL or committed:
#   org:    OKTA_ORG_NAME + OKTA_BASE_URL (e.g. "example" + "okta.com")
#   auth:   OKTA_API_TOKEN (SSWS token), or OAuth private-key JWT with OKTA_API_CLIENT_ID,
#           OKTA_API_PRIVATE_KEY, OKTA_API_PRIVATE_KEY_ID and OKTA_API_SCOPES (comma list)
#   other:  OKTA_HTTP_PROXY replaces the org URL (egress-guard uses it to reach its local sandbox)
provider "okta" {}
