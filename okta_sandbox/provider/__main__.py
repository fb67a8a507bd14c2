"""Entry point Terraform starts (through the launcher script written by `launcher.py`)."""

from __future__ import annotations

import sys
from typing import Any

import tf.provider
import tf.runner
from tf.runner import run_provider

from okta_sandbox.provider.provider import OktaProvider
from okta_sandbox.provider.servicer import OktaServicer


class _StopKeepsServing(tf.runner._ShutdownInterceptor):  # type: ignore[misc]
    """okta/okta (SDKv2) answers StopProvider by cancelling its stop context and keeps serving:
    calls in flight finish, so Terraform records what they created when it stops gracefully on
    an interrupt. The `tf` framework instead stops its server at once (grace 0), dropping
    in-flight creates whose objects Okta already made (orphans outside the state). Only the
    plugin controller's Shutdown, sent when Terraform is done with the plugin, stops it here."""

    def intercept_service(self, continuation: Any, handler_call_details: Any) -> Any:
        if handler_call_details.method == "/tfplugin6.Provider/StopProvider":
            return continuation(handler_call_details)
        return super().intercept_service(continuation, handler_call_details)


def main() -> None:
    # tf.runner builds `tf.provider.ProviderServicer`; ours adds SDKv2-like planning on top.
    tf.provider.ProviderServicer = OktaServicer
    tf.runner._ShutdownInterceptor = _StopKeepsServing
    run_provider(OktaProvider(), sys.argv)


if __name__ == "__main__":
    main()
