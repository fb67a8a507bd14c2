"""Real Okta traffic recorded by okta/terraform-provider-okta's acceptance tests (go-vcr v2
cassettes, ../shared/okta/recordings/terraform-provider-okta/, see its README): loaded at run
time, never copied into the repository.

Each interaction is the provider's request (method, URL, body) and real Okta's answer (status,
body, some headers). `family` names the API area an interaction belongs to, the unit the replay
tests (`tests/okta_sandbox/test_sandbox_replay.py`) report and compare by.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from paths import SHARED_OKTA

RECORDINGS = SHARED_OKTA / "recordings" / "terraform-provider-okta"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Okta ids: a 3-character type prefix and 17 characters (the kinds the replay maps)
ID_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:00g|00u|0oa|nzo|00p|rst|rul|0pr|00T|aut|cr0|ra1|gra|ufs|oty|bhv|dae|pks)"
    r"[0-9A-Za-z]{17}(?![0-9A-Za-z])"
)
POLICY_TYPES_SERVED = {"OKTA_SIGN_ON", "ACCESS_POLICY"}
_RULE_FAMILY = {"OKTA_SIGN_ON": "SIGN_ON", "ACCESS_POLICY": "ACCESS_POLICY"}
_ID_SEGMENT = {
    "zones": "{zoneId}",
    "policies": "{policyId}",
    "rules": "{ruleId}",
    "apps": "{appId}",
    "groups": "{groupId}",
    "users": "{userId}",
    "api-tokens": "{tokenId}",
}


@dataclass(frozen=True)
class Interaction:
    cassette: str  # e.g. "TestAccResourceOktaNetworkZone_crud/oie-00"
    index: int
    method: str
    host: str
    path: str
    raw_query: str
    req_raw: str
    req_body: Any  # parsed JSON (None: no body)
    status: int
    body: Any  # parsed JSON, the raw text when not JSON, None when empty
    links: tuple[str, ...]  # the response's Link headers
    recorded: str  # the answer's date, YYYY-MM-DD (its Date header)
    template: str  # path with ids as placeholders
    family: str

    @property
    def where(self) -> str:
        """Citation: cassette and interaction index."""
        return f"{self.cassette}#{self.index}"

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.template}"


def template(path: str) -> str:
    """`/api/v1/policies/00p.../rules/0pr...` -> `/api/v1/policies/{policyId}/rules/{ruleId}`."""
    segments = path.strip("/").split("/")
    out: list[str] = []
    for index, segment in enumerate(segments):
        previous = segments[index - 1] if index else ""
        special = segment in ("me", "current", "rules") or previous == "lifecycle"
        if previous in _ID_SEGMENT and index >= 3 and not special:
            out.append(_ID_SEGMENT[previous])
        else:
            out.append(segment)
    return "/" + "/".join(out)


def _json(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _policy_types(raw: list[dict[str, Any]]) -> dict[str, str]:
    """Policy id -> type, from every policy the cassette's answers show."""
    types: dict[str, str] = {}

    def walk(obj: Any) -> None:
        if isinstance(obj, dict):
            oid, kind = obj.get("id"), obj.get("type")
            if isinstance(oid, str) and isinstance(kind, str) and oid[:3] in ("00p", "rst"):
                types.setdefault(oid, kind)
            for value in obj.values():
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    for item in raw:
        walk(_json(item["response"].get("body") or ""))
    return types


def _policy_family(path: str, query: str, req: Any, body: Any, types: dict[str, str]) -> str:
    segments = path.strip("/").split("/")
    policy_id = segments[3] if len(segments) > 3 else None
    match = re.search(r"(?:^|&)type=([A-Z_]+)", query)
    kind = match.group(1) if match else types.get(policy_id or "")
    if kind is None and isinstance(req, dict):
        kind = req.get("type") if "/rules" not in path else None
    if kind is None and "/rules" in path:
        sample = body[0] if isinstance(body, list) and body else body
        rule_type = sample.get("type") if isinstance(sample, dict) else None
        rule_type = rule_type or (req.get("type") if isinstance(req, dict) else None)
        kind = {"SIGN_ON": "OKTA_SIGN_ON"}.get(rule_type or "", rule_type)
    if kind is None and isinstance(body, dict):
        kind = body.get("type")
    kind = kind or "?"
    area = "rules" if "/rules" in path else "policies"
    name = _RULE_FAMILY.get(kind, kind) if area == "rules" else kind
    served = kind in POLICY_TYPES_SERVED
    return f"{area}.{name}" if served else f"{area}.other:{name}"


