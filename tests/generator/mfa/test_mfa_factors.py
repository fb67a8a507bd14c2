"""What counts as MFA: active factors only, recovery-only authenticators excluded, the user
graded by the strongest factor that counts."""

from __future__ import annotations

from generator.mfa.factors import FactorRules, grade_factors

RECOVERY = FactorRules.from_authenticators(
    [
        {"key": "okta_email", "settings": {"allowedFor": "recovery"}},
        {"key": "security_question", "settings": {"allowedFor": "recovery"}},
        {"key": "phone_number", "settings": {"allowedFor": "any"}},
        {"key": "okta_verify"},
    ]
)


def factor(factor_type: str, provider: str = "OKTA", status: str = "ACTIVE") -> dict[str, str]:
    return {"factorType": factor_type, "provider": provider, "status": status}


def test_grades_follow_the_strongest_factor_that_counts() -> None:
    assert grade_factors([], RECOVERY).grade == "none"
    assert grade_factors([factor("sms")], RECOVERY).grade == "weak"
    graded = grade_factors([factor("sms"), factor("push"), factor("webauthn", "FIDO")], RECOVERY)
    assert graded.grade == "phishing_resistant"
    assert graded.counted == ("webauthn", "push", "sms")
    assert grade_factors([factor("token:software:totp", "GOOGLE")], RECOVERY).grade == (
        "possession"
    )


def test_recovery_only_and_inactive_factors_do_not_count() -> None:
    graded = grade_factors(
        [factor("email"), factor("question"), factor("push", status="PENDING_ACTIVATION")],
        RECOVERY,
    )
    assert graded.grade == "none"
    assert graded.recovery_only == ("email", "question")
    assert graded.inactive == ("push",)
    # Without the authenticators (not readable), an active email factor counts, as weak.
    assert grade_factors([factor("email")], FactorRules()).grade == "weak"
