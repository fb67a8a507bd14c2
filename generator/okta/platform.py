"""Okta platform facts the tool relies on: the one home for them on the product side.

Sources: Okta's Management API spec and docs, and the okta/okta provider (see docs/okta-facts.md
for citations). The emulator (`okta_sandbox/facts.py`) keeps an independent copy on purpose; a
test checks the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import netaddr

EVERYONE_GROUP = "Everyone"
BUILT_IN_GROUP = "BUILT_IN"  # group `type` of the groups Okta itself keeps (Everyone, admins)
# Okta's own admins group: BUILT_IN, "Okta manages this group, which contains all administrators
# in your organization" (its description as recorded). Its members are every admin-role holder;
# its member listing (`GET /api/v1/groups/{id}/users`) is reportedly not supported, so the tool
# never asks for it and derives the members from the admin-role holders instead. Roles cannot be
# granted to a built-in group (E0000211). See docs/okta-facts.md.
ADMINS_GROUP = "Okta Administrators"
DEFAULT_SIGN_ON_POLICY = "Default Policy"  # Global Session Policy (OKTA_SIGN_ON), always last
DEFAULT_SIGN_ON_RULE = "Default Rule"  # allow anywhere; immutable through the provider
CATCH_ALL_RULE = "Catch-all Rule"  # system rule of every authentication policy (ACCESS_POLICY)
CATCH_ALL_PRIORITY = 99
ADMIN_CONSOLE_APP = "saasure"  # the Okta Admin Console app's name
ADMIN_CONSOLE_LABEL = "Okta Admin Console"
ADMIN_CONSOLE_POLICY = "Okta Admin Console"  # its authentication policy in a fresh org
DASHBOARD_APP = "okta_enduser"
FIRST_PARTY_APPS = frozenset({ADMIN_CONSOLE_APP, DASHBOARD_APP})
EXEMPT_ZONE = "DefaultExemptIpZone"  # gateways bypass the blocklist zones
BLOCKED_ZONE = "BlockedIpZone"
ENHANCED_DYNAMIC_ZONE = "DefaultEnhancedDynamicZone"  # DYNAMIC_V2: anonymizers, Tor
SYSTEM_ZONES = ("LegacyIpZone", BLOCKED_ZONE, EXEMPT_ZONE, ENHANCED_DYNAMIC_ZONE)


def is_admins_group(group: Mapping[str, Any]) -> bool:
    """Whether `group` (as the Groups API returns it) is Okta's own BUILT_IN admins group: by
    type and name, so a group an admin created with the same name is not taken for it."""
    profile = group.get("profile") or {}
    return group.get("type") == BUILT_IN_GROUP and profile.get("name") == ADMINS_GROUP


class ZoneEntryError(ValueError):
    """A gateway/proxy entry the tool cannot read as addresses."""


def zone_entry_range(entry: Any) -> netaddr.IPRange:
    """One zone gateway/proxy entry (`{type, value}` as the API returns it, or a bare string)
    as the addresses it covers.

    CIDR values cover their whole network (host bits ignored, as a network match does), RANGE
    values are `first-last` or a single address (Okta stores a single IP as `a-a`). A bare
    string is read by its form. Anything else, a reversed range or mixed families raise
    ZoneEntryError: callers decide what an unreadable entry means for them, explicitly.
    """
    if isinstance(entry, Mapping):
        kind, value = entry.get("type"), entry.get("value")
    else:
        kind, value = None, entry
    if not isinstance(value, str):
        raise ZoneEntryError(f"not a zone entry: {str(entry)[:80]!r}")
    text = value.strip()
    if kind is None:
        kind = "CIDR" if "/" in text else "RANGE"
    try:
        if kind == "CIDR":
            network = netaddr.IPNetwork(text)
            # Addresses, not integers: IPRange(0, …) would take ::/0's first address for IPv4.
            return netaddr.IPRange(network[0], network[-1])
        if kind == "RANGE":
            first, _, last = text.partition("-")
            start = netaddr.IPAddress(first.strip())
            end = netaddr.IPAddress(last.strip()) if last else start
            if start.version != end.version or start > end:
                raise ZoneEntryError(f"not a range: {text[:80]!r}")
            return netaddr.IPRange(start, end)
    except (netaddr.AddrFormatError, ValueError, TypeError) as error:
        if isinstance(error, ZoneEntryError):
            raise
        raise ZoneEntryError(f"not a {kind} value: {text[:80]!r}") from None
    raise ZoneEntryError(f"unknown entry type {str(kind)[:40]!r}")


def zone_entries(entries: Iterable[Any] | None) -> tuple[netaddr.IPSet, tuple[str, ...]]:
    """The addresses of a zone's entries, and the raw values of the entries that cannot be read."""
    addresses = netaddr.IPSet()
    unreadable: list[str] = []
    for entry in entries or ():
        try:
            addresses.add(zone_entry_range(entry))
        except ZoneEntryError:
            value = entry.get("value") if isinstance(entry, Mapping) else entry
            unreadable.append(str(value))
    return addresses, tuple(unreadable)


# ---- MFA factors (Okta's UserFactor API, `/api/v1/users/{id}/factors`) ----------------------
# The spec's UserFactorType values, and the authenticator (Identity Engine, `key` of
# `/api/v1/authenticators`) each factor belongs to: an authenticator allowed for recovery only
# (`settings.allowedFor: recovery`, e.g. email and security question in a new org) cannot
# satisfy an MFA requirement. (factorType, provider) first, then factorType alone.
FACTOR_AUTHENTICATOR: Mapping[tuple[str, str | None], str] = {
    ("push", None): "okta_verify",
    ("signed_nonce", None): "okta_verify",  # Okta FastPass
    ("token:software:totp", "OKTA"): "okta_verify",
    ("token:software:totp", "GOOGLE"): "google_otp",
    ("sms", None): "phone_number",
    ("call", None): "phone_number",
    ("email", None): "okta_email",
    ("question", None): "security_question",
    ("webauthn", None): "webauthn",
    ("u2f", None): "webauthn",
    ("token:hardware", None): "yubikey_token",
    ("token", "RSA"): "onprem_mfa",
    ("token", "SYMANTEC"): "symantec_vip",
    ("token:hotp", None): "custom_otp",
    ("web", None): "duo",
}
FACTOR_ACTIVE = "ACTIVE"  # UserFactorStatus of an enrolled, usable factor
ALLOWED_FOR_RECOVERY = "recovery"  # AllowedForEnum: any | none | recovery | sso
MFA_EVENTS = ("user.mfa.factor.deactivate", "user.mfa.factor.reset_all")  # a factor removed


def factor_authenticator(factor_type: str, provider: str | None) -> str | None:
    """The authenticator key of a factor, None when Okta documents none for it."""
    return FACTOR_AUTHENTICATOR.get((factor_type, provider)) or FACTOR_AUTHENTICATOR.get(
        (factor_type, None)
    )
