"""Break-glass group members that the live deny rules do not exclude (yet).

The session deny rule excludes the members of the break-glass group, as the live org lists them.
A member missing from the live rule's exclusions is not "an exclusion removed": most likely
somebody added a member to the group — an added exemption, which the next `terraform apply`
grants. Such members are reported once, as a `changed` finding on the group (high), and left out
of the rule's comparison so the rule does not read as weakened the other way round.
"""

from __future__ import annotations

from dataclasses import replace

from generator.drift.expected import ExpectedObject, address
from generator.drift.findings import AttributeDiff, Finding
from generator.okta.snapshot import JsonObject, LiveOrg
from generator.render import addresses as tf


class PendingMembers:
    def __init__(self, live: LiveOrg) -> None:
        self.live = live
        self.pending: dict[str, dict[str, list[str]]] = {}  # group -> rule name -> member ids

    def without_pending(self, obj: ExpectedObject, live_obj: JsonObject) -> ExpectedObject:
        """`obj` without the member exclusions the live rule lacks (recorded for `findings`)."""
        if not obj.member_excludes:
            return obj
        people = (live_obj.get("conditions") or {}).get("people") or {}
        excluded = set((people.get("users") or {}).get("exclude") or ())
        pending = [m for m in obj.member_excludes if m not in excluded]
        if not pending:
            return obj
        for group in obj.member_groups:
            members = set(self.live.member_ids(group))
            self.pending.setdefault(group, {})[obj.name] = [m for m in pending if m in members]
        conditions = dict(obj.body["conditions"])
        kept = [u for u in conditions["people"]["users"]["exclude"] if u not in pending]
        conditions["people"] = dict(conditions["people"], users={"exclude": kept})
        return replace(obj, body=dict(obj.body, conditions=conditions))

    def findings(self) -> list[Finding]:
        return [
            finding
            for group, by_rule in self.pending.items()
            if (finding := self._finding(group, by_rule)) is not None
        ]

    def _finding(self, group: str, by_rule: dict[str, list[str]]) -> Finding | None:
        pending = {m for ids in by_rule.values() for m in ids}
        if not pending:
            return None
        login = self.live.display_name
        added = tuple(sorted(login("user", m) for m in pending))
        members = tuple(sorted(login("user", m) for m in self.live.member_ids(group)))
        exempted = tuple(m for m in members if m not in added)
        rules = ", ".join(repr(name) for name in sorted(by_rule))
        group_id = (self.live.groups.get(group) or {}).get("id")
        return Finding(
            "changed",
            "high",
            "group",
            group,
            f"break-glass group {group!r} has member(s) that the deny rule(s) {rules} do not "
            f"exclude yet: {', '.join(added)} — an added break-glass member is an added "
            "exemption, granted by the next `terraform apply` (or the exclusion was removed "
            "from the rule by hand)",
            object_id=str(group_id) if group_id else None,
            address=address("data." + tf.GROUP_DATA, tf.group_name(group)),
            diffs=(AttributeDiff("members", exempted, members, added=added, weakens=True),),
        )
