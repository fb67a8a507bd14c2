"""Sandbox MFA factors: the enrolled factors of the default users, unenrolment (Okta Verify
siblings included), resetting all factors, and the System Log events each one writes."""

from __future__ import annotations

from typing import Any

LOGS = "/api/v1/logs"


def factors(okta: Any, login: str) -> list[dict[str, Any]]:
    return okta.get(f"/api/v1/users/{login}/factors").json()  # type: ignore[no-any-return]


def test_default_users_have_factors(okta: Any) -> None:
    alice = factors(okta, "alice.admin@example.com")
    assert sorted(f["factorType"] for f in alice) == ["push", "token:software:totp"]
    assert all(f["status"] == "ACTIVE" and f["provider"] == "OKTA" for f in alice)
    push = next(f for f in alice if f["factorType"] == "push")
    assert push["_links"]["self"]["hints"]["allow"] == ["GET", "DELETE"]
    key = factors(okta, "breakglass@example.com")
    assert [(f["factorType"], f["provider"]) for f in key] == [("webauthn", "FIDO")]
    user_id = okta.get("/api/v1/users/alice.admin@example.com").json()["id"]
    read = okta.get(f"/api/v1/users/{user_id}/factors/{push['id']}")
    assert read.status_code == 200 and read.json()["id"] == push["id"]
    missing = okta.get(f"/api/v1/users/{user_id}/factors/opfnope")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "E0000007"


def test_unenrolling_push_unenrolls_okta_verify(okta: Any) -> None:
    bob = okta.get("/api/v1/users/bob.admin@example.com").json()
    push = next(f for f in factors(okta, bob["id"]) if f["factorType"] == "push")
    assert okta.delete(f"/api/v1/users/{bob['id']}/factors/{push['id']}").status_code == 204
    assert factors(okta, bob["id"]) == []  # the TOTP of Okta Verify went with it (the spec)
    logged = okta.get(
        LOGS,
        params={
            "filter": f'eventType eq "user.mfa.factor.deactivate" and target.id eq "{bob["id"]}"'
        },
    ).json()
    assert len(logged) == 2
    assert logged[0]["outcome"] == {
        "result": "SUCCESS",
        "reason": "Admin reset OKTA_VERIFY_PUSH factor",
    }
    assert logged[0]["actor"]["alternateId"] == "alice.admin@example.com"


def test_reset_all_factors(okta: Any) -> None:
    carol = okta.get("/api/v1/users/carol@example.com").json()
    assert factors(okta, carol["id"])
    reset = okta.post(f"/api/v1/users/{carol['id']}/lifecycle/reset_factors")
    assert reset.status_code == 200
    assert factors(okta, carol["id"]) == []
    logged = okta.get(LOGS, params={"filter": 'eventType eq "user.mfa.factor.reset_all"'}).json()
    assert [t["id"] for e in logged for t in e["target"]] == [carol["id"]]
    okta.post(f"/api/v1/users/{carol['id']}/lifecycle/deactivate")
    refused = okta.post(f"/api/v1/users/{carol['id']}/lifecycle/reset_factors")
    assert refused.status_code == 400 and refused.json()["errorCode"] == "E0000001"
