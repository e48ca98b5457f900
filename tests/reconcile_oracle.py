"""The pairwise reconciliation code as it was before blocking (issue 13), kept as the
oracle the blocked code must match exactly: every distinct name against every claim,
every overlapping pair of one day, every pair of a group."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from tally.reconcile import core
from tally.reconcile.identity import ORG_RATIO, fold, same_person
from tally.reconcile.revisions import mark
from tally.reconcile.values import compatible

Claim = dict[str, Any]


class OracleNames:
    """identity.Names before blocking: a scan of every known name per call."""

    def __init__(self, org_aliases: dict[str, str] | None = None) -> None:
        self.people: list[str] = []
        self.orgs: list[str] = []
        self.org_aliases = {fold(k): v for k, v in (org_aliases or {}).items()}
        self.local_orgs: dict[tuple[str, str], str] = {}

    def org_of(self, claim: dict) -> str | None:
        org = (claim.get("source") or {}).get("org")
        if org:
            org = self.local_orgs.get((claim.get("doc") or "", fold(org)), org)
        return self.org(org)

    def person(self, name: str | None) -> str | None:
        if not name:
            return None
        for known in self.people:
            if same_person(known, name):
                if len(name.split()) > len(known.split()):
                    self.people[self.people.index(known)] = name
                    return name
                return known
        self.people.append(name)
        return name

    def org(self, name: str | None) -> str | None:
        if not name:
            return None
        alias = self.org_aliases.get(fold(name))
        if alias:
            name = alias
        for known in self.orgs:
            if fold(known) == fold(name) or fuzz.ratio(fold(known), fold(name)) >= ORG_RATIO:
                return known
        self.orgs.append(name)
        return name

    def clusters(self, names: Iterable[str]) -> dict[str, str]:
        return {n: self.person(n) or n for n in names}


def group_claims(claims: Sequence[Claim], copy_of: dict[str, str] | None = None,
                 names: Any = None) -> list[list[Claim]]:
    """core.group_claims before blocking: every overlapping pair of a block compared."""
    names = names or OracleNames()
    asserted = sorted((c for c in claims if c.get("stance", "asserted") == "asserted"),
                      key=lambda c: c["key"])
    uf = core._UnionFind(c["key"] for c in asserted)
    by_key = {c["key"]: c for c in asserted}
    for k, orig in (copy_of or {}).items():
        if k in by_key and orig in by_key:
            uf.union(k, orig)
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    blocks: dict[tuple[Any, ...], list[Claim]] = defaultdict(list)
    for c in asserted:
        by_doc[c["doc"]].append(c)
        p, pl = c.get("period") or {}, c.get("place") or {}
        if p.get("start") and p.get("end") and pl.get("country"):
            blocks[(c["metric"], bool(c.get("rate")), pl["country"], c.get("kind"))].append(c)
    for members in by_doc.values():
        clusters: list[list[Claim]] = []
        for c in sorted(members, key=lambda c: (c["evidence"]["start"], c["key"])):
            for cl in clusters:
                deciding = [m for m in cl if mark(m) != "earlier"] or cl
                if all(core._same_thing(c, m) and core._two_accounts_or_apart(c, m, names)
                       for m in deciding):
                    cl.append(c)
                    uf.union(cl[0]["key"], c["key"])
                    break
            else:
                clusters.append([c])
    for members in blocks.values():
        members.sort(key=lambda c: (c["period"]["start"], c["key"]))
        active: list[Claim] = []
        for c in members:
            active = [a for a in active if a["period"]["end"] >= c["period"]["start"]]
            for a in active:
                if a["doc"] != c["doc"] and core._same_thing(a, c):
                    uf.union(a["key"], c["key"])
            active.append(c)
    groups: dict[str, list[Claim]] = defaultdict(list)
    for c in asserted:
        groups[uf.find(c["key"])].append(c)
    return [sorted(g, key=lambda c: c["key"]) for _, g in sorted(groups.items())]


def cross_document(g: list[Claim], names: Any, copy_of: dict[str, str],
                   dates: dict[str, date | None] | None = None) -> list[dict[str, Any]]:
    """core._cross_document before blocking: every pair of the group's originals."""
    dates = dates or {}
    originals = [c for c in g if c["key"] not in copy_of]
    out: list[dict[str, Any]] = []
    conflict = None
    sname = core.speaker_or_org
    for i, a in enumerate(originals):
        for b in originals[i + 1:]:
            if a["doc"] == b["doc"] or not core._changed(a, b):
                continue
            if core._same_source(a, b, names):
                da, db = dates.get(a["doc"]), dates.get(b["doc"])
                if da and db and da != db and not out:
                    first, then = (a, b) if da < db else (b, a)
                    out.append(core._record(
                        "revision", [first, then], f"{sname(then, names)} "
                        f"revised the figure from {core.describe(first)} "
                        f"({first['doc']}, {min(da, db)}) to {core.describe(then)} "
                        f"{then['metric']} ({then['doc']}, {max(da, db)})", names))
            elif conflict is None and not compatible(a, b):
                conflict = core._record(
                    "conflict", [a, b], f"{sname(a, names)} ({a['doc']}) "
                    f"gives {core.describe(a)}, {sname(b, names)} ({b['doc']}) "
                    f"{core.describe(b)} {a['metric']}: both cannot be true", names)
    return out + ([conflict] if conflict else [])
