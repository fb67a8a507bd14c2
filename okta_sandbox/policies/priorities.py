"""Okta's priority semantics for policies of one type and rules of one policy.

Placing an object at a used priority moves the contiguous block at and after it down by one;
a moved object's old slot still counts as taken while that block is found, and is left as a gap
(recorded: TestAccResourceOktaAppSignOnPolicyRules_crud, the grouped resource's update moves
rules 3->1, 5->2, 6->4 and Okta renumbers the others exactly so). A replace of an
authentication policy rule that sends the priority the rule already has re-inserts it all the
same: the block after it moves down (recorded: TestAccResourceOktaAppSignOnPolicyRules_
keep_me_signed_in #61-#67, PUT 1 -> 1 moves the rules at 2, 3, 4 to 3, 4, 5); a global session
policy rule stays put (recorded: TestAccResourceOktaPolicyRuleSignon_GH2419 #37-#46, PUT 3, 2,
1 unchanged leave 1, 2, 3). Deleting leaves a gap.

Global session policies and their rules take at most the next free priority (a larger one is
lowered, okta/terraform-provider-okta#1028, #1286); authentication policy rules keep the priority
they ask for, 0 included (recorded: TestAccResourceOktaAppSignOnPolicyRule_crud, POST 0 -> 0,
PUT 98 -> 98). Pinned system objects keep their place: the Default Policy / Default Rule stay
last, an authentication policy's Catch-all Rule stays at 99, so at most 98 rules fit above it.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core.errors import validation
from okta_sandbox.facts import CATCH_ALL_PRIORITY


def is_pinned(item: dict[str, Any]) -> bool:
    return bool(item.get("system"))


def _block(mobile: list[dict[str, Any]], start: int, current: int | None) -> list[dict[str, Any]]:
    """The siblings that must move down so that `start` is free."""
    shifted: list[dict[str, Any]] = []
    expected = start
    for sibling in mobile:
        if sibling["priority"] < start:
            continue
        if sibling["priority"] != expected and expected == current:
            expected += 1  # the moved object's own old slot: still taken while walking
        if sibling["priority"] != expected:
            break  # a gap ends the block that has to move
        shifted.append(sibling)
        expected += 1
    return shifted


def place(
    siblings: list[dict[str, Any]],
    item: dict[str, Any],
    requested: int | None,
    below: int | None = None,
    clamp: bool = True,
    current: int | None = None,
) -> None:
    """Give `item` (not in `siblings`; `current`: its priority before a move) its priority,
    shifting siblings as Okta does. `clamp`: a priority past the end becomes the next free one.
    With `below`, refuse (400 E0000001, nothing changed) a placement that would put `item` or
    a shifted sibling at or after that priority."""
    mobile = sorted((s for s in siblings if not is_pinned(s)), key=lambda s: s["priority"] or 0)
    highest = max((s["priority"] or 0 for s in mobile), default=0)
    shifted: list[dict[str, Any]] = []
    if requested is None or requested < 0 or (clamp and (requested < 1 or requested > highest)):
        priority = highest + 1
    else:
        priority = requested
        shifted = _block(mobile, requested, current)
    last = max([priority, *(s["priority"] + 1 for s in shifted)])
    if below is not None and last >= below:
        raise validation(
            "priority",
            f"priority: no room above the Catch-all Rule (priority {below}): "
            f"a policy holds at most {below - 1} other rules",
        )
    for sibling in shifted:
        sibling["priority"] += 1
    item["priority"] = priority
    settle_pinned([*siblings, item])


def settle_pinned(items: list[dict[str, Any]]) -> None:
    """Keep "last" system objects right after every other one (Catch-all rules stay at 99):
    when the last other one goes, the Default Policy moves up (recorded: deleting the only
    other global session policy brings the Default Policy back to 1,
    TestAccResourceOktaPolicyRuleSignon_GH2494 #20 -> #22)."""
    mobile_max = max((i["priority"] or 0 for i in items if not is_pinned(i)), default=0)
    for pinned in (i for i in items if is_pinned(i)):
        if pinned["priority"] != CATCH_ALL_PRIORITY:
            pinned["priority"] = mobile_max + 1


def ordered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda i: (i["priority"] or 0, i["created"]))
