"""Replay a recorded cassette (`cassettes.py`) against a fresh emulator org and compare every
answer with real Okta's (`replay_compare.py`).

- Requests are sent in recorded order with the emulator's token; recorded ids in paths, queries
  and bodies are replaced by the emulator ids learned so far (walking the recorded and the
  emulator answers in parallel: `id`s, list elements paired by id or by a unique name).
- A recorded id used before the emulator has a counterpart is resolved: the same object of the
  emulator's `empty` org by name (system zones, Default Policy, Everyone, Okta Admin Console...),
  else the recorded object (as the cassette shows it) is seeded into the org with its recorded id.
- Endpoints the emulator does not serve are sent anyway (`served=False`); when the recording
  shows a success, their effect on objects the emulator stores is mirrored (an app created or
  changed, a user or group deleted), so later interactions compare.
- An interaction on an object whose emulator state already diverged (a write the emulator
  refused) is a `cascade`: reported apart, not compared.

What seeding and mirroring write into the org's state: `replay_writes.py`. The areas compared
(`COMPARED`) and their replay (`replay_compared`) serve the replay test and
benchmarks/bench_replay.py alike.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests
from cassettes import ID_RE, Interaction, cassette_paths, load
from replay_compare import Comparer, Difference, dig
from replay_writes import mirrored, seed

from okta_sandbox import Sandbox
from okta_sandbox.core.audit import ENV as AUDIT_ENV
from okta_sandbox.urls import ROUTES

STORED_POLICY_TYPES = {"OKTA_SIGN_ON", "ACCESS_POLICY"}
_RULE_PARENT = re.compile(r"/policies/([^/]+)/rules")


@dataclass(frozen=True)
class Outcome:
    item: Interaction
    served: bool
    emu_status: int
    cascade: bool
    differences: tuple[Difference, ...]


def served(method: str, path: str) -> bool:
    return any(r.method == method and r.pattern.match(path) for r in ROUTES)


@dataclass
class _Occurrence:
    position: int
    obj: dict[str, Any]
    path: str  # the request path of the answer that showed it


@dataclass
class Replayer:
    items: tuple[Interaction, ...]
    idmap: dict[str, str] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)  # recorded ids a recorded create returned
    seeded: dict[str, str] = field(default_factory=dict)  # recorded id -> kind
    unresolved: set[str] = field(default_factory=set)
    diverged: set[str] = field(default_factory=set)
    seed_ids: set[str] = field(default_factory=set)  # the emulator's own seed objects
    index: dict[str, list[_Occurrence]] = field(default_factory=dict)
    position: int = 0

    def __post_init__(self) -> None:
        for position, item in enumerate(self.items):
            if item.method == "POST" and item.status == 200 and isinstance(item.body, dict):
                oid = item.body.get("id")
                if isinstance(oid, str) and "/lifecycle/" not in item.path:
                    self.created.add(oid)
            self._index(item.body, position, item.path)
        self.comparer = Comparer(
            self.idmap, self._preexisting, self.seed_ids.__contains__, self.created.__contains__
        )

    def _index(self, obj: Any, position: int, path: str) -> None:
        if isinstance(obj, dict):
            oid = obj.get("id")
            if isinstance(oid, str):
                self.index.setdefault(oid, []).append(_Occurrence(position, obj, path))
            for value in obj.values():
                self._index(value, position, path)
        elif isinstance(obj, list):
            for value in obj:
                self._index(value, position, path)

    def _preexisting(self, rid: str) -> bool:
        return rid not in self.created and rid not in self.idmap

    # ---- ids ------------------------------------------------------------------------------
    def sub(self, text: str) -> str:
        return ID_RE.sub(lambda m: self.idmap.get(m.group(0), m.group(0)), text)

    def sub_obj(self, obj: Any) -> Any:
        return json.loads(self.sub(json.dumps(obj)))

    def learn(self, rec: Any, emu: Any) -> None:
        if isinstance(rec, dict) and isinstance(emu, dict):
            rid, eid = rec.get("id"), emu.get("id")
            if isinstance(rid, str) and isinstance(eid, str) and ID_RE.fullmatch(rid):
                self.idmap.setdefault(rid, eid)
            for key in rec.keys() & emu.keys() - {"_links"}:
                self.learn(rec[key], emu[key])
            if isinstance(rec.get("_links"), dict) and isinstance(emu.get("_links"), dict):
                self._learn_unseen(rec["_links"], emu["_links"])
        elif isinstance(rec, list) and isinstance(emu, list):
            pairs, _, _ = self.comparer.pair(rec, emu)
            for r, e in pairs:
                self.learn(r, e)

    def _learn_unseen(self, rec: dict[str, Any], emu: dict[str, Any]) -> None:
        """Ids that only a link names (an object of the recorded org the cassette never shows
        or sends, such as its profile enrollment policy): paired with the emulator's link of
        the same name, so that every later answer is compared against that one object."""
        for name in rec.keys() & emu.keys():
            r, e = rec[name], emu[name]
            if not (isinstance(r, dict) and isinstance(e, dict)):
                continue
            rids = ID_RE.findall(str(r.get("href", "")))
            eids = ID_RE.findall(str(e.get("href", "")))
            if len(rids) != len(eids):
                continue
            for rid, eid in zip(rids, eids, strict=True):
                if rid not in self.index and rid not in self.created:
                    self.idmap.setdefault(rid, eid)

    # ---- resolving and seeding ------------------------------------------------------------
    def _recorded(self, rid: str) -> _Occurrence | None:
        """The recorded object as it stood just before this interaction, else as first shown
        later; among one answer's occurrences the fullest (a single GET over list summaries)."""
        found = self.index.get(rid) or []
        before = [f for f in found if f.position < self.position]
        pool = before or found
        if not pool:
            return None
        at = max(f.position for f in pool) if before else min(f.position for f in pool)
        return max((f for f in pool if f.position == at), key=lambda f: len(f.obj))

    def _same_by_name(self, state: dict[str, Any], rid: str, occ: _Occurrence) -> str | None:
        obj, prefix = occ.obj, rid[:3]
        if prefix == "nzo":
            matches = [z["id"] for z in state["zones"].values() if z["name"] == obj.get("name")]
        elif prefix in ("00p", "rst"):
            matches = [
                p["id"]
                for p in state["policies"].values()
                if p["name"] == obj.get("name") and p["type"] == obj.get("type")
            ]
        elif prefix in ("0pr", "rul"):
            parent = _RULE_PARENT.search(occ.path)
            policy = self.idmap.get(parent.group(1)) if parent else None
            rules = state["rules"].get(policy, {}) if policy else {}
            matches = [r["id"] for r in rules.values() if r["name"] == obj.get("name")]
        elif prefix == "00g":
            name = dig(obj, "profile.name")
            matches = [g["id"] for g in state["groups"].values() if g["profile"]["name"] == name]
        elif prefix == "0oa":
            matches = [a["id"] for a in state["apps"].values() if a["name"] == obj.get("name")]
        else:
            matches = []
        return matches[0] if len(matches) == 1 else None

    def resolve(self, sb: Sandbox, rid: str, depth: int = 0) -> None:
        if rid in self.idmap or rid in self.unresolved or depth > 4:
            return
        occ = self._recorded(rid)
        if occ is not None:
            target = self._same_by_name(sb.snapshot(), rid, occ)
            if target is not None:
                self.idmap[rid] = target
                self._adopt(sb, rid[:3], target, occ.obj)
                return
        kind, body = self._seed_kind(rid, occ)
        if kind is None:
            self.unresolved.add(rid)
            return
        self.idmap[rid] = rid  # seeded objects keep their recorded id
        if body is not None:
            for nested in set(ID_RE.findall(json.dumps(body))) - {rid}:
                self.resolve(sb, nested, depth + 1)
            body = self.sub_obj({k: v for k, v in body.items() if not k.startswith("_")})
        self.seeded[rid] = kind
        parent = _RULE_PARENT.search(occ.path) if occ else None
        sb.mutate(lambda state: seed(state, self.idmap, kind, rid, body, parent))

    @staticmethod
    def _adopt(sb: Sandbox, prefix: str, target: str, recorded: dict[str, Any]) -> None:
        """The emulator's own object stands for the recorded org's: a system zone takes the
        recorded org's addresses."""
        area, keys = {"nzo": ("zones", ("gateways", "proxies"))}.get(prefix, ("", ()))
        kept = {k: recorded[k] for k in keys if k in recorded}
        if area and kept:
            sb.mutate(lambda state: state[area][target].update(kept))

    def _seed_kind(
        self, rid: str, occ: _Occurrence | None
    ) -> tuple[str | None, dict[str, Any] | None]:
        obj = copy.deepcopy(occ.obj) if occ else None
        prefix = rid[:3]
        if prefix == "nzo" and obj is not None:
            return "zone", obj
        if prefix in ("00p", "rst") and obj is None:
            obj = self._unseen_policy(rid)
        if prefix in ("00p", "rst") and obj is not None:
            return ("policy", obj) if obj.get("type") in STORED_POLICY_TYPES else (None, None)
        if prefix in ("0pr", "rul") and obj is not None and "actions" in obj and occ is not None:
            parent = _RULE_PARENT.search(occ.path)
            return ("rule", obj) if parent and self.idmap.get(parent.group(1)) else (None, None)
        if prefix == "00g":
            return "group", obj
        if prefix == "00u":
            return "user", obj
        if prefix == "0oa" and obj is not None and "signOnMode" in obj:
            return "app", obj
        if prefix == "00T" and obj is not None and "userId" in obj:
            return "token", obj
        return None, None

    def _unseen_policy(self, rid: str) -> dict[str, Any] | None:
        """A policy of the recorded org the cassette never shows, typed by the rules the
        cassette sends to it."""
        types = {
            str(item.req_body.get("type"))
            for item in self.items
            if f"/policies/{rid}/rules" in item.path and isinstance(item.req_body, dict)
        }
        kind = {"SIGN_ON": "OKTA_SIGN_ON", "ACCESS_POLICY": "ACCESS_POLICY"}.get(
            next(iter(sorted(types - {"None"})), "")
        )
        if kind is None:
            return None
        return {"id": rid, "name": f"recorded {rid}", "type": kind, "status": "ACTIVE"}

    # ---- the run ----------------------------------------------------------------------------
    def run(self, sb: Sandbox) -> list[Outcome]:
        self.seed_ids.update(
            oid
            for area in ("zones", "policies", "groups", "users", "apps")
            for oid in sb.snapshot()[area]
        )
        http = requests.Session()
        http.headers.update({"Authorization": f"SSWS {sb.api_token}", "Accept": "application/json"})
        # the recorded org's own objects the cassette uses: resolved before the first request,
        # so priorities and lists see the org as it was
        for item in self.items:
            for rid in dict.fromkeys(ID_RE.findall(self._raw(item))):
                if rid not in self.created:
                    self.resolve(sb, rid)
        return [self._one(sb, http, position, item) for position, item in enumerate(self.items)]

    @staticmethod
    def _raw(item: Interaction) -> str:
        return f"{item.path}?{item.raw_query} {item.req_raw}"

    def _one(
        self, sb: Sandbox, http: requests.Session, position: int, item: Interaction
    ) -> Outcome:
        self.position = position
        used = ID_RE.findall(self._raw(item))
        for rid in dict.fromkeys(used):
            self.resolve(sb, rid)
        path, query = self.sub(item.path), self.sub(item.raw_query)
        data = self.sub(item.req_raw).encode() if item.req_raw else None
        headers = {"Content-Type": "application/json"} if data else {}
        url = sb.org_url + path + (f"?{query}" if query else "")
        response = http.request(item.method, url, data=data, headers=headers, timeout=30)
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.text
        is_served = served(item.method, path)
        cascade = bool(set(used) & self.diverged)
        if item.method != "GET" and is_served and response.status_code != item.status:
            written = ID_RE.findall(item.path.split("/lifecycle/")[0])
            if written and not item.path.endswith("/rules"):
                self.diverged.add(written[-1])
            if isinstance(item.body, dict) and isinstance(item.body.get("id"), str):
                self.diverged.add(item.body["id"])
        if item.status < 300 and response.status_code < 300:
            self.learn(item.body, body)
        links = ", ".join(response.headers.get("Link", "").split("\n"))
        differences = self.comparer.answer(item, response.status_code, body, links, sb.org_url)
        change = None if is_served else mirrored(item, path, self.idmap, self.sub_obj)
        if change is not None:
            sb.mutate(change)
        return Outcome(item, is_served, response.status_code, cascade, tuple(differences))


