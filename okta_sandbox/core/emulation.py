"""Okta behaviour nobody here has verified on a live org, which the sandbox plays either way:
`state["emulation"]` holds the choices (absent: the default below). Tests and users switch them
with `Sandbox.mutate(lambda s: s.setdefault("emulation", {}).update(...))`.

- `assigneesIncludeGroupRoles` (default true): `GET /api/v1/iam/assignees/users` also lists
  users who hold a role only through a group (`iam/assignees.py`);
- `adminConsolePolicyReassignable` (default false): `PUT /api/v1/apps/{saasure}/policies/{id}`
  assigns another authentication policy to the Okta Admin Console instead of refusing
  (`apps/routes.py`).
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core.routing import State

DEFAULTS: dict[str, bool] = {
    "assigneesIncludeGroupRoles": True,
    "adminConsolePolicyReassignable": False,
}


def choice(state: State, name: str) -> bool:
    settings: dict[str, Any] = state.get("emulation") or {}
    return bool(settings.get(name, DEFAULTS[name]))
