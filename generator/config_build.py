"""Build the frozen `generator.settings.Config` from a validated `egress-policy.yaml` document
(`generator.config` reads and validates it first): defaults filled in, local paths resolved
against the config's directory, lists made tuples.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.settings import (
    AdminConsoleConfig,
    AdminConsoleSessionConfig,
    ApiTokensConfig,
    BreakGlassConfig,
    Config,
    ControlsConfig,
    EgressConfig,
    ExemptZoneConfig,
    FeedConfig,
    GlobalSessionPolicyConfig,
    MfaConfig,
    NetskopeConfig,
    OktaConfig,
    OutputConfig,
    SafetyConfig,
    ThreatInsightConfig,
    TokenRef,
    WatchConfig,
)


def _mfa(document: dict[str, Any]) -> MfaConfig | None:
    mfa = document.get("mfa")
    if mfa is None:
        return None
    policies = mfa.get("app_policies", [])
    return MfaConfig(
        everyone=mfa.get("everyone", False),
        prompt=mfa.get("prompt", MfaConfig.prompt),
        app_policies=() if policies == "all" else tuple(sorted(policies)),
        all_app_policies=policies == "all",
        app_policy_exceptions=tuple(sorted(mfa.get("app_policy_exceptions") or ())),
        reauthenticate_in=mfa.get("reauthenticate_in", MfaConfig.reauthenticate_in),
        posture=mfa.get("posture", True),
        report_max_names=mfa.get("report_max_names", MfaConfig.report_max_names),
    )


def _resolve(base: Path, value: str) -> Path:
    candidate = Path(value).expanduser()
    return Path(os.path.normpath(candidate if candidate.is_absolute() else base / candidate))


def build_config(path: Path, doc: dict[str, Any]) -> Config:
    """The typed config of the validated document `doc`, read from `path`."""
    base = path.resolve().parent
    egress = doc.get("egress") or {}
    netskope = egress.get("netskope") or {}
    page = netskope.get("page")
    if page is not None and not page.startswith(("http://", "https://")):
        page = str(_resolve(base, page))
    feeds = tuple(
        FeedConfig(
            name=feed["name"],
            url=feed.get("url"),
            file=_resolve(base, feed["file"]) if "file" in feed else None,
            format=feed.get("format", "lines"),
            pointer=feed.get("pointer"),
            as_proxies=feed.get("as_proxies", False),
            headers=tuple(sorted((feed.get("headers") or {}).items())),
            timeout_seconds=float(feed.get("timeout_seconds", FeedConfig.timeout_seconds)),
        )
        for feed in egress.get("feeds") or ()
    )
    okta = doc.get("okta") or {}
    break_glass = okta.get("break_glass") or {}
    controls = doc.get("controls") or {}
    safety = doc.get("safety") or {}
    output = doc.get("output") or {}
    defaults = OutputConfig()
    return Config(
        path=path,
        version=doc["version"],
        mode=doc.get("mode", "enforce"),
        egress=EgressConfig(
            netskope=NetskopeConfig(
                shared=netskope.get("shared", True),
                dedicated=tuple(netskope.get("dedicated") or ()),
                page=page,
                as_proxies=netskope.get("as_proxies", False),
            ),
            corporate=tuple(egress.get("corporate") or ()),
            feeds=feeds,
        ),
        okta=OktaConfig(
            admin_groups=tuple(okta.get("admin_groups", OktaConfig().admin_groups)),
            break_glass=BreakGlassConfig(
                users=tuple(break_glass.get("users") or ()), group=break_glass.get("group")
            ),
            global_session_policy=GlobalSessionPolicyConfig(
                **(okta.get("global_session_policy") or {})
            ),
            admin_console=AdminConsoleConfig(**(okta.get("admin_console") or {})),
            # sorted: reordering the list must not reorder the rendered resources
            extra_apps=tuple(sorted(okta.get("extra_apps") or ())),
            operator_ips=tuple(okta.get("operator_ips") or ()),
        ),
        controls=_controls(controls),
        safety=SafetyConfig(
            max_shrink_percent=float(safety.get("max_shrink_percent", 30.0)),
            allow_private=safety.get("allow_private", False),
            allow_ipv6=safety.get("allow_ipv6", False),
            allow_ranges=tuple(safety.get("allow_ranges") or ()),
            max_breadth_prefix=safety.get("max_breadth_prefix", SafetyConfig.max_breadth_prefix),
        ),
        output=OutputConfig(
            dir=_resolve(base, output.get("dir", str(defaults.dir))),
            name_prefix=output.get("name_prefix", defaults.name_prefix),
        ),
        watch=_watch(doc.get("watch") or {}),
        mfa=_mfa(doc),
    )


def _watch(watch: dict[str, Any]) -> WatchConfig:
    parameters = watch.get("parameters") or {}
    return WatchConfig(
        trusted_extra=tuple(watch.get("trusted_extra") or ()),
        automation_actors=tuple(watch.get("automation_actors") or ()),
        disabled=tuple(watch.get("disabled") or ()),
        parameters=tuple(
            (detection, tuple(sorted((values or {}).items())))
            for detection, values in sorted(parameters.items())
        ),
    )


def _controls(doc: Mapping[str, Any]) -> ControlsConfig:
    session = doc.get("admin_console_session")
    tokens = doc.get("api_tokens") or {}
    return ControlsConfig(
        admin_console_session=AdminConsoleSessionConfig(
            **(session or {}), configured=session is not None
        ),
        threat_insight=ThreatInsightConfig(**(doc.get("threat_insight") or {})),
        api_tokens=ApiTokensConfig(
            owners=tuple(tokens.get("owners") or ()),
            restrict=tuple(
                TokenRef(name=entry.get("name"), id=entry.get("id"))
                for entry in tokens.get("restrict") or ()
            ),
        ),
        exempt_zone=ExemptZoneConfig(
            allowed=tuple((doc.get("exempt_zone") or {}).get("allowed") or ())
        ),
        anonymizer_deny=bool(doc.get("anonymizer_deny", False)),
    )
