"""Every detection `egress-guard watch` runs, one module each (see docs/watch.md)."""

from __future__ import annotations

from generator.watch.detection import Detection
from generator.watch.detections.admin_access import AdminConsoleFromUntrustedNetwork
from generator.watch.detections.admin_group_join import AdminGroupJoined
from generator.watch.detections.api_tokens import ApiTokenCreated, ApiTokenOutsideRange
from generator.watch.detections.break_glass import BreakGlassMembership
from generator.watch.detections.brute_force import FailedSignIns
from generator.watch.detections.mfa_weakened import (
    OrgFactorDisabled,
    PolicyFactorDowngrade,
    UserFactorRemoved,
)
from generator.watch.detections.policy_changes import PolicyOrZoneChanged
from generator.watch.detections.privilege import PrivilegeGranted
from generator.watch.detections.push_fatigue import PushFatigue
from generator.watch.detections.session_replay import SessionReplay
from generator.watch.detections.session_signals import OktaSessionSignals
from generator.watch.detections.threats import SuspiciousActivity
from generator.watch.detections.users import UserActivated, UserCreated

ALL: tuple[type[Detection], ...] = (
    AdminConsoleFromUntrustedNetwork,
    SessionReplay,
    OktaSessionSignals,
    UserFactorRemoved,
    OrgFactorDisabled,
    PolicyFactorDowngrade,
    UserCreated,
    UserActivated,
    PrivilegeGranted,
    AdminGroupJoined,
    ApiTokenCreated,
    ApiTokenOutsideRange,
    PolicyOrZoneChanged,
    BreakGlassMembership,
    SuspiciousActivity,
    FailedSignIns,
    PushFatigue,
)
BY_ID: dict[str, type[Detection]] = {d.info.id: d for d in ALL}
