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


def test_seeded_mix_of_enrolments(okta: Any) -> None:
    kinds = {
        login: sorted(f["factorType"] for f in factors(okta, login))
        for login in ("carol@example.com", "pat@example.com", "quinn@example.com")
    }
    assert kinds == {
        "carol@example.com": ["sms"],
        "pat@example.com": [],
        "quinn@example.com": ["push", "token:software:totp"],
    }
    assert [f["factorType"] for f in factors(okta, "riley@example.com")] == ["webauthn"]
    pat = okta.get("/api/v1/users/pat@example.com").json()
    removed = okta.get(
        LOGS,
        params={
            "filter": f'eventType eq "user.mfa.factor.deactivate" and target.id eq "{pat["id"]}"'
        },
    ).json()
    assert [e["actor"]["alternateId"] for e in removed] == ["alice.admin@example.com"]


def test_enrol_and_activate_factors(okta: Any) -> None:
    pat = okta.get("/api/v1/users/pat@example.com").json()
    base = f"/api/v1/users/{pat['id']}/factors"
    sms = okta.post(base, json={"factorType": "sms", "provider": "OKTA", "profile": {}})
    assert sms.status_code == 400 and sms.json()["errorCode"] == "E0000001"
    body = {"factorType": "sms", "provider": "OKTA", "profile": {"phoneNumber": "+15555550199"}}
    pending = okta.post(base, json=body).json()
    assert pending["status"] == "PENDING_ACTIVATION"
    activate = pending["_links"]["activate"]["href"]
    assert activate.endswith(f"{base}/{pending['id']}/lifecycle/activate")
    assert okta.post(base, json=body).json()["errorCauses"] == [
        {"errorSummary": "A factor of this type is already set up."}
    ]
    no_code = okta.post(f"{base}/{pending['id']}/lifecycle/activate", json={})
    assert no_code.status_code == 400
    done = okta.post(f"{base}/{pending['id']}/lifecycle/activate", json={"passCode": "123456"})
    assert done.status_code == 200 and done.json()["status"] == "ACTIVE"
    again = okta.post(f"{base}/{pending['id']}/lifecycle/activate", json={"passCode": "1"})
    assert again.status_code == 400
    push = okta.post(base, json={"factorType": "push", "provider": "OKTA"}).json()
    assert push["_embedded"]["activation"]["factorResult"] == "WAITING"
    assert okta.post(f"{base}/{push['id']}/lifecycle/activate").json()["status"] == "ACTIVE"
    email = okta.post(
        base,
        params={"activate": "true"},
        json={"factorType": "email", "provider": "OKTA", "profile": {"email": "d@example.com"}},
    ).json()
    assert email["status"] == "ACTIVE"
    nonce = okta.post(base, json={"factorType": "signed_nonce", "provider": "OKTA"})
    assert nonce.status_code == 400
    assert {f["status"] for f in factors(okta, pat["id"])} == {"ACTIVE"}
    logged = okta.get(
        LOGS,
        params={
            "filter": f'eventType eq "user.mfa.factor.activate" and target.id eq "{pat["id"]}"'
        },
    ).json()
    assert sorted(e["debugContext"]["debugData"]["factor"] for e in logged) == [
        "EMAIL_FACTOR",
        "OKTA_VERIFY_PUSH",
        "SMS_FACTOR",
    ]


def test_authenticators_say_what_they_are_allowed_for(okta: Any) -> None:
    listed = okta.get("/api/v1/authenticators").json()
    allowed = {a["key"]: (a.get("settings") or {}).get("allowedFor") for a in listed}
    assert allowed["okta_email"] == "recovery" and allowed["security_question"] == "recovery"
    assert allowed["phone_number"] == "any" and "okta_verify" in allowed
    first = listed[0]
    assert okta.get(f"/api/v1/authenticators/{first['id']}").json()["key"] == first["key"]
    assert okta.get("/api/v1/authenticators/autnope").status_code == 404
