"""Okta's priority semantics for policies of one type and rules of one policy.

Inserting at a used priority moves the contiguous block at and after it down by one; deleting
leaves a gap. Pinned system objects keep their place: the Default Policy / Default Rule stay
last, an authentication policy's Catch-all Rule stays at 99, so at most 98 rules fit above it.
"""

from __future__ import annotations

from typing import Any

from okta_sandbox.core.errors import validation
from okta_sandbox.facts import CATCH_ALL_PRIORITY


def is_pinned(item: dict[str, Any]) -> bool:
    return bool(item.get("system"))


def place(
    siblings: list[dict[str, Any]],
    item: dict[str, Any],
    requested: int | None,
    below: int | None = None,
) -> None:
    """Give `item` (not in `siblings`) its priority, shifting siblings as Okta does. With
    `below`, refuse (400 E0000001, nothing changed) a placement that would put `item` or a
    shifted sibling at or after that priority."""
    mobile = sorted((s for s in siblings if not is_pinned(s)), key=lambda s: s["priority"] or 0)
    highest = max((s["priority"] or 0 for s in mobile), default=0)
    shifted: list[dict[str, Any]] = []
    if requested is None or requested < 1 or requested > highest:
        priority = highest + 1
    else:
        priority = expected = requested
        for sibling in mobile:
            if sibling["priority"] < requested:
                continue
            if sibling["priority"] != expected:
                break  # a gap ends the block that has to move
            shifted.append(sibling)
            expected += 1
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
    """Keep "last" system objects after every other one (Catch-all rules stay at 99)."""
    mobile_max = max((i["priority"] or 0 for i in items if not is_pinned(i)), default=0)
    for pinned in (i for i in items if is_pinned(i)):
        if pinned["priority"] == CATCH_ALL_PRIORITY:
            continue
        if pinned["priority"] is None or pinned["priority"] <= mobile_max:
            pinned["priority"] = mobile_max + 1


def ordered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda i: (i["priority"] or 0, i["created"]))
