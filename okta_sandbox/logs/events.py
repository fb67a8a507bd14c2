"""System Log events (Okta's LogEvent shape) appended for every mutation made through the API.

Explicit nulls where Okta sends them (the spec's ListLogs example: `actor.detailEntry`,
`client.id`, the unused `authenticationContext` members, `outcome.reason`, `transaction.detail`
of a browser request, `request.ipChain[].source`, `target[].detailEntry`); members Okta leaves
out when it has nothing to say (`client.geographicalContext` for a private address,
`legacyEventType` of admin events) are left out. `okta_sandbox/spec/exceptions.py` lists the
nulls the spec's schema does not declare nullable.
"""

from __future__ import annotations

from collections.abc import Mapping
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
        "application.lifecycle.activate",
        "application.lifecycle.deactivate",
        "application.lifecycle.delete",
        "group.lifecycle.create",
        "group.lifecycle.delete",
        "group.profile.update",
        "group.user_membership.add",
        "group.user_membership.remove",
        "group.privilege.grant",
        "group.privilege.revoke",
        "iam.role.create",
        "iam.resourceset.create",
        "iam.resourceset.bindings.add",
        "iam.resourceset.bindings.delete",
        "app.oauth2.client.privilege.grant",
        "app.oauth2.client.privilege.revoke",
        "user.lifecycle.create",
        "user.lifecycle.activate",
        "user.lifecycle.reactivate",
        "user.lifecycle.suspend",
        "user.lifecycle.unsuspend",
        "user.lifecycle.deactivate",
        "user.lifecycle.delete.initiated",
        "user.account.update_profile",
        "user.account.privilege.grant",
        "user.account.privilege.revoke",
        "user.account.lock",
        "user.account.report_suspicious_activity_by_enduser",
        "user.mfa.factor.activate",
        "user.mfa.factor.deactivate",
        "user.mfa.factor.reset_all",
        "user.mfa.factor.suspend",
        "system.mfa.factor.deactivate",
        "system.push.send_factor_verify_push",
        "user.session.clear",
        "user.session.start",
        "user.session.end",
        "user.session.access_admin_app",
        "user.authentication.sso",
        "user.authentication.auth_via_mfa",
        "user.mfa.okta_verify.deny_push",
        "policy.evaluate_sign_on",
        "security.threat.detected",
        "security.threat.configuration.update",
        "security.session.detect_client_roaming",
        "system.api_token.create",
        "system.api_token.revoke",
        "system.api_token.update",
        "system.api_token.request_outside_allowed_range",
        "system.oauth2.token.request_outside_allowed_range",
        "app.oauth2.token.grant.access_token",
    }
)
USER_AGENT = {"rawUserAgent": "okta-egress-guard-sandbox", "os": "Unknown", "browser": "UNKNOWN"}
NO_SECURITY_CONTEXT: Mapping[str, Any] = {
    "asNumber": None,
    "asOrg": None,
    "isp": None,
    "domain": None,
    "isProxy": None,
}


def target(
    obj_id: str,
    obj_type: str,
    alternate_id: str,
    display_name: str,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": obj_id,
        "type": obj_type,
        "alternateId": alternate_id,
        "displayName": display_name,
        "detailEntry": detail,
    }


def actor_of(principal: Principal) -> dict[str, Any]:
    return {
        "id": principal.actor_id,
        "type": principal.actor_type,
        "alternateId": principal.alternate_id,
        "displayName": principal.display_name,
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
    outcome: str | None = "SUCCESS",
    reason: str | None = None,
    severity: str = "INFO",
    user_agent: dict[str, Any] | None = None,
    zone: str = NO_ZONE,
    session_id: str | None = None,
    root_session_id: str | None = None,
    security: Mapping[str, Any] | None = None,
    debug: Mapping[str, Any] | None = None,
    transaction_detail: dict[str, Any] | None = None,
    legacy_event_type: str | None = None,
    actor: dict[str, Any] | None = None,
    geo: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One LogEvent. `debug` adds to `debugContext.debugData` (requestId, requestUri, url);
    `actor` replaces the principal's (ThreatInsight's IP-address actor)."""
    assert event_type in EVENT_TYPES, event_type
    context: dict[str, Any] = {
        "authenticationProvider": None,
        "credentialProvider": None,
        "credentialType": None,
        "issuer": None,
        "interface": None,
        "authenticationStep": 0,
        "externalSessionId": session_id or "trs" + request_id[:22],
    }
    if root_session_id:
        context["rootSessionId"] = root_session_id
    client: dict[str, Any] = {
        "userAgent": user_agent or USER_AGENT,
        "zone": zone,
        "device": "Unknown" if user_agent is None else "Computer",
        "id": None,
        "ipAddress": client_ip,
    }
    hop: dict[str, Any] = {"ip": client_ip, "version": "V6" if ":" in client_ip else "V4"}
    if geo is not None:
        client["geographicalContext"] = geo
        hop["geographicalContext"] = geo
    hop["source"] = None
    event: dict[str, Any] = {
        "actor": actor or actor_of(principal),
        "client": client,
        "authenticationContext": context,
        "displayMessage": display_message,
        "eventType": event_type,
        "outcome": None if outcome is None else {"result": outcome, "reason": reason},
        "published": ids.iso(published),
        "securityContext": dict(security or NO_SECURITY_CONTEXT),
        "severity": severity,
        "debugContext": {
            "debugData": {
                "requestId": request_id,
                "requestUri": request_uri,
                "url": request_uri,
                **(debug or {}),
            }
        },
        "transaction": {"type": "WEB", "id": request_id, "detail": transaction_detail},
        "uuid": ids.new_uuid(),
        "version": "0",
        "request": {"ipChain": [hop]},
        "target": targets,
    }
    if legacy_event_type:
        event["legacyEventType"] = legacy_event_type
    return event


def record(
    state: State,
    req: Request,
    event_type: str,
    display_message: str,
    targets: list[dict[str, Any]],
    *,
    debug: Mapping[str, Any] | None = None,
    severity: str = "INFO",
    outcome_reason: str | None = None,
) -> dict[str, Any]:
    """Append the event for a mutation `req` made; the actor is the request's principal. A call
    made with an API token names it in `transaction.detail.requestApiTokenId`, as Okta does."""
    assert req.principal is not None
    assert event_type in EVENT_TYPES, event_type
    token_id = req.principal.token_id
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
        debug=debug,
        severity=severity,
        reason=outcome_reason,
        transaction_detail={"requestApiTokenId": token_id} if token_id else {},
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
