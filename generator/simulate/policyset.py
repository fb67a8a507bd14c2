"""A neutral policy-set representation: what the simulator evaluates.

Built either from the desired state (`from_model`) or from raw Okta Management API JSON
(`from_okta`). Groups and users are referred to by whatever keys the adapter chose (names and
logins offline, names/ids/logins live); a `Principal` carries every key it is known by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator.okta.platform import EVERYONE_GROUP
from generator.simulate.addresses import AddressSet

Access = Literal["ALLOW", "DENY"]
Status = Literal["ACTIVE", "INACTIVE"]
ZoneKind = Literal["IP", "DYNAMIC"]
ZoneUsage = Literal["POLICY", "BLOCKLIST"]
Connection = Literal["ANYWHERE", "ZONE"]

# Network-condition pseudo zone ids that stand for "any IP zone" (API and Admin Console forms).
ALL_ZONES_TOKENS = frozenset({"ALL_ZONES", "ALL_IP_ZONES"})
EVERYONE = EVERYONE_GROUP


@dataclass(frozen=True)
class NetZone:
    id: str
    name: str
    kind: ZoneKind = "IP"
    status: Status = "ACTIVE"
    usage: ZoneUsage = "POLICY"
    gateways: AddressSet = field(default_factory=AddressSet)
    proxies: AddressSet = field(default_factory=AddressSet)
    exempt: bool = False  # DefaultExemptIpZone: its gateways bypass the blocklist zones


@dataclass(frozen=True)
class NetworkCondition:
    connection: Connection = "ANYWHERE"
    include: tuple[str, ...] = ()  # zone ids (or ALL_ZONES tokens)
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeopleCondition:
    groups_include: tuple[str, ...] = ()  # empty = any group
    groups_exclude: tuple[str, ...] = ()
    users_include: tuple[str, ...] = ()  # empty = any user
    users_exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignOnRule:
    """A Global Session Policy rule (API type SIGN_ON)."""

    id: str
    name: str
    priority: int
    access: Access
    network: NetworkCondition = field(default_factory=NetworkCondition)
    people: PeopleCondition = field(default_factory=PeopleCondition)
    status: Status = "ACTIVE"
    mfa_required: bool = False
    mfa_prompt: str | None = None
    session_lifetime_minutes: int | None = None  # 0 = no limit (API semantics)
    session_idle_minutes: int | None = None
    managed: bool = False


@dataclass(frozen=True)
class SignOnPolicy:
    """A Global Session Policy (API type OKTA_SIGN_ON): a group condition and ordered rules."""

    id: str
    name: str
    priority: int
    groups_include: tuple[str, ...]  # empty = everyone
    rules: tuple[SignOnRule, ...]
    groups_exclude: tuple[str, ...] = ()
    status: Status = "ACTIVE"
    system: bool = False
    managed: bool = False


@dataclass(frozen=True)
class AppRule:
    """An authentication-policy rule (ACCESS_POLICY) of the Okta Admin Console's policy."""

    id: str
    name: str
    priority: int
    access: Access
    network: NetworkCondition = field(default_factory=NetworkCondition)
    people: PeopleCondition = field(default_factory=PeopleCondition)
    status: Status = "ACTIVE"
    factor_mode: str | None = None  # 1FA | 2FA
    reauthenticate_in: str | None = None  # ISO 8601 duration
    system: bool = False
    managed: bool = False


@dataclass(frozen=True)
class AppPolicy:
    id: str
    name: str
    rules: tuple[AppRule, ...]
    status: Status = "ACTIVE"


@dataclass(frozen=True)
class PolicySet:
    zones: tuple[NetZone, ...]
    signon_policies: tuple[SignOnPolicy, ...]
    admin_console: AppPolicy | None
    source: Literal["desired", "live"]
    assumptions: tuple[str, ...] = ()  # modelling notes shown with every result

    def zone(self, zone_id: str) -> NetZone | None:
        for zone in self.zones:
            if zone.id == zone_id:
                return zone
        return None


@dataclass(frozen=True)
class Principal:
    """Who signs in: every key the user is known by, and every group key it belongs to."""

    label: str
    users: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset({EVERYONE})

    @classmethod
    def of(cls, label: str, users: tuple[str, ...] = (), groups: tuple[str, ...] = ()) -> Principal:
        return cls(label=label, users=frozenset(users), groups=frozenset((EVERYONE, *groups)))
