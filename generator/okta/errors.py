"""Typed errors of the Okta API client. Messages name the request, never a credential."""

from __future__ import annotations

from generator.errors import EgressGuardError


class OktaError(EgressGuardError):
    """Any failure talking to Okta; a drift run that hits one is incomplete (exit 1)."""


class OktaConfigError(OktaError):
    """Missing or unusable connection settings (org URL, credentials)."""


class OktaAuthError(OktaError):
    """The OAuth token request failed or the credentials were refused."""


class OktaTransportError(OktaError):
    """Connection errors, 5xx or unreadable bodies that persisted through every retry."""


class OktaPaginationError(OktaError):
    """A paginated listing could not be followed to its end (repeating or foreign cursor)."""


class OktaUnsafeIdError(OktaError):
    """A value read from the org (an id, a login) that cannot be one segment of a request path."""


class OktaApiError(OktaError):
    """Okta answered with an error object: `{errorCode, errorSummary, errorCauses, ...}`."""

    def __init__(
        self,
        method: str,
        path: str,
        status: int,
        error_code: str | None = None,
        error_summary: str | None = None,
        error_causes: tuple[str, ...] = (),
        hint: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.error_code = error_code
        self.error_summary = error_summary
        self.error_causes = error_causes
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        text = f"{self.method} {self.path}: HTTP {self.status}"
        if self.error_code:
            text += f" {self.error_code}"
        if self.error_summary:
            text += f": {self.error_summary}"
        if self.error_causes:
            text += " (" + "; ".join(self.error_causes) + ")"
        if self.hint:
            text += f" — {self.hint}"
        return text


class OktaNotFoundError(OktaApiError):
    """HTTP 404 (E0000007)."""


class OktaScopeError(OktaApiError):
    """HTTP 403 that most likely means the token lacks an OAuth scope (named in `scope`)."""

    def __init__(self, method: str, path: str, status: int, scope: str | None, **kw: str) -> None:
        self.scope = scope
        hint = (
            f"probably missing scope {scope} (grant it to the API service app)"
            if scope
            else "probably missing a scope or admin role for this endpoint"
        )
        super().__init__(
            method,
            path,
            status,
            error_code=kw.get("error_code"),
            error_summary=kw.get("error_summary"),
            hint=hint,
        )


class OktaRateLimitError(OktaApiError):
    """HTTP 429 (E0000047) that outlasted the bounded wait."""
