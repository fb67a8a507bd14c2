"""The lockout preflight for restricted API tokens (controls.api_tokens.restrict): once a token
only works from the trusted zones, everything that uses it must call from there. egress-guard
cannot know which token a CI runner or an integration uses; it checks what the config says:
every `operator_ips` range (CI egress) must lie inside the trusted zones, else `generate`
refuses (unless --force). Without operator ranges it says what to make sure of instead."""

from __future__ import annotations

import netaddr

from generator.model import DesiredState
from generator.simulate.preflight import PreflightFailure

CHECK = "token-network"
RULE = "the restricted API tokens' network condition (the trusted zones only)"


def token_network_failures(state: DesiredState) -> list[PreflightFailure]:
    tokens = state.controls.api_tokens
    if not tokens:
        return []
    trusted = netaddr.IPSet(state.trusted_gateways)
    labels = ", ".join(token.label for token in tokens)
    failures = []
    for cidr in state.operator_ips:
        outside = netaddr.IPSet([cidr]) - trusted
        if not outside:
            continue
        ranges = tuple(str(c) for c in outside.iter_cidrs())
        failures.append(
            PreflightFailure(
                check="token-network",
                principal=f"API tokens {labels}",
                ranges=ranges,
                rule=RULE,
                message=(
                    f"operator range {cidr}: {', '.join(ranges[:5])} lie outside the trusted "
                    f"zones, so the restricted API tokens ({labels}) would be refused from there "
                    "(a CI runner there is locked out); add the range to a trusted source"
                ),
                enforced=True,
            )
        )
    return failures


def token_network_notes(state: DesiredState) -> list[str]:
    tokens = state.controls.api_tokens
    if not tokens or state.operator_ips:
        return []
    labels = ", ".join(token.label for token in tokens)
    return [
        f"API tokens {labels} will only work from the trusted zones: make sure everything that "
        "uses them (CI runners, integrations) calls from there (list CI egress in "
        "okta.operator_ips to have it checked)"
    ]
