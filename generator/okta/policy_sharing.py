"""Which other apps an authentication policy is assigned to: a policy can be shared, and rules
written for one app (the Admin Console's, for every user) then apply to all of them.

`GET /api/v1/policies/{policyId}/mappings` (listPolicyMappings, GA; the deprecated
`/policies/{id}/app` listed whole apps) gives each mapped app's link; the labels of the others
come from `GET /api/v1/apps?filter=id eq "..." or ...` (the apps filter supports `id`), one
listing per 20 apps. In the usual case, a policy used by one app, that is one request.
"""

from __future__ import annotations

from generator.okta.client import OktaClient
from generator.okta.lookups import chunks, search_expression
from generator.okta.paths import api_path
from generator.okta.snapshot import JsonObject

CHUNK = 20


def apps_sharing_policy(client: OktaClient, policy_id: str, app_id: str) -> tuple[JsonObject, ...]:
    """The apps other than `app_id` the policy is assigned to (as `/api/v1/apps` lists them)."""
    mappings = client.get(api_path("policies", policy_id, "mappings")) or []
    ids = [
        str(href).split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        for mapping in mappings
        if isinstance(mapping, dict)
        and (href := ((mapping.get("_links") or {}).get("application") or {}).get("href"))
    ]
    others = [i for i in dict.fromkeys(ids) if i != app_id]
    found: list[JsonObject] = []
    for chunk in chunks(others, CHUNK):
        expression = search_expression("id", chunk)
        found += client.list_all("/api/v1/apps", {"filter": expression, "limit": "200"})
    return tuple(found)
