"""Entry point Terraform starts (through the launcher script written by `launcher.py`)."""

from __future__ import annotations

import sys

import tf.provider
from tf.runner import run_provider

from okta_sandbox.provider.provider import OktaProvider
from okta_sandbox.provider.servicer import OktaServicer


def main() -> None:
    # tf.runner builds `tf.provider.ProviderServicer`; ours adds SDKv2-like planning on top.
    tf.provider.ProviderServicer = OktaServicer
    run_provider(OktaProvider(), sys.argv)


if __name__ == "__main__":
    main()
