"""USR-001 and USR-002: accounts created, activated or brought back.

Okta's monitoring guidance asks for alerts on new users and on users activated, reactivated
or unsuspended: a persistence step after an admin compromise is a new account (or an old one
revived) that the attacker controls. The user is the event's `User` target.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.watch import event as ev
from generator.watch.detection import Alert, Detection, DetectionInfo, user_responses

ACTIVATION_EVENTS = frozenset(
    {"user.lifecycle.activate", "user.lifecycle.reactivate", "user.lifecycle.unsuspend"}
)


def _subject(event: ev.LogEvent) -> tuple[dict[str, object], str]:
    users = ev.targets_of_type(event, "User")
    user = dict(users[0]) if users else {}
    name = str(user.get("alternateId") or user.get("displayName") or "an unnamed user")
    return user, name


class UserCreated(Detection):
    info = DetectionInfo(
        id="USR-001",
        category="user_created",
        title="User created",
        severity="low",
        proves="A new Okta account exists.",
        false_positives=("Onboarding, just-in-time provisioning, directory imports.",),
        event_types=frozenset({"user.lifecycle.create"}),
        references=("Sigma okta_user_created",),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        user, name = _subject(event)
        return (
            self.alert(
                event,
                f"User created: {name}",
                f"{ev.actor_name(event)} created the user {name} from "
                f"{ev.client_ip(event) or '?'}.",
                evidence=(("by", ev.actor_name(event)), ("outcome", ev.result(event))),
                responses=user_responses(user),
            ),
        )


class UserActivated(Detection):
    info = DetectionInfo(
        id="USR-002",
        category="user_activated",
        title="User activated, reactivated or unsuspended",
        severity="low",
        proves="An account became usable: activated, reactivated or unsuspended.",
        false_positives=(
            "Onboarding (activation right after creation).",
            "Help-desk unsuspending a user who was locked out.",
        ),
        event_types=ACTIVATION_EVENTS,
        references=("Sigma okta_apt_suspicious_user_creation (activation)",),
    )

    def observe(self, event: ev.LogEvent) -> Sequence[Alert]:
        user, name = _subject(event)
        event_type = str(event.get("eventType"))
        how = event_type.rsplit(".", 1)[-1]
        done = how + ("ed" if how.endswith("d") else "d")
        return (
            self.alert(
                event,
                f"User {done}: {name}",
                f"{ev.actor_name(event)} {done} the user {name} ({event_type}).",
                severity="medium" if how in ("reactivate", "unsuspend") else "low",
                evidence=(("event_type", event_type), ("by", ev.actor_name(event))),
                responses=user_responses(user),
            ),
        )
