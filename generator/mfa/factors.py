"""What counts as MFA: a user's enrolled factors graded, the authenticators' `allowedFor`
applied.

A factor counts only when it is ACTIVE and its authenticator may be used for sign-in (an
authenticator allowed for recovery only, such as email or the security question in a new
Identity Engine org, cannot satisfy an MFA requirement). The user's grade is the strongest
factor that counts:

- phishing-resistant: `webauthn`, `u2f` (FIDO), `signed_nonce` (Okta FastPass);
- possession: Okta Verify push and TOTP, other TOTP/HOTP apps and hardware tokens, Duo;
- weak: `sms`, `call`, `email`, `question` (interceptable or guessable; counted, but flagged);
- none: nothing that counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator.okta.platform import ALLOWED_FOR_RECOVERY, FACTOR_ACTIVE, factor_authenticator

Grade = Literal["none", "weak", "possession", "phishing_resistant"]
GRADES: tuple[Grade, ...] = ("none", "weak", "possession", "phishing_resistant")
PHISHING_RESISTANT = frozenset({"webauthn", "u2f", "signed_nonce"})
WEAK = frozenset({"sms", "call", "email", "question"})


@dataclass(frozen=True)
class FactorRules:
    """The org's authenticators as they bear on counting: keys allowed for recovery only."""

    recovery_only: frozenset[str] = frozenset()
    known: bool = False  # False: /api/v1/authenticators was not readable (everything counts)

    @classmethod
    def from_authenticators(cls, authenticators: Iterable[Mapping[str, Any]]) -> FactorRules:
        recovery = {
            str(a.get("key"))
            for a in authenticators
            if ((a.get("settings") or {}).get("allowedFor")) == ALLOWED_FOR_RECOVERY
        }
        return cls(frozenset(recovery), known=True)


def factor_grade(factor_type: str) -> Grade:
    if factor_type in PHISHING_RESISTANT:
        return "phishing_resistant"
    if factor_type in WEAK:
        return "weak"
    return "possession"


@dataclass(frozen=True)
class UserFactors:
    """One user's enrolled factors as counted."""

    grade: Grade
    counted: tuple[str, ...]  # factor types that count, strongest first
    recovery_only: tuple[str, ...] = ()  # ACTIVE, but only allowed for recovery
    inactive: tuple[str, ...] = ()  # enrolled, not ACTIVE (pending, suspended, ...)


def grade_factors(factors: Iterable[Mapping[str, Any]], rules: FactorRules) -> UserFactors:
    counted: list[str] = []
    recovery: list[str] = []
    inactive: list[str] = []
    for factor in factors:
        factor_type = str(factor.get("factorType"))
        if factor.get("status") != FACTOR_ACTIVE:
            inactive.append(factor_type)
            continue
        provider = factor.get("provider")
        key = factor_authenticator(factor_type, str(provider) if provider else None)
        if key is not None and key in rules.recovery_only:
            recovery.append(factor_type)
            continue
        counted.append(factor_type)
    order = {grade: index for index, grade in enumerate(GRADES)}
    counted.sort(key=lambda t: (-order[factor_grade(t)], t))
    grade: Grade = factor_grade(counted[0]) if counted else "none"
    return UserFactors(grade, tuple(dict.fromkeys(counted)), tuple(recovery), tuple(inactive))
