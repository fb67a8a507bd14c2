"""Static CIDR lists written in the config (Netskope dedicated egress IPs, corporate ranges)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.sources.base import SourcedCidr, SourceResult, UrlOrigin


class StaticSource:
    def __init__(
        self,
        name: str,
        values: Sequence[str],
        config_path: Path,
        key_path: str,
        as_proxies: bool = False,
    ) -> None:
        self.name = name
        self.values = tuple(values)
        self.origin = f"config {config_path.name}"
        self.key_path = key_path
        self.as_proxies = as_proxies

    def url_origin(self) -> UrlOrigin | None:
        return None

    def resolve(self, offline: bool) -> SourceResult:
        cidrs = tuple(
            SourcedCidr(value, self.name, self.origin, f"{self.key_path}[{index}]")
            for index, value in enumerate(self.values)
        )
        return SourceResult(self.name, "static", self.origin, cidrs, self.as_proxies)
