"""Refuse desired states that cannot be rendered as valid, unambiguous Terraform."""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.errors import InputError
from generator.model import DesiredState
from generator.render import addresses
from generator.render.lookups import referenced_groups, referenced_users

# Terraform identifiers: a letter or underscore first, then letters, digits, `_` and `-`.
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _check_identifier(kind: str, name: str, source: str) -> None:
    if not _IDENTIFIER.match(name):
        raise InputError(
            f"{kind} {source!r} maps to the Terraform name {name!r}, which is not valid "
            "(it must start with a letter or an underscore)"
        )


def _check_lookups(kind: str, values: set[str], to_name: Callable[[str], str]) -> None:
    """Distinct group names / logins must map to distinct, valid data-source names."""
    seen: dict[str, str] = {}
    for value in sorted(values):
        name = to_name(value)
        _check_identifier(kind, name, value)
        if name in seen:
            raise InputError(
                f"{kind} {seen[name]!r} and {value!r} both map to the Terraform name {name!r}; "
                "Terraform names must be unique"
            )
        seen[name] = value


def _check_unique(kind: str, keyed: list[tuple[str, str]]) -> None:
    """Model objects (zones, apps, rules) must have distinct, valid resource names."""
    seen: dict[str, str] = {}
    for key, source in keyed:
        _check_identifier(kind, key, source)
        if key in seen:
            raise InputError(
                f"{kind} {seen[key]!r} and {source!r} share the Terraform name {key!r}"
            )
        seen[key] = source


def _check_app_labels(labels: list[str]) -> None:
    """Two rule sets on one app's policy would compete for the same priorities."""
    seen: set[str] = set()
    for label in labels:
        if label.casefold() in seen:
            raise InputError(f"app {label!r} is protected twice (check okta.extra_apps)")
        seen.add(label.casefold())


def check_addresses(state: DesiredState) -> None:
    """Refuse a state whose addresses would collide or be invalid Terraform identifiers."""
    if not state.zones:
        raise InputError("the desired state has no trusted zones; nothing would be rendered safely")
    _check_lookups("group", referenced_groups(state), addresses.group_name)
    _check_lookups("user", referenced_users(state), addresses.user_name)
    zones = [(zone.key, zone.name) for zone in state.zones]
    zones += [(zone.key, zone.name) for zone in state.dynamic_zones]
    _check_unique("zone", zones)
    tokens = [(token.key, token.label) for token in state.controls.api_tokens]
    _check_unique("API token", tokens)
    _check_app_labels([app.app_label for app in state.app_policies])
    _check_unique("app", [(app.key, app.app_label) for app in state.app_policies])
    policy = state.session_policy
    _check_unique("session policy", [(policy.key, policy.name)])
    _check_unique("session rule", [(rule.key, rule.name) for rule in policy.rules])
    app_rules = [(rule.key, rule.name) for app in state.app_policies for rule in app.rules]
    if state.mfa is not None:
        app_rules += [(r.key, r.policy_name) for r in state.mfa.app_rules]
    _check_unique("app rule", app_rules)
