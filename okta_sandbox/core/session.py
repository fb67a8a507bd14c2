"""A requests session for one sandbox (or real) org: paths relative to the org URL, SSWS auth."""

from __future__ import annotations

from typing import Any

import requests


class OrgSession(requests.Session):
    def __init__(self, org_url: str, token: str | None) -> None:
        super().__init__()
        self.org_url = org_url
        if token is not None:
            self.headers["Authorization"] = f"SSWS {token}"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith("/"):
            text = self.org_url + text
        kwargs.setdefault("timeout", 30)
        return super().request(method, text, *args, **kwargs)