@contextmanager
def _without_audit() -> Iterator[None]:
    """The replayed org holds objects only Okta made (apps, tokens, seeded as recorded), with
    Okta's own departures from its spec: its sandbox skips the test session's spec audit (the
    replay compares with real Okta instead; the emulator's own answers are audited by every
    other test)."""
    saved = os.environ.pop(AUDIT_ENV, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[AUDIT_ENV] = saved


def replay(items: tuple[Interaction, ...]) -> list[Outcome]:
    """Replay one cassette against a fresh `empty` org (rate limits off)."""
    with _without_audit():
        sandbox = Sandbox.launch(seed="empty", rate_limit_multiplier=0)
    with sandbox as sb:
        return Replayer(items).run(sb)


# The API areas the emulator serves, compared with real Okta by the replay test and benchmark.
COMPARED = frozenset(
    {
        "zones",
        "policies.OKTA_SIGN_ON",
        "policies.ACCESS_POLICY",
        "rules.SIGN_ON",
        "rules.ACCESS_POLICY",
        "apps",
        "apps.policy-assign",
        "groups",
        "groups.members",
        "users",
        "users.groups",
        "org.well-known",
        "api-tokens",
    }
)


def area(item: Interaction) -> str:
    """The interaction's API area (a lifecycle call counts with its object's)."""
    return item.family.removesuffix(".lifecycle")


def compared(item: Interaction) -> bool:
    return area(item) in COMPARED


def replay_compared() -> list[Outcome]:
    """Every cassette with an interaction of a compared area, replayed (each on its own org)."""
    found: list[Outcome] = []
    for path in cassette_paths():
        items = load(path)
        if any(compared(item) for item in items):
            found += replay(items)
    return found
