"""okta-egress-guard: restrict Okta admin sessions to trusted egress IPs, as code."""

__version__ = "0.1.0"
