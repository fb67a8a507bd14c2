"""Sandbox policies, rules and app policy assignment: priorities, system objects, rule types."""

from __future__ import annotations

from typing import Any

import requests

from okta_sandbox import Sandbox

POLICIES = "/api/v1/policies"


def policy_named(okta: Any, policy_type: str, name: str) -> dict[str, Any]:
    policies = okta.get(POLICIES, params={"type": policy_type}).json()
    return next(p for p in policies if p["name"] == name)


def rules(okta: Any, policy_id: str) -> list[tuple[str, int]]:
    return [(r["name"], r["priority"]) for r in okta.get(f"{POLICIES}/{policy_id}/rules").json()]


def sign_on_policy(okta: Any, name: str, priority: int | None = None) -> dict[str, Any]:
    admins = okta.get("/api/v1/groups", params={"q": "Okta Administrators"}).json()[0]
    body: dict[str, Any] = {
        "type": "OKTA_SIGN_ON",
        "name": name,
        "conditions": {"people": {"groups": {"include": [admins["id"]]}}},
    }
    if priority is not None:
        body["priority"] = priority
    response = okta.post(POLICIES, json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_default_seed_policies(okta: Any) -> None:
    signon = okta.get(POLICIES, params={"type": "OKTA_SIGN_ON"}).json()
    assert [(p["name"], p["system"]) for p in signon] == [("Default Policy", True)]
    assert rules(okta, signon[0]["id"]) == [("Default Rule", 1)]
    default_rule = okta.get(f"{POLICIES}/{signon[0]['id']}/rules").json()[0]
    assert default_rule["type"] == "SIGN_ON"
    assert default_rule["conditions"]["network"] == {"connection": "ANYWHERE"}
    assert default_rule["actions"]["signon"]["access"] == "ALLOW"
    console = policy_named(okta, "ACCESS_POLICY", "Okta Admin Console")
    assert rules(okta, console["id"]) == [("Admin App Policy", 1), ("Catch-all Rule", 99)]
    catch_all = okta.get(f"{POLICIES}/{console['id']}/rules").json()[1]
    assert catch_all["system"] and catch_all["actions"]["appSignOn"]["access"] == "DENY"
    access = okta.get(POLICIES, params={"type": "ACCESS_POLICY"}).json()
    # authentication policies are listed in creation order, all at priority 1, the org's
    # default ("Any two factors", system) among them (recorded: every GET
    # /api/v1/policies?type=ACCESS_POLICY in ../shared/okta/recordings/)
    assert [(p["name"], p["system"], p["priority"]) for p in access] == [
        ("Okta Admin Console", False, 1),
        ("Okta Dashboard", False, 1),
        ("Any two factors", True, 1),
        ("Password only", False, 1),
        ("One factor access", False, 1),
    ]
    methods = {}
    for policy in access[2:]:
        [catch_all] = okta.get(f"{POLICIES}/{policy['id']}/rules").json()
        assert catch_all["name"] == "Catch-all Rule" and catch_all["system"]
        assert catch_all["actions"]["appSignOn"]["access"] == "ALLOW"
        method = catch_all["actions"]["appSignOn"]["verificationMethod"]
        methods[policy["name"]] = (method["factorMode"], method.get("constraints"))
    assert methods == {
        "Password only": ("1FA", [{"knowledge": {"types": ["PASSWORD"]}}]),
        "One factor access": ("1FA", None),
        "Any two factors": ("2FA", None),  # as recorded: no constraints
    }


def test_policy_priorities_shift_and_default_stays_last(okta: Any) -> None:
    first = sign_on_policy(okta, "first")
    assert first["priority"] == 1
    second = sign_on_policy(okta, "second", priority=1)
    order = [
        (p["name"], p["priority"])
        for p in okta.get(POLICIES, params={"type": "OKTA_SIGN_ON"}).json()
    ]
    assert order == [("second", 1), ("first", 2), ("Default Policy", 3)]
    okta.delete(f"{POLICIES}/{second['id']}")
    order = [
        (p["name"], p["priority"])
        for p in okta.get(POLICIES, params={"type": "OKTA_SIGN_ON"}).json()
    ]
    assert order == [("first", 2), ("Default Policy", 3)]  # deleting leaves a gap


def test_rule_priorities_and_lifecycle(okta: Any) -> None:
    policy = sign_on_policy(okta, "admins")
    path = f"{POLICIES}/{policy['id']}/rules"
    a = okta.post(path, json={"name": "a", "type": "SIGN_ON"}).json()
    assert a["type"] == "SIGN_ON" and a["priority"] == 1 and a["status"] == "ACTIVE"
    okta.post(path, json={"name": "b", "type": "SIGN_ON"})
    okta.post(path, json={"name": "c", "type": "SIGN_ON", "priority": 1})
    assert rules(okta, policy["id"]) == [("c", 1), ("a", 2), ("b", 3)]
    body = {**a, "priority": 3, "actions": {"signon": {"access": "DENY"}}}
    updated = okta.put(f"{path}/{a['id']}", json=body).json()
    assert updated["actions"]["signon"]["access"] == "DENY"
    assert rules(okta, policy["id"]) == [("c", 1), ("a", 3), ("b", 4)]
    assert okta.post(f"{path}/{a['id']}/lifecycle/deactivate").status_code == 204
    assert okta.get(f"{path}/{a['id']}").json()["status"] == "INACTIVE"
    assert okta.post(f"{path}/{a['id']}/lifecycle/activate").status_code == 204
    assert okta.delete(f"{path}/{a['id']}").status_code == 204
    assert rules(okta, policy["id"]) == [("c", 1), ("b", 4)]


def test_default_policy_rules_go_above_the_default_rule_which_stays_last(okta: Any) -> None:
    """What `mfa.everyone`'s placement relies on. A rule created in the Default Policy takes
    priority 1 ahead of the Default Rule (recorded: TestAccResourceOktaPolicyRuleSignon_GH2494
    oie-00 #21, POST into the Default Policy -> priority 1), which stays last; a priority past
    the end is lowered to the next free one (okta/terraform-provider-okta#1028, #1286), so the
    only priority that is kept exactly below every other rule is (highest other) + 1."""
    policy = policy_named(okta, "OKTA_SIGN_ON", "Default Policy")
    path = f"{POLICIES}/{policy['id']}/rules"
    deny = {"type": "SIGN_ON", "name": "deny", "actions": {"signon": {"access": "DENY"}}}
    assert okta.post(path, json={**deny, "priority": 1}).json()["priority"] == 1
    assert rules(okta, policy["id"]) == [("deny", 1), ("Default Rule", 2)]
    ours = okta.post(path, json={"type": "SIGN_ON", "name": "ours", "priority": 99}).json()
    assert ours["priority"] == 2  # lowered to the next free priority: above the Default Rule
    assert rules(okta, policy["id"]) == [("deny", 1), ("ours", 2), ("Default Rule", 3)]
    body = {k: ours[k] for k in ("type", "name", "conditions", "actions")}
    assert okta.put(f"{path}/{ours['id']}", json={**body, "priority": 2}).json()["priority"] == 2
    assert rules(okta, policy["id"]) == [("deny", 1), ("ours", 2), ("Default Rule", 3)]
    # the earlier placement at 1 moved the org's own rule below it
    okta.put(f"{path}/{ours['id']}", json={**body, "priority": 1})
    assert rules(okta, policy["id"]) == [("ours", 1), ("deny", 2), ("Default Rule", 3)]
    # and back directly above the Default Rule: (highest other) + 1
    assert okta.put(f"{path}/{ours['id']}", json={**body, "priority": 3}).json()["priority"] == 3
    assert rules(okta, policy["id"]) == [("deny", 2), ("ours", 3), ("Default Rule", 4)]


def test_access_policy_gets_catch_all_and_rules_stay_above_it(okta: Any) -> None:
    policy = okta.post(POLICIES, json={"type": "ACCESS_POLICY", "name": "app policy"}).json()
    assert policy["id"].startswith("rst")
    path = f"{POLICIES}/{policy['id']}/rules"
    assert rules(okta, policy["id"]) == [("Catch-all Rule", 99)]
    created = okta.post(
        path,
        json={
            "name": "2fa",
            "type": "ACCESS_POLICY",
            "actions": {
                "appSignOn": {
                    "access": "ALLOW",
                    "verificationMethod": {
                        "factorMode": "2FA",
                        "type": "ASSURANCE",
                        "reauthenticateIn": "PT2H",
                    },
                }
            },
        },
    ).json()
    assert created["type"] == "ACCESS_POLICY" and created["priority"] == 1
    # a priority past the last rule is kept, not lowered (recorded: PUT 98 -> 98 in
    # ../shared/okta/recordings/.../TestAccResourceOktaAppSignOnPolicyRule_crud/oie-00 #61)
    okta.post(path, json={"name": "late", "type": "ACCESS_POLICY", "priority": 50})
    assert rules(okta, policy["id"]) == [("2fa", 1), ("late", 50), ("Catch-all Rule", 99)]
    beyond = okta.post(path, json={"name": "later", "type": "ACCESS_POLICY", "priority": 120})
    assert beyond.status_code == 400 and beyond.json()["errorCode"] == "E0000001"
    catch_all = okta.get(path).json()[-1]
    assert catch_all["conditions"] is None  # as Okta returns it (a tolerated spec difference)
    assert catch_all["actions"]["appSignOn"]["access"] == "ALLOW"  # Okta's default for new ones


def test_the_catch_all_rule_stays_last(okta: Any, sandbox: Sandbox) -> None:
    policy = okta.post(POLICIES, json={"type": "ACCESS_POLICY", "name": "full"}).json()
    path = f"{POLICIES}/{policy['id']}/rules"
    with requests.Session() as plain:  # bulk set-up: the shape is checked in other tests
        plain.headers["Authorization"] = f"SSWS {sandbox.api_token}"
        for n in range(1, 98):
            assert plain.post(sandbox.org_url + path, json={"name": f"r{n}"}).ok
    last = okta.post(path, json={"name": "r98"})
    assert last.status_code == 200 and last.json()["priority"] == 98
    for body in ({"name": "r99"}, {"name": "r99", "priority": 1}, {"name": "r99", "priority": 50}):
        refused = okta.post(path, json=body)
        assert refused.status_code == 400 and refused.json()["errorCode"] == "E0000001"
        assert "Catch-all" in refused.json()["errorCauses"][0]["errorSummary"]
    listed = rules(okta, policy["id"])
    assert len(listed) == 99 and listed[-1] == ("Catch-all Rule", 99)
    assert [p for _, p in listed[:-1]] == list(range(1, 99))  # nothing moved by the refusals
    r98 = okta.get(path).json()[-2]
    moved = okta.put(f"{path}/{r98['id']}", json={"name": "r98", "priority": 1})
    assert moved.status_code == 200  # reordering within the 98 still works
    listed = rules(okta, policy["id"])
    assert listed[0] == ("r98", 1) and listed[-2:] == [("r97", 98), ("Catch-all Rule", 99)]


def test_apps_are_listed_in_one_page_by_default(okta: Any, sandbox: Sandbox) -> None:
    def add_apps(state: dict[str, Any]) -> None:
        console = next(a for a in state["apps"].values() if a["name"] == "saasure")
        for n in range(30):
            app = {**console, "id": f"0oaBench{n:012d}", "name": "oidc_client", "label": f"A{n}"}
            state["apps"][app["id"]] = app

    sandbox.mutate(add_apps)
    page = okta.get("/api/v1/apps")
    assert len(page.json()) == 32 and "next" not in page.links  # the spec's default: -1
    limited = okta.get("/api/v1/apps", params={"limit": 10})
    assert len(limited.json()) == 10 and "next" in limited.links


def test_system_objects_are_immutable(okta: Any) -> None:
    default = policy_named(okta, "OKTA_SIGN_ON", "Default Policy")
    assert okta.delete(f"{POLICIES}/{default['id']}").json()["errorCode"] == "E0000006"
    renamed = okta.put(f"{POLICIES}/{default['id']}", json={**default, "name": "Mine"})
    assert renamed.status_code == 403
    default_rule = okta.get(f"{POLICIES}/{default['id']}/rules").json()[0]
    deleted = okta.delete(f"{POLICIES}/{default['id']}/rules/{default_rule['id']}")
    assert deleted.status_code == 403 and deleted.json()["errorCode"] == "E0000006"
    console = policy_named(okta, "ACCESS_POLICY", "Okta Admin Console")
    catch_all = okta.get(f"{POLICIES}/{console['id']}/rules").json()[-1]
    moved = okta.put(
        f"{POLICIES}/{console['id']}/rules/{catch_all['id']}", json={**catch_all, "priority": 1}
    )
    assert moved.status_code == 403
    allowed = okta.put(
        f"{POLICIES}/{console['id']}/rules/{catch_all['id']}",
        json={
            "name": "Catch-all Rule",
            "type": "ACCESS_POLICY",
            "actions": {"appSignOn": {"access": "ALLOW"}},
        },
    )
    assert allowed.status_code == 200
    assert allowed.json()["actions"]["appSignOn"]["access"] == "ALLOW"


def test_rule_errors(okta: Any) -> None:
    policy = sign_on_policy(okta, "errors")
    path = f"{POLICIES}/{policy['id']}/rules"
    unknown_zone = okta.post(
        path,
        json={
            "name": "z",
            "type": "SIGN_ON",
            "conditions": {"network": {"connection": "ZONE", "include": ["nzoUnknown0000000000"]}},
        },
    )
    assert unknown_zone.status_code == 400 and unknown_zone.json()["errorCode"] == "E0000001"
    assert "nzoUnknown" in unknown_zone.json()["errorCauses"][0]["errorSummary"]
    wrong_type = okta.post(path, json={"name": "t", "type": "ACCESS_POLICY"})
    assert wrong_type.status_code == 400
    groups_on_signon = okta.post(
        path,
        json={
            "name": "g",
            "type": "SIGN_ON",
            "conditions": {"people": {"groups": {"include": []}}},
        },
    )
    assert groups_on_signon.status_code == 400
    unknown_field = okta.post(path, json={"name": "u", "type": "SIGN_ON", "weight": 3})
    assert unknown_field.status_code == 400 and unknown_field.json()["errorCode"] == "E0000003"
    missing = okta.get(f"{POLICIES}/00pDoesNotExist00000/rules")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "E0000007"
    no_type = okta.get(POLICIES)
    assert no_type.status_code == 400 and no_type.json()["errorCode"] == "E0000001"


def test_list_filters(okta: Any) -> None:
    sign_on_policy(okta, "Alpha admins")
    inactive = sign_on_policy(okta, "Beta admins")
    okta.post(f"{POLICIES}/{inactive['id']}/lifecycle/deactivate")
    names = [
        p["name"]
        for p in okta.get(POLICIES, params={"type": "OKTA_SIGN_ON", "status": "INACTIVE"}).json()
    ]
    assert names == ["Beta admins"]
    found = okta.get(POLICIES, params={"type": "OKTA_SIGN_ON", "q": "alpha"}).json()
    assert [p["name"] for p in found] == ["Alpha admins"]
    page = okta.get(POLICIES, params={"type": "OKTA_SIGN_ON", "limit": 2})
    assert len(page.json()) == 2 and "next" in page.links
    rest = okta.get(page.links["next"]["url"]).json()
    assert [p["name"] for p in rest] == ["Default Policy"]


def test_apps_and_policy_assignment(okta: Any) -> None:
    apps = {a["name"]: a for a in okta.get("/api/v1/apps").json()}
    assert apps["saasure"]["label"] == "Okta Admin Console"
    console_policy = okta.get(apps["saasure"]["_links"]["accessPolicy"]["href"]).json()
    assert console_policy["name"] == "Okta Admin Console"
    dashboard = apps["okta_enduser"]
    assert okta.get(dashboard["_links"]["accessPolicy"]["href"]).json()["name"] == "Okta Dashboard"
    other = okta.post(POLICIES, json={"type": "ACCESS_POLICY", "name": "dash v2"}).json()
    assert okta.put(f"/api/v1/apps/{dashboard['id']}/policies/{other['id']}").status_code == 204
    moved = okta.get(f"/api/v1/apps/{dashboard['id']}").json()
    assert moved["_links"]["accessPolicy"]["href"].endswith(other["id"])
    refused = okta.put(f"/api/v1/apps/{apps['saasure']['id']}/policies/{other['id']}")
    assert refused.status_code == 400 and refused.json()["errorCode"] == "E0000001"
    in_use = okta.delete(f"{POLICIES}/{other['id']}")
    assert in_use.status_code == 400
    assert [a["name"] for a in okta.get("/api/v1/apps", params={"q": "Okta Dash"}).json()] == [
        "okta_enduser"
    ]
    filtered = okta.get("/api/v1/apps", params={"filter": 'name eq "saasure"'}).json()
    assert [a["label"] for a in filtered] == ["Okta Admin Console"]


def test_every_app_links_the_default_profile_enrollment_policy(okta: Any) -> None:
    """As every app of the provider's Identity Engine cassettes does (`_links.profileEnrollment`),
    to a policy the API serves."""
    [default] = okta.get(POLICIES, params={"type": "PROFILE_ENROLLMENT"}).json()
    assert (default["name"], default["system"], default["status"]) == (
        "Default Policy",
        True,
        "ACTIVE",
    )
    apps = okta.get("/api/v1/apps").json()
    assert apps
    for app in apps:
        linked = okta.get(app["_links"]["profileEnrollment"]["href"]).json()
        assert linked["id"] == default["id"]
    refused = okta.post(POLICIES, json={"type": "PROFILE_ENROLLMENT", "name": "another"})
    assert refused.status_code == 400


def test_app_links_follow_the_kind_of_app() -> None:
    """SAML apps link their setup help and metadata; an OIDC client its secrets or keys by how
    it authenticates at the token endpoint, a public client neither (recorded: the provider's
    Identity Engine cassettes, okta_sandbox/apps/routes.py)."""
    from okta_sandbox.apps.routes import present
    from okta_sandbox.core.oauth import service_app

    base = "https://org.example"
    state: dict[str, Any] = {"policies": {}, "app_policy": {}}
    keys = service_app("0oaKEYS", "keys", None)
    secret = service_app("0oaSECRET", "secret", None)
    secret["credentials"]["oauthClient"]["token_endpoint_auth_method"] = "client_secret_basic"
    public = service_app("0oaPUBLIC", "public", None)
    public["credentials"]["oauthClient"]["token_endpoint_auth_method"] = "none"
    saml = {"id": "0oaSAML", "name": "acme_saml", "signOnMode": "SAML_2_0", "status": "ACTIVE"}

    def links(app: dict[str, Any]) -> dict[str, Any]:
        return dict(present(app, state, base)["_links"])

    assert links(keys)["clientCredentials"] == [
        {"name": "jwks", "href": f"{base}/api/v1/apps/0oaKEYS/credentials/jwks"}
    ]
    assert [c["name"] for c in links(secret)["clientCredentials"]] == ["secrets"]
    assert "clientCredentials" not in links(public)
    saml_links = links(saml)
    assert saml_links["metadata"] == {
        "href": f"{base}/api/v1/apps/0oaSAML/sso/saml/metadata",
        "type": "application/xml",
    }
    assert saml_links["help"]["type"] == "text/html"
    assert "clientCredentials" not in saml_links
    assert "help" not in links(keys) and "profileEnrollment" not in links(keys)  # no such policy
