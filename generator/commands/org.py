"""The Okta org a command reads: the caller's environment, or the local sandbox's."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


@contextmanager
def org_env(sandbox_flag: bool) -> Iterator[Mapping[str, str]]:
    """The environment the client reads: the caller's, or the local sandbox's (the same
    attach-or-start logic `egress-guard terraform --sandbox` uses; EGRESS_GUARD_SANDBOX=1)."""
    from generator.terraform_session import (
        DEFAULT_SANDBOX_DIR,
        sandbox_org,
        sandbox_requested,
    )

    if not sandbox_requested(sandbox_flag):
        yield os.environ
        return
    with sandbox_org(DEFAULT_SANDBOX_DIR) as (org_url, token):
        yield {"OKTA_ORG_URL": org_url, "OKTA_API_TOKEN": token}
