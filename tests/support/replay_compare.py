"""Compare one recorded Okta answer with the emulator's answer to the same (id-mapped) request:
status, error codes, key sets, nulls vs absent keys, values, list membership and order, `Link`.

Volatile values (timestamps, errorId, kid, orn) are compared for presence and nullness only;
hrefs after replacing the host and mapping ids; ids the emulator assigned itself are not values.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cassettes import ID_RE, Interaction

VOLATILE = {
    "created",
    "lastUpdated",
    "lastMembershipUpdated",
    "statusChanged",
    "activated",
    "lastLogin",
    "passwordChanged",
    "errorId",
    "expiresAt",
    "kid",
    "orn",
    "transitioningToStatus",
}
# Values that name the recorded org's own things (its default user type and realm, an app link's
# internal id, its cell and feature settings, ORNs): compared for presence, nullness and type only.
ORG_SPECIFIC: dict[str, frozenset[str]] = {
    "*": frozenset(
        {
            "type.id",
            "[].type.id",
            "_links.schema.href",
            "_links.type.href",
            "_links.appLinks[].href",
            "[]._links.appLinks[].href",
            "orn",
            "[].orn",
            "realmId",
            "[].realmId",
        }
    ),
    "/.well-known/okta-organization": frozenset({"cell", "settings"}),
}
IDENTITY_KEYS = ("name", "label", "profile.name", "profile.login", "key", "value", "country")


@dataclass(frozen=True)
class Difference:
    kind: str  # STATUS, MISSING, EXTRA, VALUE, NULL_VS_VALUE, LIST_EXTRA, ORDER, HEADER, ...
    field: str  # dotted path, `[]` for list elements ("" for the whole body)
    detail: str


def dig(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def identity(obj: Any) -> str | None:
    """What names a list element when ids cannot pair it (name, label, login...)."""
    if not isinstance(obj, dict):
        return None
    for key in IDENTITY_KEYS:
        value = dig(obj, key)
        if isinstance(value, str):
            return f"{key}={value}"
    return None


def short(value: Any, width: int = 90) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    text = repr(text) if isinstance(value, str) else text
    return text if len(text) <= width else text[: width - 3] + "..."


Pairs = list[tuple[Any, Any]]


class Comparer:
    """Differences between a recorded answer and the emulator's. `idmap` maps recorded ids to
    emulator ids; `preexisting(id)` says a recorded id belongs to the recorded org's own objects
    (never created in the cassette), `seed_object(id)` that an emulator id is the seed's,
    `created_here(id)` that the cassette created the recorded object. The order of a listed
    answer is compared among the objects the cassette created (the others' order is the two
    orgs' history)."""

    def __init__(
        self,
        idmap: dict[str, str],
        preexisting: Callable[[str], bool],
        seed_object: Callable[[str], bool],
        created_here: Callable[[str], bool],
    ) -> None:
        self.idmap = idmap
        self.preexisting = preexisting
        self.seed_object = seed_object
        self.created_here = created_here
        self._rec_host = ""
        self._emu_base = ""
        self._org_specific: frozenset[str] = frozenset()

    # ---- strings --------------------------------------------------------------------------
    def rec(self, text: str) -> str:
        text = text.replace(self._rec_host, "{org}")
        return ID_RE.sub(lambda m: self.idmap.get(m.group(0), m.group(0)), text)

    def emu(self, text: str) -> str:
        return text.replace(self._emu_base, "{org}")

    # ---- pairing ----------------------------------------------------------------------------
    def pair(self, rec: list[Any], emu: list[Any]) -> tuple[Pairs, list[Any], list[Any]]:
        """Pair list elements by mapped id, else by a unique identity; the rest unpaired."""
        if not all(isinstance(x, dict) for x in rec + emu):
            return [], list(rec), list(emu)
        pairs: Pairs = []
        used: set[int] = set()
        by_id = {e.get("id"): n for n, e in enumerate(emu) if isinstance(e.get("id"), str)}
        rest = []
        for item in rec:
            rid = item.get("id")
            n = by_id.get(self.idmap.get(rid, "\0")) if isinstance(rid, str) else None
            if n is not None and n not in used:
                pairs.append((item, emu[n]))
                used.add(n)
            else:
                rest.append(item)
        emu_idents = Counter(identity(e) for n, e in enumerate(emu) if n not in used)
        rec_idents = Counter(identity(r) for r in rest)
        unpaired = []
        for item in rest:
            key = identity(item)
            if key and emu_idents[key] == 1 and rec_idents[key] == 1:
                n = next(n for n, e in enumerate(emu) if n not in used and identity(e) == key)
                pairs.append((item, emu[n]))
                used.add(n)
            else:
                unpaired.append(item)
        return pairs, unpaired, [e for n, e in enumerate(emu) if n not in used]

    # ---- whole answers --------------------------------------------------------------------
    def answer(
        self, item: Interaction, status: int, body: Any, links: str, emu_base: str
    ) -> list[Difference]:
        self._rec_host, self._emu_base = "https://" + item.host, emu_base
        self._org_specific = ORG_SPECIFIC["*"] | ORG_SPECIFIC.get(item.template, frozenset())
        out: list[Difference] = []
        if item.status != status:
            detail = f"{item.status}->{status}"
            if isinstance(body, dict) and "errorCode" in body:
                causes = "; ".join(c.get("errorSummary", "") for c in body.get("errorCauses") or [])
                detail += f" emu {body['errorCode']} {str(body.get('errorSummary'))[:100]}"
                detail += f" [{causes[:140]}]" if causes else ""
            if isinstance(item.body, dict) and "errorCode" in item.body:
                detail += (
                    f" | rec {item.body['errorCode']} {str(item.body.get('errorSummary'))[:100]}"
                )
            return [Difference("STATUS", "", detail)]
        if item.status >= 400 and isinstance(item.body, dict):
            return self._error(item.body, body)
        empty_rec, empty_emu = item.body in (None, ""), body in (None, "")
        if empty_rec != empty_emu:
            rec_text = "empty" if empty_rec else short(item.body)
            emu_text = "empty" if empty_emu else short(body)
            return [Difference("BODY", "", f"rec {rec_text} emu {emu_text}")]
        self.value(item.body, body, "", out, top_list=isinstance(item.body, list))
        rec_next = any('rel="next"' in link for link in item.links)
        if rec_next != ('rel="next"' in links):
            out.append(Difference("HEADER", "Link", f"next page: rec={rec_next}"))
        elif bool(item.links) != bool(links):
            out.append(Difference("HEADER", "Link", f"Link header: rec={bool(item.links)}"))
        return out

    def _error(self, rec: dict[str, Any], emu: Any) -> list[Difference]:
        if not isinstance(emu, dict):
            return [Difference("ERROR", "", f"rec {rec.get('errorCode')} emu {short(emu)}")]
        out = []
        for key in ("errorCode", "errorSummary"):
            rec_value = rec.get(key)
            rec_value = self.rec(rec_value) if isinstance(rec_value, str) else rec_value
            if rec_value != emu.get(key):
                out.append(Difference("ERROR", key, f"rec={rec_value!r} emu={emu.get(key)!r}"))
        rec_causes = [self.rec(str(c.get("errorSummary"))) for c in rec.get("errorCauses") or []]
        emu_causes = [str(c.get("errorSummary")) for c in emu.get("errorCauses") or []]
        if rec_causes != emu_causes:
            out.append(Difference("ERROR", "errorCauses", f"rec={rec_causes} emu={emu_causes}"))
        return out

    # ---- values -----------------------------------------------------------------------------
    def value(self, r: Any, e: Any, path: str, out: list[Difference], top_list: bool) -> None:
        numbers = isinstance(r, int | float) and isinstance(e, int | float)
        if type(r) is not type(e) and not numbers:
            if r is None:
                out.append(Difference("NULL_VS_VALUE", path, f"rec=null emu={short(e)}"))
            elif e is None:
                out.append(Difference("VALUE_VS_NULL", path, f"rec={short(r)} emu=null"))
            else:
                out.append(Difference("TYPE", path, f"rec={short(r)} emu={short(e)}"))
        elif path in self._org_specific:
            return
        elif isinstance(r, dict):
            self._object(r, e, path, out)
        elif isinstance(r, list):
            self._list(r, e, path, out, top_list)
        else:
            self._scalar(r, e, path, out)

    def _object(
        self, r: dict[str, Any], e: dict[str, Any], path: str, out: list[Difference]
    ) -> None:
        for key in r:
            where = f"{path}.{key}" if path else key
            if key not in e:
                kind = "MISSING_NULL" if r[key] is None else "MISSING"
                out.append(Difference(kind, where, f"rec={short(r[key])}"))
            else:
                self.value(r[key], e[key], where, out, top_list=False)
        for key in e.keys() - r.keys():
            where = f"{path}.{key}" if path else key
            kind = "EXTRA_NULL" if e[key] is None else "EXTRA"
            out.append(Difference(kind, where, f"emu={short(e[key])}"))

    def _normalised(self, obj: Any, recorded: bool) -> Any:
        if isinstance(obj, dict):
            return {k: self._normalised(v, recorded) for k, v in obj.items() if k not in VOLATILE}
        if isinstance(obj, list):
            return [self._normalised(v, recorded) for v in obj]
        if isinstance(obj, str):
            return self.rec(obj) if recorded else self.emu(obj)
        return obj

    def _list(
        self, r: list[Any], e: list[Any], path: str, out: list[Difference], top: bool
    ) -> None:
        where = path + "[]"
        if all(not isinstance(x, dict | list) for x in r + e):
            rec_values, emu_values = self._normalised(r, True), self._normalised(e, False)
            if rec_values != emu_values:
                same = sorted(map(str, rec_values)) == sorted(map(str, emu_values))
                kind = "ORDER" if same else "VALUE"
                out.append(
                    Difference(kind, where, f"rec={short(rec_values)} emu={short(emu_values)}")
                )
            return
        pairs, missing, extra = self.pair(r, e)
        anonymous = not any(isinstance(x, dict) and (identity(x) or x.get("id")) for x in missing)
        if missing and extra and anonymous:
            # elements without names (constraints, locations...): equal as multisets?
            rec_keys = [json.dumps(self._normalised(x, True), sort_keys=True) for x in missing]
            emu_keys = [json.dumps(self._normalised(x, False), sort_keys=True) for x in extra]
            if sorted(rec_keys) == sorted(emu_keys):
                if rec_keys != emu_keys:
                    out.append(Difference("ORDER", where, "anonymous elements in another order"))
                return
            if len(missing) == len(extra):
                pairs += list(zip(missing, extra, strict=True))
                missing, extra = [], []
        for rec_item, emu_item in pairs:
            self.value(rec_item, emu_item, where, out, top_list=False)
        for item in missing:
            rid = item.get("id") if isinstance(item, dict) else None
            if top and isinstance(rid, str) and self.preexisting(rid):
                continue  # an object of the recorded org the emulator never had
            label = identity(item) or short(item, 60)
            out.append(Difference("LIST_MISSING", where, f"rec element {label}"))
        for item in extra:
            eid = item.get("id") if isinstance(item, dict) else None
            if top and isinstance(eid, str) and self.seed_object(eid):
                continue  # an object of the emulator's seed the recorded org did not have
            label = identity(item) or short(item, 60)
            out.append(Difference("LIST_EXTRA", where, f"emu element {label}"))
        if top:
            pairs = [(a, b) for a, b in pairs if self.created_here(str(a.get("id")))]
        emu_positions = [next(n for n, x in enumerate(e) if x is b) for _, b in pairs]
        rec_positions = [next(n for n, x in enumerate(r) if x is a) for a, _ in pairs]
        ranked = [p for _, p in sorted(zip(rec_positions, emu_positions, strict=True))]
        if ranked != sorted(ranked):
            out.append(Difference("ORDER", where, "paired elements in another order"))

    def _scalar(self, r: Any, e: Any, path: str, out: list[Difference]) -> None:
        key = path.rsplit(".", 1)[-1].rstrip("[]")
        if key in VOLATILE:
            return
        rec_value = self.rec(r) if isinstance(r, str) else r
        emu_value = self.emu(e) if isinstance(e, str) else e
        if key == "href" and isinstance(r, str) and not rec_value.startswith("{org}"):
            return  # CDN assets, admin-console links
        if key == "id" and isinstance(r, str) and r not in self.idmap:
            return  # an id the emulator assigned and the replay has not mapped (yet)
        if rec_value != emu_value:
            out.append(Difference("VALUE", path, f"rec={short(rec_value)} emu={short(emu_value)}"))
