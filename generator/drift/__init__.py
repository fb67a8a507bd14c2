"""Drift detection: the live Okta org compared with the declared desired state."""
