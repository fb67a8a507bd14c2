"""Markdown for a plan summary: a PR comment or a job summary, readable without the plan.

Every value from the plan, the lock file or the config (names, addresses, attribute values,
source origins, preflight details) goes through generator.report.markdown_safe: the prior state
in a plan is read from the live org, where anyone with admin rights can name a rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.report.markdown_safe import md_code, md_text
from generator.report.plan import PlanSummary, ResourceChange, SourceChange, ZoneChange

ACTION_ICONS = {
    "create": "➕ create",
    "update": "✏️ update",
    "delete": "🗑️ destroy",
    "replace": "♻️ replace",
    "no-op": "no change",
    "read": "read",
}
MAX_LISTED_CIDRS = 200


def _code(text: str) -> str:
    """A code span that is safe in a table cell too."""
    return md_code(text, table=True)


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    """`rows`: cells already made safe (md_text / _code, or our own constants)."""
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _headline(summary: PlanSummary) -> list[str]:
    c = summary.counts
    lines = [
        "### egress-guard plan",
        "",
        f"**Plan: {c['add']} to add, {c['change']} to change, {c['destroy']} to destroy.**"
        if summary.has_changes
        else "**No changes.** Okta already matches the repository.",
        "",
    ]
    if summary.errored:
        lines += ["> [!CAUTION]", "> Terraform reported errors while planning: incomplete.", ""]
    destroyed = [z.address for z in summary.zones if z.action in ("delete", "replace")]
    destroyed += [r.address for r in summary.resources if r.action in ("delete", "replace")]
    if destroyed:
        lines += ["> [!WARNING]", "> This plan destroys or replaces:"]
        lines += [f"> - {md_code(address)}" for address in destroyed] + [""]
    return lines


def _cidr_lines(source: SourceChange) -> list[str]:
    lines = [f"**{md_text(source.group)}**", ""]
    changes = [("+", c) for c in source.added] + [("-", c) for c in source.removed]
    for sign, cidr in changes[:MAX_LISTED_CIDRS]:
        origin = source.provenance.get(cidr, ()) if sign == "+" else ()
        suffix = f" — {', '.join(md_code(o) for o in origin)}" if origin else ""
        lines.append(f"- {md_code(f'{sign} {cidr}')}{suffix}")
    if len(changes) > MAX_LISTED_CIDRS:
        lines.append(f"- … and {len(changes) - MAX_LISTED_CIDRS} more (see the JSON summary)")
    return [*lines, ""]


def _sources(sources: tuple[SourceChange, ...]) -> list[str]:
    if not sources:
        return []
    lines = ["#### Trusted ranges by source", ""]
    lines += _table(
        ("Source", "Origin", "CIDRs added", "CIDRs removed", "Zones changed"),
        (
            (
                md_text(s.group),
                _code(s.origin),
                str(len(s.added)),
                str(len(s.removed)),
                ", ".join(_code(z) for z in s.zones),
            )
            for s in sources
        ),
    )
    detail = [line for s in sources if s.added or s.removed for line in _cidr_lines(s)]
    if detail:
        lines += ["<details><summary>CIDRs added and removed</summary>", "", *detail, "</details>"]
        lines.append("")
    return lines


def _counts(added: tuple[str, ...], removed: tuple[str, ...]) -> str:
    return f"+{len(added)} −{len(removed)}" if added or removed else "—"


def _zones(zones: tuple[ZoneChange, ...]) -> list[str]:
    if not zones:
        return []
    rows = (
        (
            _code(z.name),
            md_text(z.group),
            ACTION_ICONS[z.action],
            _counts(z.gateways_added, z.gateways_removed),
            _counts(z.proxies_added, z.proxies_removed),
        )
        for z in zones
    )
    return [
        "#### Network zones",
        "",
        *_table(("Zone", "Source", "Action", "Gateways", "Proxies"), rows),
    ]


def _resources(resources: tuple[ResourceChange, ...]) -> list[str]:
    if not resources:
        return []
    lines = ["#### Policies and rules", ""]
    lines += _table(
        ("Resource", "Name", "Action", "Attributes changed"),
        (
            (
                _code(r.address),
                md_text(r.display_name),
                ACTION_ICONS[r.action],
                ", ".join(_code(a.name) for a in r.attributes),
            )
            for r in resources
        ),
    )
    detailed = [r for r in resources if r.attributes]
    if detailed:
        lines += ["<details><summary>Attribute changes</summary>", ""]
        for r in detailed:
            lines.append(f"**{md_code(r.address)}**")
            lines.append("")
            lines += [
                f"- {md_code(a.name)}: {md_code(a.before) or '—'} → {md_code(a.after) or '—'}"
                for a in r.attributes
            ]
            lines.append("")
        lines += ["</details>", ""]
    return lines


def _preflight(summary: PlanSummary) -> list[str]:
    preflight = summary.preflight
    if preflight is None:
        return []
    verdict = "✅ passed" if preflight.ok else "❌ FAILED — do not merge"
    lines = ["#### Lockout preflight", "", f"**{verdict}**", ""]
    lines += _table(
        ("Check", "Result", "Detail"),
        ((md_text(c.name), "✅" if c.ok else "❌", md_text(c.detail)) for c in preflight.checks),
    )
    return (
        lines
        + [f"> {md_text(note)}" for note in preflight.notes]
        + ([""] if preflight.notes else [])
    )


def _full_plan(plan_text: str | None) -> list[str]:
    if not plan_text:
        return []
    fence = "```"
    while fence in plan_text:
        fence += "`"
    return [
        "<details><summary>Full plan</summary>",
        "",
        f"{fence}text",
        plan_text.rstrip("\n"),
        fence,
        "",
        "</details>",
        "",
    ]


def render_markdown(summary: PlanSummary, plan_text: str | None = None) -> str:
    lines = [
        *_headline(summary),
        *_sources(summary.sources),
        *_zones(summary.zones),
        *_resources(summary.resources),
        *_preflight(summary),
        *_full_plan(plan_text),
        f"Plan checksum: {md_code(summary.checksum)} — apply refuses a plan with any other "
        "checksum.",
    ]
    if summary.terraform_version:
        lines[-1] += f" Terraform {md_text(summary.terraform_version)}."
    return "\n".join(lines) + "\n"
