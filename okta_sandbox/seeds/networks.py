"""Where the seeded history's requests come from: IP addresses with the `securityContext` and
`geographicalContext` Okta would attach, and the browsers people sign in with.

Netskope's NewEdge egress ranges carry its real ASN (AS55256, "NETSKOPE"); the documentation
ranges of RFC 5737 stand for the corporate office (198.51.100.0/24), home broadband
(203.0.113.0/24) and the attacker's hosting provider (192.0.2.0/24), with private-use ASNs
(RFC 6996). Private addresses get no AS and no geography, as Okta leaves them unresolved.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from typing import Any

NETSKOPE_IPS = ("163.116.130.7", "163.116.141.22", "8.36.116.12")
OFFICE_IPS = ("198.51.100.10", "198.51.100.23")
TRUSTED_IPS = NETSKOPE_IPS + OFFICE_IPS
HOME_IPS = ("203.0.113.40", "203.0.113.77", "203.0.113.151")
REPLAY_IPS = ("192.0.2.66", "192.0.2.201")  # where stolen sessions get replayed from


@dataclass(frozen=True)
class Network:
    prefix: str
    as_number: int
    as_org: str
    isp: str
    domain: str
    proxy: bool
    city: str
    state: str
    country: str
    postal: str
    lat: float
    lon: float


NETWORKS = (
    Network(
        "163.116.128.0/17", 55256, "netskope", "Netskope", "netskope.com", False,
        "San Jose", "California", "United States", "95131", 37.3394, -121.895,
    ),
    Network(
        "8.36.116.0/24", 55256, "netskope", "Netskope", "netskope.com", False,
        "Frankfurt am Main", "Hesse", "Germany", "60313", 50.1109, 8.6821,
    ),
    Network(
        "198.51.100.0/24", 64500, "example corp", "Example Corp", "example.com", False,
        "Seattle", "Washington", "United States", "98101", 47.6062, -122.3321,
    ),
    Network(
        "203.0.113.0/24", 64501, "example broadband", "Example Broadband", "broadband.example",
        False, "Portland", "Oregon", "United States", "97201", 45.5152, -122.6784,
    ),
    Network(
        "192.0.2.0/24", 64502, "example hosting", "Example Hosting", "hosting.example", True,
        "Amsterdam", "North Holland", "Netherlands", "1012", 52.3676, 4.9041,
    ),
)  # fmt: skip
BROWSERS = (
    {
        "rawUserAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
        "os": "Linux",
        "browser": "FIREFOX",
    },
    {
        "rawUserAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36",
        "os": "Mac OS X",
        "browser": "CHROME",
    },
    {
        "rawUserAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
        "like Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0",
        "os": "Windows 10",
        "browser": "EDGE",
    },
)
SCRIPT = {"rawUserAgent": "python-requests/2.32.3", "os": "Unknown", "browser": "UNKNOWN"}
UNRESOLVED = {"asNumber": None, "asOrg": None, "isp": None, "domain": None, "isProxy": None}


def network_of(ip: str) -> Network | None:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    return next((n for n in NETWORKS if address in ipaddress.ip_network(n.prefix)), None)


def security_context(ip: str) -> dict[str, Any]:
    network = network_of(ip)
    if network is None:
        return dict(UNRESOLVED)
    return {
        "asNumber": network.as_number,
        "asOrg": network.as_org,
        "isp": network.isp,
        "domain": network.domain,
        "isProxy": network.proxy,
    }


def geography(ip: str) -> dict[str, Any] | None:
    network = network_of(ip)
    if network is None:
        return None
    return {
        "city": network.city,
        "state": network.state,
        "country": network.country,
        "postalCode": network.postal,
        "geolocation": {"lat": network.lat, "lon": network.lon},
    }


def browser_of(user_id: str) -> dict[str, Any]:
    """The browser a user signs in with (the same one every time)."""
    return BROWSERS[int(hashlib.sha256(user_id.encode()).hexdigest(), 16) % len(BROWSERS)]


def device_hash(user_id: str, user_agent: dict[str, Any]) -> str:
    """`debugData.dtHash`: a hash of the device-token cookie, stable per browser."""
    text = f"{user_id}|{user_agent['rawUserAgent']}"
    return hashlib.sha256(text.encode()).hexdigest()
