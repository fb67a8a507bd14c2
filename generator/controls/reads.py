"""The reads the control checks need beyond drift's `LiveOrg`, in as few requests as possible,
all started at once (the owners' roles as soon as the token list arrives).

- API tokens: `GET /api/v1/api-tokens` (okta.apiTokens.read);
- their owners: `GET /api/v1/users?search=id eq ...`, 20 ids per request (okta.users.read);
- the owners' admin roles: `GET /api/v1/users/{id}/roles` per owner (okta.roles.read);
- OAuth service apps: `GET /api/v1/apps?filter=name eq "oidc_client"`, pages of 200
  (okta.apps.read);
- ThreatInsight: `GET /api/v1/threats/configuration` (okta.threatInsights.read);
- the Admin Console's session: `GET /api/v1/first-party-app-settings/admin-console`
  (okta.apps.read);
- System Log evidence: `GET /api/v1/logs?filter=eventType eq ...`, at most 2 pages of 1000
  (okta.logs.read).

A read the credentials may not make (403: a missing OAuth scope or admin role) or that the org
does not offer (404: e.g. the Admin Console settings of a Classic Engine org) is `Unavailable`,
naming the reason; the checks that need it report `unknown`. Any other failure raises, as every
drift read does: a partial read is never reported as a result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar, Union

from generator.okta.client import OktaClient
from generator.okta.errors import OktaNotFoundError, OktaScopeError
from generator.okta.paths import api_path
from generator.okta.snapshot import JsonObject, frozen_map

T = TypeVar("T")
SEARCH_CHUNK = 20
LOG_PAGES = 2
LOG_PAGE_LIMIT = 1000
# System Log events some checks take as evidence (Okta's event catalogue).
ROAMING_EVENT = "security.session.detect_client_roaming"
TOKEN_RANGE_EVENT = "system.api_token.request_outside_allowed_range"
OAUTH_RANGE_EVENT = "system.oauth2.token.request_outside_allowed_range"
EVIDENCE_EVENTS = (ROAMING_EVENT, TOKEN_RANGE_EVENT, OAUTH_RANGE_EVENT)


@dataclass(frozen=True)
class Unavailable:
    """A read that could not be made; `reason` names the scope or the answer."""

    reason: str


Read: TypeAlias = Union[T, Unavailable]  # noqa: UP007 - a generic alias needs Union


@dataclass(frozen=True)
class ControlReadOptions:
    with_events: bool = True
    log_days: int = 7


@dataclass(frozen=True)
class ControlData:
    api_tokens: Read[tuple[JsonObject, ...]]
    token_owners: Read[Mapping[str, JsonObject]]  # user id -> user
    owner_roles: Mapping[str, Read[tuple[JsonObject, ...]]]  # user id -> their role assignments
    service_apps: Read[tuple[JsonObject, ...]]
    threat_insight: Read[JsonObject]
    admin_console: Read[JsonObject]
    events: Read[tuple[JsonObject, ...]]  # EVIDENCE_EVENTS in the look-back window
    log_days: int = 7
    requests: int = field(default=0, compare=False)  # made by this read (docs, benchmark)


def _unavailable(error: OktaScopeError | OktaNotFoundError) -> Unavailable:
    if isinstance(error, OktaScopeError):
        need = f"scope {error.scope}" if error.scope else "a scope or admin role"
        return Unavailable(f"{error.method} {error.path}: HTTP 403, needs {need}")
    return Unavailable(f"{error.method} {error.path}: HTTP 404 (not available in this org)")


def _guarded(read: Any, *args: Any) -> Any:
    try:
        return read(*args)
    except (OktaScopeError, OktaNotFoundError) as error:
        return _unavailable(error)


class ControlReader:
    def __init__(self, client: OktaClient, options: ControlReadOptions) -> None:
        self.client = client
        self.options = options

    def read(self) -> ControlData:
        before = self.client.stats.requests
        with ThreadPoolExecutor(max_workers=6) as pool:
            tokens_f = pool.submit(_guarded, self._tokens)
            owners_f = pool.submit(self._owners, tokens_f)
            apps_f = pool.submit(_guarded, self._service_apps)
            threat_f = pool.submit(_guarded, self.client.get, "/api/v1/threats/configuration")
            console_f = pool.submit(
                _guarded, self.client.get, "/api/v1/first-party-app-settings/admin-console"
            )
            events_f = pool.submit(self._events)
            owners, roles = owners_f.result()
            data = ControlData(
                api_tokens=tokens_f.result(),
                token_owners=owners,
                owner_roles=roles,
                service_apps=apps_f.result(),
                threat_insight=_object(threat_f.result()),
                admin_console=_object(console_f.result()),
                events=events_f.result(),
                log_days=self.options.log_days,
            )
        return _with_requests(data, self.client.stats.requests - before)

    def _tokens(self) -> tuple[JsonObject, ...]:
        return tuple(self.client.list_all("/api/v1/api-tokens"))

    def _owners(
        self, tokens_f: Future[Read[tuple[JsonObject, ...]]]
    ) -> tuple[Read[Mapping[str, JsonObject]], Mapping[str, Read[tuple[JsonObject, ...]]]]:
        tokens = tokens_f.result()
        if isinstance(tokens, Unavailable):
            return tokens, {}
        owner_ids = sorted({str(t.get("userId")) for t in tokens if t.get("userId")})
        if not owner_ids:
            return frozen_map({}), {}
        chunks = [owner_ids[i : i + SEARCH_CHUNK] for i in range(0, len(owner_ids), SEARCH_CHUNK)]
        jobs: list[Any] = [(self._users, chunk) for chunk in chunks]
        jobs += [(self._roles, user_id) for user_id in owner_ids]
        answers = self.client.map_concurrent(lambda job: _guarded(*job), jobs)
        user_pages, role_lists = answers[: len(chunks)], answers[len(chunks) :]
        failed = next((page for page in user_pages if isinstance(page, Unavailable)), None)
        users: Read[Mapping[str, JsonObject]] = failed or frozen_map(
            {str(u.get("id")): u for page in user_pages for u in page}
        )
        return users, frozen_map(dict(zip(owner_ids, role_lists, strict=True)))

    def _users(self, user_ids: Sequence[str]) -> list[JsonObject]:
        expression = " or ".join(f'id eq "{user_id}"' for user_id in user_ids)
        return self.client.list_all("/api/v1/users", {"search": expression, "limit": "200"})

    def _roles(self, user_id: str) -> tuple[JsonObject, ...]:
        return tuple(self.client.list_all(api_path("users", user_id, "roles")))

    def _service_apps(self) -> tuple[JsonObject, ...]:
        params = {"filter": 'name eq "oidc_client"', "limit": "200"}
        apps = self.client.list_all("/api/v1/apps", params)
        return tuple(app for app in apps if _is_service_app(app))

    def _events(self) -> Read[tuple[JsonObject, ...]]:
        if not self.options.with_events:
            return Unavailable("the System Log was not read (--no-events)")
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=self.options.log_days)
        params: Mapping[str, str] | None = {
            "filter": " or ".join(f'eventType eq "{name}"' for name in EVIDENCE_EVENTS),
            "since": since.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "sortOrder": "DESCENDING",
            "limit": str(LOG_PAGE_LIMIT),
        }
        url: str | None = "/api/v1/logs"
        found: list[JsonObject] = []
        try:
            for _ in range(LOG_PAGES):
                if url is None:
                    break
                body, next_url = self.client.request("GET", url, params=params)
                params = None
                page = body if isinstance(body, list) else []
                found += page
                url = next_url if page else None
        except (OktaScopeError, OktaNotFoundError) as error:
            return _unavailable(error)
        return tuple(found)


def _is_service_app(app: JsonObject) -> bool:
    client = ((app.get("settings") or {}).get("oauthClient")) or {}
    return bool(client.get("application_type") == "service") and app.get("status") == "ACTIVE"


def _object(value: Any) -> Read[JsonObject]:
    if isinstance(value, Unavailable):
        return value
    if not isinstance(value, Mapping):
        return Unavailable(f"unexpected answer: {type(value).__name__}, not an object")
    return frozen_map(value)


def _with_requests(data: ControlData, count: int) -> ControlData:
    from dataclasses import replace

    return replace(data, requests=count)


def read_control_data(client: OktaClient, options: ControlReadOptions) -> ControlData:
    return ControlReader(client, options).read()
