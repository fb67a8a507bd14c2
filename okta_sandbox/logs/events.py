"""System Log events (Okta's LogEvent shape) appended for every mutation made through the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from okta_sandbox.core import ids
from okta_sandbox.core.routing import Principal, Request, State
from okta_sandbox.zones.entries import NO_ZONE, zone_of

# Every event type the sandbox emits; each must exist in Okta's event-type catalogue (tested).
EVENT_TYPES = frozenset(
    {
        "zone.create",
        "zone.update",
        "zone.delete",
        "zone.activate",
        "zone.deactivate",
        "policy.lifecycle.create",
        "policy.lifecycle.update",
        "policy.lifecycle.delete",
        "policy.lifecycle.activate",
        "policy.lifecycle.deactivate",
        "policy.rule.add",
        "policy.rule.update",
        "policy.rule.delete",
        "policy.rule.activate",
        "policy.rule.deactivate",
        "application.policy.sign_on.update",
        "group.lifecycle.create",
        "group.user_membership.add",
        "group.user_membership.remove",
        "user.lifecycle.create",
        "user.lifecycle.suspend",
        "user.lifecycle.unsuspend",
        "user.lifecycle.deactivate",
        "user.session.clear",
        "user.session.start",
        "user.session.end",
        "user.session.access_admin_app",
        "user.authentication.sso",
        "user.authentication.auth_via_mfa",
        "user.mfa.okta_verify.deny_push",
        "policy.evaluate_sign_on",
        "security.threat.detected",
        "system.api_token.revoke",
        "app.oauth2.token.grant.access_token",
    }
)
USER_AGENT = {"rawUserAgent": "okta-egress-guard-sandbox", "os": "Unknown", "browser": "UNKNOWN"}


def target(obj_id: str, obj_type: str, alternate_id: str, display_name: str) -> dict[str, Any]:
    return {
        "id": obj_id,
        "type": obj_type,
        "alternateId": alternate_id,
        "displayName": display_name,
        "detailEntry": None,
    }


def build_event(
    *,
    event_type: str,
    display_message: str,
    principal: Principal,
    client_ip: str,
    request_id: str,
    request_uri: str,
    targets: list[dict[str, Any]],
    published: datetime,
    outcome: str = "SUCCESS",
    reason: str | None = None,
    severity: str = "INFO",
    user_agent: dict[str, Any] | None = None,
    zone: str = NO_ZONE,
    session_id: str | None = None,
) -> dict[str, Any]:
    assert event_type in EVENT_TYPES, event_type
    event: dict[str, Any] = prune(
        {
            "actor": {
                "id": principal.actor_id,
                "type": principal.actor_type,
                "alternateId": principal.alternate_id,
                "displayName": principal.display_name,
                "detailEntry": None,
            },
            "client": {
                "userAgent": user_agent or USER_AGENT,
                "zone": zone,
                "device": "Unknown",
                "id": None,
                "ipAddress": client_ip,
                "geographicalContext": None,
            },
            "authenticationContext": {
                "authenticationProvider": None,
                "credentialProvider": None,
                "credentialType": None,
                "issuer": None,
                "interface": None,
                "authenticationStep": 0,
                "externalSessionId": session_id or "trs" + request_id[:22],
            },
            "displayMessage": display_message,
            "eventType": event_type,
            "outcome": {"result": outcome, "reason": reason},
            "published": ids.iso(published),
            "securityContext": {
                "asNumber": None,
                "asOrg": None,
                "isp": None,
                "domain": None,
                "isProxy": None,
            },
            "severity": severity,
            "debugContext": {
                "debugData": {
                    "requestId": request_id,
                    "requestUri": request_uri,
                    "url": request_uri,
                }
            },
            "legacyEventType": None,
            "transaction": {"type": "WEB", "id": request_id, "detail": {}},
            "uuid": ids.new_uuid(),
            "version": "0",
            "request": {
                "ipChain": [
                    {"ip": client_ip, "geographicalContext": None, "version": "V4", "source": None}
                ]
            },
            "target": targets,
        }
    )
    return event


def prune(value: Any) -> Any:
    """Drop null members: Okta's spec declares these LogEvent properties non-nullable."""
    if isinstance(value, dict):
        return {k: prune(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


def record(
    state: State,
    req: Request,
    event_type: str,
    display_message: str,
    targets: list[dict[str, Any]],
) -> dict[str, Any]:
    """Append the event for a mutation `req` made; the actor is the request's principal."""
    assert req.principal is not None
    assert event_type in EVENT_TYPES, event_type
    event = build_event(
        event_type=event_type,
        display_message=display_message,
        principal=req.principal,
        client_ip=req.client_ip,
        request_id=req.request_id,
        request_uri=req.path,
        targets=targets,
        published=ids.now(),
        user_agent={
            "rawUserAgent": req.headers.get("user-agent", "unknown"),
            "os": "Unknown",
            "browser": "UNKNOWN",
        },
        zone=zone_of(state, req.client_ip),
    )
    state["logs"].append(event)
    return event


def set_status(
    state: State,
    req: Request,
    obj: dict[str, Any],
    active: bool,
    event_prefix: str,
    noun: str,
    targets: list[dict[str, Any]],
) -> None:
    """Activate or deactivate `obj` and log `{event_prefix}.activate` (or `.deactivate`)."""
    obj["status"] = "ACTIVE" if active else "INACTIVE"
    obj["lastUpdated"] = ids.now_iso()
    kind = "activate" if active else "deactivate"
    record(state, req, f"{event_prefix}.{kind}", f"{kind.title()} {noun}", targets)
