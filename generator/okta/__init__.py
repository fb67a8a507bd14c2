"""Okta Management API access: a raw-JSON client and the read-only live-org snapshot."""
