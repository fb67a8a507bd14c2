"""Request paths built from values read from the org or the config.

Every value becomes exactly one percent-encoded path segment, so an id or login chosen by a
hostile admin (`../users/x`, `x?limit=1`, `a/b`) cannot point a request at another resource of
the same org. `@` stays as is: Okta accepts a login in place of a user id. A value that is
empty, `.` or `..` is refused: percent-encoding leaves dots alone, and a server or proxy that
normalises the path would climb out of the resource.
"""

from __future__ import annotations

from urllib.parse import quote

from generator.okta.errors import OktaUnsafeIdError

API_PREFIX = "/api/v1"


def under(path: str, *segments: object) -> str:
    """`path/<segment>/...`, each segment encoded on its own."""
    return path + "".join("/" + segment(value, path) for value in segments)


def api_path(*segments: object) -> str:
    """`/api/v1/<segment>/...`, each segment encoded on its own."""
    return under(API_PREFIX, *segments)


def segment(value: object, path: str = API_PREFIX) -> str:
    """`value` as one encoded path segment of a request under `path`."""
    text = str(value)
    if text in ("", ".", ".."):
        raise OktaUnsafeIdError(
            f"refusing {text!r} as an Okta id or login in a request path under {path}: "
            "Okta ids and logins are never empty or dots"
        )
    return quote(text, safe="@")
