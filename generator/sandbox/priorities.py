"""Okta's priority semantics for policies of one type and rules of one policy.

Inserting at a used priority moves the contiguous block at and after it down by one; deleting
leaves a gap. Pinned system objects keep their place: the Default Policy / Default Rule stay
last, an authentication policy's Catch-all Rule stays at 99.
"""

from __future__ import annotations

from typing import Any

CATCH_ALL_PRIORITY = 99


def is_pinned(item: dict[str, Any]) -> bool:
    return bool(item.get("system"))


def place(siblings: list[dict[str, Any]], item: dict[str, Any], requested: int | None) -> None:
    """Give `item` (not in `siblings`) its priority, shifting siblings as Okta does."""
    mobile = sorted((s for s in siblings if not is_pinned(s)), key=lambda s: s["priority"] or 0)
    highest = max((s["priority"] or 0 for s in mobile), default=0)
    if requested is None or requested < 1 or requested > highest:
        item["priority"] = highest + 1
    else:
        item["priority"] = requested
        expected = requested
        for sibling in mobile:
            if sibling["priority"] < requested:
                continue
            if sibling["priority"] != expected:
                break  # a gap ends the block that has to move
            sibling["priority"] += 1
            expected += 1
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
