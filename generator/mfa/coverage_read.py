"""Read MFA enrolment coverage: every user who can sign in, their factors, and the System Log
record of factors removed.

Requests, and why these: Okta has no bulk query for factors (`search`/`filter` on users cannot
express "has a factor"), so it is one `GET /api/v1/users/{id}/factors` per user (GA in both
engines; `/authenticator-enrollments` costs the same, is Identity-Engine-only and limited
availability), plus one users page per 200 users (`filter` on the statuses that can sign in, so
staged and deprovisioned users cost nothing), one `GET /api/v1/authenticators` (which of them
are allowed for recovery only) and the System Log pages of `user.mfa.factor.deactivate` and
`.reset_all` in the look-back window. About 1.005 requests per user.

A page's factors are read concurrently (the client bounds the requests in flight and paces by
`X-Rate-Limit-*` per endpoint), the next page is requested while they are, and a checkpoint
(`cursor`) is written after each page (at most every few seconds, and when interrupted), so a
run stopped by Ctrl-C, SIGTERM or `--max-users` resumes where it stopped. Any other failure
raises: a partial read is never reported as complete.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from generator.mfa import cursor
from generator.mfa.coverage import CoveredUser, FactorRemoval, MfaCoverage
from generator.mfa.factors import FactorRules, grade_factors
from generator.mfa.progress import Progress
from generator.okta.client import OktaClient
from generator.okta.errors import OktaNotFoundError, OktaScopeError
from generator.okta.paths import api_path
from generator.okta.platform import MFA_EVENTS
from generator.okta.snapshot import JsonObject

# Users who can sign in (UserStatus): staged, provisioned (no credentials yet), suspended and
# deprovisioned users cannot, so they are not read at all.
SIGN_IN_STATUSES = ("ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY")
PAGE_LIMIT = 200  # listUsers' maximum page size
LOG_PAGE_LIMIT = 1000
MAX_LOG_PAGES = 20
CHECKPOINT_SECONDS = 5.0


@dataclass(frozen=True)
class CoverageOptions:
    max_users: int | None = None  # stop after this many users (the checkpoint keeps the rest)
    cursor: Path | None = None  # checkpoint file: resumed from, written to, removed when done
    names_limit: int = 50
    log_days: int = 7
    with_events: bool = True
    page_size: int = PAGE_LIMIT


class Interrupted(KeyboardInterrupt):
    """SIGTERM during the read: handled as Ctrl-C is (the checkpoint is written first)."""


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a cancelled CI job) interrupts the read as Ctrl-C does; main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Interrupted("terminated (SIGTERM)")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _with_limit(url: str, limit: int) -> str:
    """`url` (a `next` link) asking for at most `limit` users: the page that reaches
    `--max-users` ends exactly there, and its own `next` link continues from there."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "limit"]
    query.append(("limit", str(limit)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _status_filter() -> str:
    return " or ".join(f'status eq "{status}"' for status in SIGN_IN_STATUSES)


def _user(user: JsonObject) -> CoveredUser:
    login = str((user.get("profile") or {}).get("login") or user.get("id"))
    return CoveredUser(str(user.get("id")), login, str(user.get("status")))


class CoverageReader:
    def __init__(
        self,
        client: OktaClient,
        options: CoverageOptions,
        progress: Progress | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.options = options
        self.progress = progress or Progress(enabled=False)
        self.clock = clock
        self.notes: list[str] = []
        self.logs_read = options.with_events

    def read(self) -> MfaCoverage:
        before = self.client.stats.requests
        tally = self._start()
        resumed = tally.started
        with ThreadPoolExecutor(max_workers=3) as side:
            rules_f = side.submit(self._rules)
            removals_f = side.submit(self._removals)
            rules = rules_f.result()
            try:
                with _sigterm_interrupts():
                    self._read_users(tally, rules, side)
            except KeyboardInterrupt:
                self._checkpoint(tally)
                self.progress.finish()
                raise
            removals = removals_f.result()
        self.progress.finish()
        if self.options.cursor is not None:
            if tally.done:
                cursor.discard(self.options.cursor)
            else:
                cursor.save(self.options.cursor, tally)
        return self._result(tally, rules, removals, resumed, before)

    # ---- the users and their factors --------------------------------------------------------

    def _start(self) -> cursor.Tally:
        path = self.options.cursor
        found = cursor.load(path, self.client.org_url, SIGN_IN_STATUSES) if path else None
        if found is not None and found.done:
            found = None  # a finished read left behind (it is removed when done): start over
        if found is not None:
            self.notes.append(
                f"MFA coverage resumed from {path}: {found.checked} user(s) were read before"
            )
        return found or cursor.Tally(self.client.org_url, SIGN_IN_STATUSES)

    def _read_users(
        self, tally: cursor.Tally, rules: FactorRules, side: ThreadPoolExecutor
    ) -> None:
        cap = self.options.max_users
        this_run = 0
        last_saved = self.clock()
        upcoming = self._request_page(tally, cap, side) if not tally.done else None
        while upcoming is not None:
            users, next_url = upcoming.result()
            upcoming = None
            this_run += len(users)
            remaining = None if cap is None else cap - this_run
            if next_url is not None and (remaining is None or remaining > 0):
                upcoming = side.submit(self._get_page, self._next(next_url, remaining), None)
            factor_lists = self.client.map_concurrent(self._factors, users)
            for user, factors in zip(users, factor_lists, strict=True):
                self._count(tally, user, grade_factors(factors, rules))
            tally.started = True
            tally.next_url = next_url
            tally.done = next_url is None
            self.progress.update(tally.checked, len(tally.without_mfa), self.client.stats.requests)
            if self.options.cursor is not None and (
                upcoming is None or self.clock() - last_saved >= CHECKPOINT_SECONDS
            ):
                cursor.save(self.options.cursor, tally)
                last_saved = self.clock()
        self.progress.update(
            tally.checked, len(tally.without_mfa), self.client.stats.requests, force=True
        )

    def _request_page(
        self, tally: cursor.Tally, cap: int | None, side: ThreadPoolExecutor
    ) -> Future[tuple[list[JsonObject], str | None]] | None:
        if cap is not None and cap <= 0:
            return None
        if tally.next_url is None:
            limit = min(self.options.page_size, cap) if cap else self.options.page_size
            params = {"filter": _status_filter(), "limit": str(limit)}
            return side.submit(self._get_page, "/api/v1/users", params)
        return side.submit(self._get_page, self._next(tally.next_url, cap), None)

    def _next(self, next_url: str, remaining: int | None) -> str:
        if remaining is not None and remaining < self.options.page_size:
            return _with_limit(next_url, remaining)
        return next_url

    def _get_page(
        self, url: str, params: dict[str, str] | None
    ) -> tuple[list[JsonObject], str | None]:
        body, next_url = self.client.request("GET", url, params=params)
        users: list[JsonObject] = (
            [u for u in body if isinstance(u, dict)] if isinstance(body, list) else []
        )
        return users, (next_url if users else None)

    def _factors(self, user: JsonObject) -> list[JsonObject]:
        try:
            body = self.client.get(api_path("users", user.get("id"), "factors"))
        except OktaNotFoundError:
            return []  # deleted between the listing and now: nothing to enrol any more
        return [f for f in body if isinstance(f, dict)] if isinstance(body, list) else []

    @staticmethod
    def _count(tally: cursor.Tally, user: JsonObject, graded: Any) -> None:
        tally.checked += 1
        tally.counts[graded.grade] = tally.counts.get(graded.grade, 0) + 1
        covered = _user(user)
        if graded.grade == "none":
            tally.without_mfa.append(covered)
        elif graded.grade == "weak":
            tally.weak_only.append(
                CoveredUser(covered.user_id, covered.login, covered.status, graded.counted)
            )

    def _checkpoint(self, tally: cursor.Tally) -> None:
        if self.options.cursor is not None and tally.started:
            cursor.save(self.options.cursor, tally)

    # ---- what counts, and what was removed --------------------------------------------------

    def _rules(self) -> FactorRules:
        try:
            authenticators = self.client.list_all("/api/v1/authenticators")
        except (OktaScopeError, OktaNotFoundError) as error:
            why = (
                "HTTP 403, needs okta.authenticators.read"
                if isinstance(error, OktaScopeError)
                else "HTTP 404 (a Classic Engine org has none)"
            )
            self.notes.append(
                f"MFA coverage: the org's authenticators were not read ({why}): factors of "
                "authenticators allowed for recovery only (often email, security question) "
                "were counted as MFA"
            )
            return FactorRules()
        return FactorRules.from_authenticators(authenticators)

    def _removals(self) -> dict[str, tuple[str, str, str]]:
        """user id -> (published, actor, event type) of the latest factor removal."""
        if not self.options.with_events:
            return {}
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=self.options.log_days)
        params: dict[str, str] | None = {
            "filter": " or ".join(f'eventType eq "{name}"' for name in MFA_EVENTS),
            "since": since.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "limit": str(LOG_PAGE_LIMIT),
        }
        url: str | None = "/api/v1/logs"
        latest: dict[str, tuple[str, str, str]] = {}
        try:
            for _ in range(MAX_LOG_PAGES):
                if url is None:
                    break
                body, next_url = self.client.request("GET", url, params=params)
                params = None
                page = body if isinstance(body, list) else []
                for event in page:
                    self._removal(event, latest)
                url = next_url if page else None  # polling: next is always present
        except (OktaScopeError, OktaNotFoundError):
            self.notes.append(
                "MFA coverage: the System Log was not readable (okta.logs.read): factor "
                "removals are not reported"
            )
            self.logs_read = False
        return latest

    @staticmethod
    def _removal(event: Any, latest: dict[str, tuple[str, str, str]]) -> None:
        if not isinstance(event, dict) or event.get("eventType") not in MFA_EVENTS:
            return
        published = str(event.get("published") or "")
        actor = str((event.get("actor") or {}).get("alternateId") or "unknown")
        for target in event.get("target") or ():
            if isinstance(target, dict) and target.get("type") == "User":
                user_id = str(target.get("id"))
                if user_id not in latest or latest[user_id][0] < published:
                    latest[user_id] = (published, actor, str(event["eventType"]))

    def _result(
        self,
        tally: cursor.Tally,
        rules: FactorRules,
        removals: dict[str, tuple[str, str, str]],
        resumed: bool,
        before: int,
    ) -> MfaCoverage:
        removed = tuple(
            FactorRemoval(user, *removals[user.user_id])
            for user in tally.without_mfa
            if user.user_id in removals
        )
        notes = list(self.notes)
        if not tally.done:
            where = f" (checkpoint: {self.options.cursor})" if self.options.cursor else ""
            notes.append(
                f"MFA coverage is partial: stopped after {tally.checked} user(s) "
                f"(--max-users {self.options.max_users}){where}"
            )
        return MfaCoverage(
            checked=tally.checked,
            counts=dict(tally.counts),
            without_mfa=tuple(tally.without_mfa),
            weak_only=tuple(tally.weak_only),
            last_removed=removed,
            complete=tally.done,
            statuses=SIGN_IN_STATUSES,
            names_limit=self.options.names_limit,
            requests=self.client.stats.requests - before,
            log_days=self.options.log_days if self.logs_read else None,
            authenticators_read=rules.known,
            resumed=resumed,
            notes=tuple(notes),
        )


def read_coverage(
    client: OktaClient, options: CoverageOptions, progress: Progress | None = None
) -> MfaCoverage:
    return CoverageReader(client, options, progress).read()
