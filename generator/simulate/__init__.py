"""Policy simulator: Okta's sign-in and Admin Console decisions, per address or over all of them.

- `policyset`: the neutral representation; adapters `from_model` (desired state, offline) and
  `from_okta` / `live` (raw Management API JSON, the drift helper's `LiveOrg`).
- `evaluate`: point evaluation; `symbolic`: exact partition of the IPv4 + IPv6 space.
- `preflight`: lockout / hole assertions used by `generate`; `posture`: the same on the live org.
"""

from generator.simulate.evaluate import ConsoleDecision, Decision, SessionDecision, evaluate
from generator.simulate.from_model import policy_set_from_state
from generator.simulate.from_okta import policy_set_from_okta
from generator.simulate.policyset import PolicySet, Principal
from generator.simulate.preflight import PreflightFailure, PreflightReport, run_preflight
from generator.simulate.symbolic import Segment, partition

__all__ = [
    "ConsoleDecision",
    "Decision",
    "PolicySet",
    "PreflightFailure",
    "PreflightReport",
    "Principal",
    "Segment",
    "SessionDecision",
    "evaluate",
    "partition",
    "policy_set_from_okta",
    "policy_set_from_state",
    "run_preflight",
]