def family(path: str, query: str, tmpl: str, req: Any, body: Any, types: dict[str, str]) -> str:
    """The API area of an interaction: zones, policies.<TYPE>, rules.<TYPE>, apps, groups..."""
    suffix = ".lifecycle" if "/lifecycle/" in tmpl else ""
    if tmpl.startswith("/api/v1/zones"):
        return "zones" + suffix
    if tmpl.startswith("/api/v1/policies"):
        return _policy_family(path, query, req, body, types) + suffix
    if "/roles" in tmpl or tmpl.startswith("/api/v1/iam"):
        return "roles"
    if tmpl.startswith("/api/v1/apps"):
        if tmpl == "/api/v1/apps/{appId}/policies/{policyId}":
            return "apps.policy-assign"
        return "apps" if tmpl in ("/api/v1/apps", "/api/v1/apps/{appId}") else "apps.other"
    if tmpl.startswith("/api/v1/groups/rules"):
        return "groups.rules"
    if tmpl.startswith("/api/v1/groups"):
        return "groups.members" if "/users" in tmpl else "groups"
    if tmpl.startswith("/api/v1/users"):
        if "/factors" in tmpl:
            return "factors"
        if path.startswith("/api/v1/users/me"):
            return "users.me"
        if "/groups" in tmpl:
            return "users.groups"
        return "users" + suffix
    if tmpl.startswith("/.well-known"):
        return "org.well-known"
    if tmpl.startswith("/api/v1/api-tokens"):
        return "api-tokens"
    return "other:" + "/".join(tmpl.split("/")[3:4])


def _date(headers: dict[str, Any]) -> str:
    values = headers.get("Date") or []
    try:
        return parsedate_to_datetime(values[0]).date().isoformat() if values else ""
    except (TypeError, ValueError):
        return ""


def cassette_name(path: Path) -> str:
    """`idaas/TestX/oie-00.yaml` -> `TestX/oie-00`; top-level copies keep a `top/` prefix."""
    rel = path.relative_to(RECORDINGS).with_suffix("")
    parts = rel.parts
    return "/".join(parts[1:]) if parts[0] == "idaas" else "top/" + "/".join(parts)


def cassette_paths() -> list[Path]:
    return sorted(RECORDINGS.rglob("*.yaml"))


@cache
def load(path: Path) -> tuple[Interaction, ...]:
    """A cassette's interactions, in recorded order."""
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    raw: list[dict[str, Any]] = doc.get("interactions") or []
    types = _policy_types(raw)
    name = cassette_name(path)
    out = []
    for position, item in enumerate(raw):
        req, resp = item["request"], item["response"]
        url = urlsplit(req["url"])
        req_raw = req.get("body") or ""
        req_body, body = _json(req_raw), _json(resp.get("body") or "")
        tmpl = template(url.path)
        out.append(
            Interaction(
                cassette=name,
                index=int(item.get("id", position)),
                method=req["method"],
                host=url.netloc,
                path=url.path,
                raw_query=url.query,
                req_raw=req_raw,
                req_body=req_body,
                status=int(resp.get("code") or 0),
                body=body,
                links=tuple((resp.get("headers") or {}).get("Link") or ()),
                recorded=_date(resp.get("headers") or {}),
                template=tmpl,
                family=family(url.path, url.query, tmpl, req_body, body, types),
            )
        )
    return tuple(out)


def all_interactions() -> list[Interaction]:
    return [item for path in cassette_paths() for item in load(path)]
