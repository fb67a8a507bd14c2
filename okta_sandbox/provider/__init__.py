"""Terraform provider stand-in for okta/okta, served with the `tf` framework (protocol 6).

Terraform finds it through a CLI config `dev_overrides` entry (see `launcher.py`); it talks HTTP
to whatever Okta API `OKTA_HTTP_PROXY` points at — normally the local sandbox.
"""
