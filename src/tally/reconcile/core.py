"""Figure groups across sources and documents, and the disagreements among them.

Input: claim records (CLAIMS.md shape, each with a unique `key`) and the documents'
texts. Output, all deterministic whatever order the claims arrive in:
- groups: claims about the same quantity (same metric; compatible victims, perpetrator,
  period, place and kind), with each source's value, the range and the number of
  independent sources (syndicated copies do not count);
- disagreements in the shape of ../shared/dev/conflicts.jsonl: `conflict` (values the
  hedges cannot both allow), `divergence` (allowed, but far apart), `denial`,
  `arithmetic` (parts, totals or rates that do not add up) and `revision` (a later
  figure replaces an earlier one).
"""
from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tally.nlp.numbers import UNITS
from tally.nlp.sentences import NUMBER_WORDS
from tally.nlp.timeframe import UNIT_DAYS, length_days
from tally.reconcile.identity import Names
from tally.reconcile.revisions import figure_at, mark
from tally.reconcile.sides import one_party, same_victims, side_label
from tally.reconcile.syndication import Copy, find_copies
from tally.reconcile.values import compatible, describe, far_apart, interval, point

Claim = dict[str, Any]
CASUALTY_METRICS = ("killed", "wounded", "casualties")
GENERIC_BODIES = {"ministry", "council", "department", "army", "military", "police", "office",
                  "agency", "command", "government", "authorities", "committee"}


@dataclass
class Reconciliation:
    groups: list[dict[str, Any]] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    copy_of: dict[str, str] = field(default_factory=dict)  # claim key -> original's key
    people: dict[str, str] = field(default_factory=dict)  # spelling -> canonical name
    # where each record belongs, for storing: (doc or None, bucket or None)
    group_buckets: list[str] = field(default_factory=list)
    disagreement_places: list[tuple[str | None, str | None]] = field(default_factory=list)


def bucket_of(c: Claim) -> str:
    """Figures can only be the same quantity within one metric and one country."""
    return f"{c['metric']}|{(c.get('place') or {}).get('country') or '-'}"


def reconcile(claims: Iterable[Claim], documents: Sequence[tuple[str, str, date | None]] = (),
              org_aliases: dict[str, str] | None = None, only_docs: Iterable[str] | None = None,
              only_buckets: Iterable[str] | None = None,
              copies: Sequence[Copy] | None = None, names: Names | None = None,
              copy_of: dict[str, str] | None = None,
              dates: dict[str, date | None] | None = None) -> Reconciliation:
    """Everything, or (for incremental updates) the disagreements of `only_docs` and the
    groups of `only_buckets`; the result is the same as a full run restricted to them.
    `copies`, when the caller knows them, stand for finding them in `documents`; `names`
    (who is who across the whole store), `copy_of` (each copied claim's original) and
    `dates` (of the documents) stand for working them out from `claims` and `documents`,
    when those hold only the claims of the documents and buckets wanted."""
    ordered = sorted(claims, key=lambda c: (c["doc"], c["evidence"]["start"], c["key"]))
    names = names or names_of(ordered, org_aliases)
    dates = dates if dates is not None else {d: day for d, _text, day in documents}
    out = Reconciliation(people={n: names.person(n) or n for n in names.people})
    if copies is not None:
        out.copies = sorted(copies, key=Copy.order)
    elif copy_of is None:
        out.copies = find_copies(documents) if documents else []
    out.copy_of = copy_of if copy_of is not None else link_copies(ordered, out.copies)
    docs_wanted = set(only_docs) if only_docs is not None else None
    buckets_wanted = set(only_buckets) if only_buckets is not None else None
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    by_bucket: dict[str, list[Claim]] = defaultdict(list)
    for c in ordered:
        by_doc[c["doc"]].append(c)
        by_bucket[bucket_of(c)].append(c)
    for doc in sorted(by_doc):
        if docs_wanted is None or doc in docs_wanted:
            for r in document_disagreements(by_doc[doc], names):
                out.disagreements.append(r)
                out.disagreement_places.append((doc, None))
    for bucket in sorted(by_bucket):
        if buckets_wanted is not None and bucket not in buckets_wanted:
            continue
        for g in group_claims(by_bucket[bucket], out.copy_of, names):
            out.groups.append(_group_record(g, names, out.copy_of))
            out.group_buckets.append(bucket)
            if len({c["doc"] for c in g}) > 1:
                for r in _cross_document(g, names, out.copy_of, dates):
                    out.disagreements.append(r)
                    out.disagreement_places.append((None, bucket))
    return out


# Sources ---------------------------------------------------------------------------------


def names_of(ordered: Sequence[Claim], org_aliases: dict[str, str] | None,
              names: Names | None = None) -> Names:
    names = names or Names(org_aliases)
    names.local_orgs = bare_heads(ordered)
    for c in ordered:  # first spellings name the clusters, in document order
        names.person((c.get("source") or {}).get("speaker"))
        names.org_of(c)
    return names


def bare_heads(claims: Sequence[Claim]) -> dict[tuple[str, str], str]:
    """'The interior ministry said ...', later 'the ministry put the number at ...': one
    source, one name. A generic body named alone is the document's one body of that kind
    named in full; where it names two ministries, 'the ministry' stays as written."""
    fuller: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in claims:
        org = (c.get("source") or {}).get("org") or ""
        words = org.split()
        if len(words) > 1 and words[-1].lower() in GENERIC_BODIES:
            fuller[(c["doc"], words[-1].lower())].add(org)
    return {key: next(iter(names)) for key, names in fuller.items() if len(names) == 1}


def source_names(claims: Iterable[Claim], org_aliases: dict[str, str] | None = None
                 ) -> Callable[[Claim], str]:
    """The name each view gives a claim's source, the same one reconciliation gives it in
    groups and disagreements: one name per source everywhere."""
    ordered = sorted(claims, key=lambda c: (c["doc"], c["evidence"]["start"], c.get("key", "")))
    names = names_of(ordered, org_aliases)
    return lambda c: speaker_or_org(c, names)


def independent_source(c: Claim, names: Names) -> tuple[str, ...]:
    """Who a figure's independence rests on: the organisation a speaker speaks for (a
    spokesman and his ministry are one source), else the person, else the outlet named,
    else the article itself."""
    s = c.get("source") or {}
    org = names.org_of(c)
    if org:
        return ("org", org)
    speaker = names.person(s.get("speaker"))
    if speaker:
        return ("person", speaker)
    if s.get("via"):
        return ("outlet", str(s["via"]).lower())
    return ("article", c["doc"])


def source_of(c: Claim, names: Names) -> tuple[str, ...]:
    s = c.get("source") or {}
    speaker = names.person(s.get("speaker"))
    if speaker:
        return ("person", speaker)
    org = names.org_of(c)
    if org:
        return ("org", org)
    return ("side", s.get("side") or "unknown", c["doc"])


def speaker_or_org(c: Claim, names: Names | None = None) -> str:
    s = c.get("source") or {}
    if s.get("speaker"):
        return (names.person(s["speaker"]) if names else None) or s["speaker"]
    if s.get("org"):
        return (names.org_of(c) if names else None) or s["org"]
    via = f", via {s['via']}" if s.get("via") else ""
    return f"unattributed ({s.get('side') or 'unknown'}{via})"


def _same_source(a: Claim, b: Claim, names: Names) -> bool:
    sa, sb = source_of(a, names), source_of(b, names)
    if sa == sb:
        return True
    # a spokesman speaks for his organisation: "Arian" and "Ministry of Interior"
    oa, ob = names.org_of(a), names.org_of(b)
    if not (oa and ob):
        return False
    if oa == ob:
        return True
    # "the ministry" later in an article is the ministry named before it
    la, lb = oa.lower(), ob.lower()
    return (la in GENERIC_BODIES and la in lb) or (lb in GENERIC_BODIES and lb in la)


# Compatibility ---------------------------------------------------------------------------


def _same_thing(a: Claim, b: Claim) -> bool:
    """Could these two figures count the same quantity?"""
    if a["metric"] != b["metric"] or bool(a.get("rate")) != bool(b.get("rate")):
        return False
    return _same_context(a, b)


def _same_context(a: Claim, b: Claim) -> bool:
    ga = (a.get("victim") or {}).get("group") or "unknown"
    gb = (b.get("victim") or {}).get("group") or "unknown"
    # "four people" (or victims not described at all) says nothing of who they were: it may
    # count anyone; otherwise unnamed victims may be civilians, not soldiers or militants
    if ga != gb and not ({ga, gb} <= {"unknown", "civilians"}) and \
            not (_nonspecific(a) or _nonspecific(b)):
        return False
    pa, pb = (a.get("perpetrator") or {}).get("actor"), (b.get("perpetrator") or {}).get("actor")
    if pa and pb and pa.lower() != pb.lower():
        return False
    if not same_victims(a, b):
        return False  # "Russian soldiers" and "Ukrainian soldiers": two sides' dead
    if a.get("kind") != b.get("kind") and not _one_span(a, b):
        return False
    la, lb = a.get("place") or {}, b.get("place") or {}
    for key in ("country", "admin1"):
        if la.get(key) and lb.get(key) and la[key] != lb[key]:
            return False
    return _periods_meet(a, b)


def _one_span(a: Claim, b: Claim) -> bool:
    """One article's figures for the same named span ("last month"), or where one of them
    names no span, count the same deaths whether the text tells them as one massacre or as
    a toll: "incident" and "aggregate" are then two readings of one quantity, not two
    quantities ("only 120 and not 300 were taken" beside "300 taken on May 4")."""
    pa, pb = (a.get("period") or {}).get("text"), (b.get("period") or {}).get("text")
    return a["doc"] == b["doc"] and (not (pa and pb) or
                                     _period_words(str(pa)) == _period_words(str(pb)))


_NONSPECIFIC = re.compile(r"\b(people|persons?|victims|individuals)\b", re.I)


def _nonspecific(c: Claim) -> bool:
    v = c.get("victim") or {}
    if not v.get("text"):
        return (v.get("group") or "unknown") == "unknown"
    return bool(_NONSPECIFIC.search(v["text"]))


def _same_sentence(a: Claim, b: Claim) -> bool:
    """Figures of one sentence are parts or different things ("9 women and 14 children",
    "four in Multan and two in Quetta"), never two accounts of one quantity."""
    return a["doc"] == b["doc"] and a["evidence"]["start"] == b["evidence"]["start"]


_DAY = (r"((?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:jan|feb|mar|apr|"
        r"may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}\s+(?:jan|feb|mar|apr|may|"
        r"jun|jul|aug|sep|oct|nov|dec)[a-z]*)")
_SPECIFIC_DAY = re.compile(r"^(?:on\s+|late\s+|early\s+|earlier\s+)*" + _DAY, re.I)
# undated articles: "overnight Friday" and "on Monday" are two different events
_NAMED_DAY = re.compile(r"^(?:on\s+|late\s+|early\s+|earlier\s+|overnight\s+|last\s+|"
                        r"(?:the\s+)?night\s+of\s+)*" + _DAY, re.I)


def _periods_meet(a: Claim, b: Claim) -> bool:
    pa, pb = a.get("period") or {}, b.get("period") or {}
    if not (pa.get("start") and pa.get("end") and pb.get("start") and pb.get("end")):
        if a.get("kind") == b.get("kind") == "aggregate" and \
                _CALENDAR.search(pa.get("text") or "") and _CALENDAR.search(pb.get("text") or "") \
                and _period_words(pa["text"]) != _period_words(pb["text"]):
            return False  # totals "in March 2022" and "in these two years": different spans
        # undated articles: two different named days are two different events
        da = _NAMED_DAY.match(pa.get("text") or "")
        db = _NAMED_DAY.match(pb.get("text") or "")
        return not (da and db and da.group(1).lower() != db.group(1).lower())
    if a.get("kind") == b.get("kind") == "aggregate" and \
            (pa["start"], pa.get("end")) != (pb["start"], pb.get("end")) and \
            pa.get("end") and pb.get("end") and _inside(pa, pb):
        return False  # "so far this year" is a part of "since 1994", not another account of it
    if a["doc"] == b["doc"] and a.get("kind") == "incident" and \
            (pa["start"], pa["end"]) != (pb["start"], pb["end"]) and \
            _SPECIFIC_DAY.match(pa.get("text") or "") is None and \
            _SPECIFIC_DAY.match(pb.get("text") or "") is None and _inside(pa, pb):
        # one article's "at the weekend" and "overnight Friday": a part of the whole
        return False
    return pa["start"] <= pb["end"] and pb["start"] <= pa["end"]


_CALENDAR = re.compile(r"\b(?:\d{4}|years?|months?|weeks|days|since|fortnight|january|february|march|april|may|"
                       r"june|july|august|september|october|november|december)\b", re.I)


def _period_words(text: str) -> str:
    return re.sub(r"^(?:in|during|over|on|since|for|of|the|this|that)\s+", "",
                  text.lower().strip(), count=3)


def _inside(pa: dict[str, Any], pb: dict[str, Any]) -> bool:
    """One period strictly within the other."""
    return (pb["start"] <= pa["start"] and pa["end"] <= pb["end"]) or \
        (pa["start"] <= pb["start"] and pb["end"] <= pa["end"])


# Groups ----------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller key is the root: the result does not depend on arrival order
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def group_claims(claims: Sequence[Claim], copy_of: dict[str, str] | None = None,
                 names: Names | None = None) -> list[list[Claim]]:
    """Claims about the same quantity. Within a document, any two compatible figures;
    across documents, only figures with dated, overlapping periods in the same place
    (or a syndicated copy and its original), so that undated figures from different
    articles are never merged on a guess."""
    names = names or Names()
    asserted = sorted((c for c in claims if c.get("stance", "asserted") == "asserted"),
                      key=lambda c: c["key"])
    uf = _UnionFind(c["key"] for c in asserted)
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
    earlier = {c["key"] for c in asserted if mark(c) == "earlier"}
    for members in by_doc.values():
        # complete link: a figure joins a group only if it fits every member, so that an
        # unattributed figure cannot bridge two different quantities
        clusters: list[list[Claim]] = []
        for c in sorted(members, key=lambda c: (c["evidence"]["start"], c["key"])):
            for cl in clusters:
                # an earlier toll, replaced by what followed, does not decide what the
                # later figures count
                deciding = [m for m in cl if m["key"] not in earlier] or cl
                if all(_same_thing(c, m) and _two_accounts_or_apart(c, m, names)
                       for m in deciding):
                    cl.append(c)
                    uf.union(cl[0]["key"], c["key"])
                    break
            else:
                clusters.append([c])
    for members in blocks.values():
        _join_across_documents(members, uf)
    groups: dict[str, list[Claim]] = defaultdict(list)
    for c in asserted:
        groups[uf.find(c["key"])].append(c)
    return [sorted(g, key=lambda c: c["key"]) for _, g in sorted(groups.items())]


_Members = dict[str, Claim]  # claim key -> claim, of one group, in one sub-block


def _join_across_documents(members: list[Claim], uf: _UnionFind) -> None:
    """Join the figures of one block (metric, rate, country, kind) that other articles
    give for overlapping periods: the groups that come out are those of comparing every
    overlapping pair, at a cost near linear even when thousands fall on one day.

    A sweep by start date keeps the figures whose period is still open. They are held by
    sub-block, the attributes `_same_context` needs to agree (perpetrator, victims,
    province), so a figure meets only the sub-blocks it could fit; and within one by group
    so far, so that it is compared with a group already joined to its own not at all, and
    with another group only until one member fits: one fit joins the groups."""
    members.sort(key=lambda c: (c["period"]["start"], c["key"]))
    open_by_sub: dict[tuple[Any, ...], dict[str, _Members]] = {}
    tree: dict[Any, dict[Any, dict[Any, dict[str, _Members]]]] = {}
    subs_of: dict[str, set[tuple[Any, ...]]] = defaultdict(set)  # group root -> its sub-blocks
    closing: list[tuple[str, str, tuple[Any, ...]]] = []  # (period end, key, sub-block)

    def merge(r: str, rc: str) -> str:
        uf.union(r, rc)
        root = uf.find(rc)
        gone = r if root == rc else rc
        for sub in subs_of.pop(gone, set()):
            by_root = open_by_sub[sub]
            moved = by_root.pop(gone, None)
            if moved is None:
                continue
            kept = by_root.get(root)
            if kept is None:
                by_root[root] = moved
            else:
                if len(kept) < len(moved):
                    kept, moved = moved, kept
                kept.update(moved)
                by_root[root] = kept
            subs_of[root].add(sub)
        return root

    sub_of = {c["key"]: _sub_block(c) for c in members}
    for c in members:
        start = c["period"]["start"]
        while closing and closing[0][0] < start:
            _, key, sub = heapq.heappop(closing)
            closed_in = open_by_sub[sub]
            r = uf.find(key)
            left = closed_in[r]
            del left[key]
            if not left:
                del closed_in[r]
                subs_of[r].discard(sub)
        rc = uf.find(c["key"])
        for fitting in _fitting_subs(sub_of[c["key"]], tree):
            for r in list(fitting):
                held = fitting.get(r)
                if r == rc or held is None:
                    continue
                if any(a["doc"] != c["doc"] and _same_thing(a, c) for a in held.values()):
                    rc = merge(r, rc)
        sub = sub_of[c["key"]]
        own = open_by_sub.get(sub)
        if own is None:
            own = open_by_sub[sub] = {}
            tree.setdefault(sub[0], {}).setdefault(sub[1], {})[sub[2]] = own
        own.setdefault(rc, {})[c["key"]] = c
        subs_of[rc].add(sub)
        heapq.heappush(closing, (c["period"]["end"], c["key"], sub))


_ANY_VICTIMS = "*"  # "four people": may count anyone


def _sub_block(c: Claim) -> tuple[Any, Any, Any]:
    """(perpetrator, victims, province): the attributes two figures of one block must not
    contradict (`_same_context`); None where the figure leaves it open."""
    actor = (c.get("perpetrator") or {}).get("actor")
    victims = _ANY_VICTIMS if _nonspecific(c) else (c.get("victim") or {}).get("group") or \
        "unknown"
    return (actor.lower() if actor else None, victims, (c.get("place") or {}).get("admin1") or None)


def _fitting_subs(sub: tuple[Any, Any, Any],
                  tree: dict[Any, dict[Any, dict[Any, dict[str, _Members]]]]
                  ) -> list[dict[str, _Members]]:
    """The sub-blocks whose figures `_same_context` does not rule out, by perpetrator,
    victims or province, for a figure of sub-block `sub`: a figure that names one fits
    that one and those that name none."""
    actor, victims, admin1 = sub
    out = []
    for a in (tree if actor is None else (actor, None)):
        by_victims = tree.get(a)
        if by_victims is None:
            continue
        if victims == _ANY_VICTIMS:
            fitting = list(by_victims)
        elif victims in ("unknown", "civilians"):
            fitting = [victims, _ANY_VICTIMS, "civilians" if victims == "unknown" else "unknown"]
        else:
            fitting = [victims, _ANY_VICTIMS]
        for v in fitting:
            by_admin1 = by_victims.get(v)
            if by_admin1 is None:
                continue
            for p in (by_admin1 if admin1 is None else (admin1, None)):
                by_root = by_admin1.get(p)
                if by_root:
                    out.append(by_root)
    return out


def _two_accounts_or_apart(a: Claim, b: Claim, names: Names) -> bool:
    """Figures of one sentence from one source are parts or different things ("9 women and
    14 children", "four in Multan and two in Quetta"); from two sources ("police said
    20, while residents said 30") they are two accounts of one quantity."""
    return not _same_sentence(a, b) or not _same_source(a, b, names) or \
        _body_count(a) != _body_count(b) or "earlier" in (mark(a), mark(b))


def independent_sources(g: Sequence[Claim], names: Names, copy_of: dict[str, str]
                        ) -> set[tuple[str, ...]]:
    """The distinct organisations, people and outlets behind a group's figures. A copy of
    another article counts for nothing, and an article's own voice counts only where it
    quotes no one else for the figure: a reporter restating the police is still the police."""
    originals = [c for c in g if c["key"] not in copy_of]
    found = {independent_source(c, names) for c in originals}
    quoted = {c["doc"] for c in originals if independent_source(c, names)[0] != "article"}
    return {s for s in found if not (s[0] == "article" and s[1] in quoted)}


def _group_record(g: list[Claim], names: Names, copy_of: dict[str, str]) -> dict[str, Any]:
    independent = independent_sources(g, names, copy_of)
    # as casualty recorders report a range: the lowest and the highest figure given
    lows = [c["value"]["low"] if c["value"].get("low") is not None else c["value"].get("high")
            for c in g]
    highs = [c["value"].get("high") for c in g]
    first = g[0]
    return {
        "key": first["key"], "metric": first["metric"],
        "victim": next((c["victim"]["group"] for c in g
                        if (c.get("victim") or {}).get("group") not in (None, "unknown")), None),
        "perpetrator": next((c["perpetrator"]["actor"] for c in g
                             if (c.get("perpetrator") or {}).get("actor")), None),
        "place": next(((c.get("place") or {}) for c in g if (c.get("place") or {}).get("country")),
                      {}),
        "period": next(((c.get("period") or {}) for c in g if (c.get("period") or {}).get("text")),
                       {}),
        "docs": sorted({c["doc"] for c in g}),
        "min": min((x for x in lows if x is not None), default=None),
        "max": None if any(h is None for h in highs) else max(h for h in highs if h is not None),
        "independent_sources": len(independent),
        "sides": sorted({side_label(c) for c in g}),
        "values": [{"key": c["key"], "id": c.get("id") or None, "doc": c["doc"],
                    "value": c["value"],
                    "source": speaker_or_org(c, names), "side": side_label(c),
                    "copy_of": copy_of.get(c["key"]),
                    "sentence": c["evidence"].get("sentence")} for c in g],
    }


# Disagreements in one document -----------------------------------------------------------


def _brief(c: Claim, names: Names) -> dict[str, Any]:
    """A claim as a disagreement names it: its id (claims.claim_id, the one exports and the
    API give it), its source's one name and side, and where its sentence is in the text."""
    v, ev = c.get("value") or {}, c.get("evidence") or {}
    return {"doc": c["doc"], "metric": c["metric"], "low": v.get("low"), "high": v.get("high"),
            "stance": c.get("stance", "asserted"), "speaker_or_org": speaker_or_org(c, names),
            "side": side_label(c), "id": c.get("id") or None, "key": c["key"],
            "sentence": ev.get("sentence"), "start": ev.get("start"), "end": ev.get("end")}


def _record(kind: str, claims: Sequence[Claim], why: str, names: Names) -> dict[str, Any]:
    docs = {c["doc"] for c in claims}
    return {"doc": docs.pop() if len(docs) == 1 else None, "kind": kind,
            "claims": [_brief(c, names) for c in claims], "why": why}


def document_disagreements(claims: list[Claim], names: Names) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    asserted = [c for c in claims if c.get("stance", "asserted") == "asserted"]
    out.extend(_denials(claims, asserted, names))
    groups = group_claims(asserted, names=names)
    counters = _counter_figures(claims, asserted, groups, names)
    answering = {c["key"] for c, _ in counters}
    for g in groups:
        out.extend(_within_group(g, names, asserted, answering))
    for c, against in counters:
        figures = "; ".join(dict.fromkeys(f"{speaker_or_org(t, names)}: {describe(t)}"
                                          for t in against))
        out.append(_record("conflict", against + [c], f"a denial with a figure of its own: "
                           f"{speaker_or_org(c, names)}: {describe(c)} {c['metric']}, against "
                           f"{figures}", names))
    out.extend(_sums(asserted, groups, names))
    out.extend(_parts_over_whole(asserted, names))
    out.extend(_rates(asserted, names))
    return out


def _denial_targets(d: Claim, asserted: list[Claim], names: Names) -> list[Claim]:
    """The asserted figures a denial rejects: the same count of the same thing, put forward
    by someone else (a source does not deny itself)."""
    def fits(a: Claim) -> bool:
        if a["metric"] != d["metric"] or _value_key(a) != _value_key(d) or \
                _same_source(a, d, names):
            return False
        la, ld = a.get("place") or {}, d.get("place") or {}
        ga, gd = (a.get("victim") or {}).get("group"), (d.get("victim") or {}).get("group")
        return not (a.get("kind") and d.get("kind") and a["kind"] != d["kind"]) and \
            not (ga and gd and "unknown" not in (ga, gd) and ga != gd) and \
            all(not (la.get(k) and ld.get(k) and la[k] != ld[k]) for k in ("country", "admin1"))
    return [a for a in asserted if fits(a)]


def _denials(claims: list[Claim], asserted: list[Claim], names: Names) -> list[dict[str, Any]]:
    """One record per denial. A denial of an attack yields a denied copy of each figure of
    it ("reports of the strike were fake news"): the copies of one statement, and the
    statements that reject the same asserted figure, are one denial, not one each; a
    statement that rejects "the figures" rejects each count, one record per count."""
    denied = [d for d in claims if d.get("stance") == "denied"]
    targets = {d["key"]: _denial_targets(d, asserted, names) for d in denied}
    denied = [d for d in denied if targets[d["key"]]]
    uf = _UnionFind(d["key"] for d in denied)
    for i, a in enumerate(denied):
        for b in denied[i + 1:]:
            one_statement = _same_sentence(a, b) and _same_source(a, b, names)
            if (a["metric"] == b["metric"] and (
                    one_statement or
                    {t["key"] for t in targets[a["key"]]} & {t["key"] for t in targets[b["key"]]})
                    ) or (one_statement and not _rejects_figures(a)):
                uf.union(a["key"], b["key"])
    _join_denied_parts(denied, targets, uf)
    clusters: dict[str, list[Claim]] = defaultdict(list)
    for d in denied:
        clusters[uf.find(d["key"])].append(d)
    out = []
    for _, ds in sorted(clusters.items()):
        ds.sort(key=lambda c: (c["evidence"]["start"], c["key"]))
        rejected = sorted({t["key"]: t for d in ds for t in targets[d["key"]]}.values(),
                          key=lambda c: (c["evidence"]["start"], c["key"]))
        d, a = ds[0], rejected[0]
        figures = ", ".join(dict.fromkeys(f"{describe(t)} {t['metric']}" for t in rejected))
        out.append(_record("denial", rejected + ds, f"{speaker_or_org(d, names)} rejected what "
                           f"{speaker_or_org(a, names)} reported: {figures}", names))
    return out


_FIGURES = re.compile(r"\b(?:reject|den[iy]|dismiss|disput|refut|contest|challeng)\w*\s+"
                      r"(?:[\w'’-]+\s+){0,4}?(?:figures|numbers|tolls|tallies|statistics)\b", re.I)


def _rejects_figures(d: Claim) -> bool:
    """'rejected the government's figures' rejects each figure: one denial per count. A
    statement that rejects a report, a claim or the act itself ("called the reports lies",
    "denied the claim") is one denial, whatever figures the report gave."""
    return bool(_FIGURES.search((d.get("evidence") or {}).get("sentence") or ""))


def _counter_figures(claims: list[Claim], asserted: list[Claim], groups: list[list[Claim]],
                     names: Names) -> list[tuple[Claim, list[Claim]]]:
    """"The militia denied the raid, saying crossfire caused only five deaths": the
    figure a denier gives beside its denial counts what it denies, whatever period or kind
    it is read with. Each such counter-figure, with the denied figures it cannot agree
    with, unless they already stand in one figure group (whose record then says it)."""
    group_of = {c["key"]: i for i, g in enumerate(groups) for c in g}
    out: list[tuple[Claim, list[Claim]]] = []
    done: set[str] = set()
    for d in (c for c in claims if c.get("stance") == "denied"):
        targets = _denial_targets(d, asserted, names)
        for c in asserted:
            if c["key"] in done or not (_same_sentence(c, d) and c["metric"] == d["metric"]
                                        and _same_source(c, d, names) and _counted(c)):
                continue
            against = [t for t in targets if not compatible(c, t)]
            if against and all(group_of.get(t["key"]) != group_of.get(c["key"])
                               for t in against):
                done.add(c["key"])
                out.append((c, against))
    return out


def _join_denied_parts(denied: list[Claim], targets: dict[str, list[Claim]],
                       uf: _UnionFind) -> None:
    """'Two women and five children' denied beside 'seven civilians' denied: the parts of a
    count are the same denial as the count."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    for d in denied:
        groups[uf.find(d["key"])].append(d)
    wholes = {point(t): root for root, ds in groups.items() for d in ds
              for t in targets[d["key"]]}
    for root, ds in groups.items():
        values = {_value_key(t): point(t) or 0 for d in ds for t in targets[d["key"]]}
        total = sum(values.values())
        other = wholes.get(total)
        if len(values) > 1 and other is not None and other != root and \
                groups[other][0]["metric"] == ds[0]["metric"]:
            uf.union(root, other)


_BODIES = re.compile(r"\b(bod(?:y|ies)|cadavers?|corpses?|remains)\b", re.I)


def _body_count(c: Claim) -> bool:
    """Bodies counted against a toll announced: worth showing even from one source. What
    is counted is the noun after the figure ("recovered 10 cadavers")."""
    at = figure_at(c)
    sentence = (c.get("evidence") or {}).get("sentence") or ""
    after = " ".join(sentence[at:].split()[:4]) if at is not None else ""
    return any(_BODIES.search(t) for t in ((c.get("victim") or {}).get("text") or "",
                                          (c.get("value") or {}).get("text") or "", after))


def _account(c: Claim) -> bool:
    """An account of its own: a figure someone is said to give ("police said", "reports
    that ..."); the reporter's own voice mostly restates the sources it quotes."""
    return c.get("attribution") != "unattributed"


_NUMBERED = re.compile(rf"\d|\b(?:{NUMBER_WORDS}|no|none|nobody|zero)\b", re.I)


def _counted(c: Claim) -> bool:
    """A figure written as a number. "Paktiawal was injured" names one of the wounded; it
    does not say that no one else was, so it is no count to set against "two injured"."""
    return bool(_NUMBERED.search((c.get("value") or {}).get("text") or ""))


def _parts_of(a: Claim, b: Claim, claims: list[Claim]) -> bool:
    """'arrested six' and 'four in Multan and two in Quetta': parts that sum to the
    whole do not contradict it."""
    for whole, part in ((a, b), (b, a)):
        # parts count what the whole counts: "17 police and five civilians" are not parts
        # of "more than 17 police"
        siblings = [c for c in claims if _same_sentence(c, part) and c["metric"] == part["metric"]
                    and _same_source(c, part, Names())
                    and (_group_of(c) == _group_of(whole) or "unknown" in (_group_of(c),
                                                                           _group_of(whole)))]
        total = sum(point(c) or 0 for c in siblings)
        if len(siblings) > 1 and interval(whole)[0] <= total <= interval(whole)[1]:
            return True
    return False


_ADDED_BEFORE = re.compile(r"\b(?:another|a further|an additional|a second|a third)\s+$", re.I)
_ADDED_AFTER = re.compile(r"^\s+(?:more\b(?!\s+than)|additional\b|further\b)", re.I)


def _added(c: Claim) -> bool:
    """"Three more deaths", "another three": a figure added to others, a part of a total."""
    at = figure_at(c)
    if at is None:
        return False
    sentence = (c.get("evidence") or {}).get("sentence") or ""
    text = (c.get("value") or {}).get("text") or ""
    return bool(_ADDED_BEFORE.search(sentence[:at]) or
                _ADDED_AFTER.match(sentence[at + len(text):]))


_INCLUDING = re.compile(r"\b(?:including|among them|among whom|of whom|of them|among those)\b"
                        r"(?P<rest>.*)", re.I | re.S)


def _named_in_whole(part: Claim, whole: Claim) -> bool:
    """'Six guards, including two officers' names a part of its own: 'the two officers'
    told later is that part, not a second account of the six; 'the officers and their
    four drivers' is the rest of it (four and the two officers make the six)."""
    number = ((part.get("value") or {}).get("text") or "").lower().split()
    seen = set(re.findall(r"[\w-]+", ((part.get("victim") or {}).get("text") or "").lower()))
    if not number:
        return False
    for rest in _subsets_named(whole):
        if any(rest[i:i + len(number)] == number and i + len(number) < len(rest)
               and rest[i + len(number)].strip(",") in seen - set(number)
               for i in range(len(rest))):
            return True
        named, noun = _first_count(rest)
        sentence = ((part.get("evidence") or {}).get("sentence") or "").lower()
        if named and noun and point(whole) == (point(part) or 0) + named and \
                re.search(rf"\b{re.escape(noun)}\b", sentence):
            return True
    return False


def _subsets_named(whole: Claim) -> list[list[str]]:
    """The words after 'including', 'among them' in the whole's victims or right after its
    figure in its sentence."""
    texts = [(whole.get("victim") or {}).get("text") or ""]
    at = figure_at(whole)
    if at is not None:
        texts.append(((whole.get("evidence") or {}).get("sentence") or "")[at:at + 120])
    out = []
    for t in texts:
        m = _INCLUDING.search(t)
        if m:
            out.append(re.findall(r"[\w,-]+", m.group("rest").lower()))
    return out


def _first_count(words: list[str]) -> tuple[int, str | None]:
    """'two generals were killed' -> (2, 'generals')."""
    for i, w in enumerate(words[:3]):
        n = int(w) if w.isdigit() else UNITS.get(w)
        if n and i + 1 < len(words):
            return n, words[i + 1].strip(",")
    return 0, None


_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


def _siblings(part: Claim, claims: list[Claim], names: Names) -> list[Claim]:
    """The other parts its source gives with it in one sentence ("9 women and 14
    children"): the same metric, and victims of one kind. Figures told "respectively" are
    each its own count ("the two monitors gave 41 and 38, respectively"), not parts."""
    if _RESPECTIVELY.search((part.get("evidence") or {}).get("sentence") or ""):
        return []
    return [s for s in claims if s is not part and _same_sentence(s, part)
            and s["metric"] == part["metric"] and _same_source(s, part, names)
            and (_group_of(s) == _group_of(part) or "unknown" in (_group_of(s),
                                                                  _group_of(part)))]


def _breakdown(c: Claim, claims: list[Claim], names: Names) -> list[Claim]:
    """The parts a figure is one of, itself included, in text order; [c] when it is a
    whole of its own (or the total its sentence breaks down)."""
    # a count mirrored in its sentence ("60 prisoners freed in exchange for 60") and bodies
    # found beside a toll claimed are no parts of one sum; nor is "a different account"
    siblings = [s for s in _siblings(c, claims, names)
                if point(s) != point(c) and _body_count(s) == _body_count(c)]
    if not siblings or _told_as_other(c) or _total_of_sentence(c, siblings + [c]) or \
            any(_total_of_sentence(s, siblings + [c]) for s in siblings):
        return [c]
    return sorted(siblings + [c], key=_order)


def _as_told(c: Claim, claims: list[Claim], names: Names) -> str:
    """A figure as the analyst should read it: a part with the sum of its parts
    ("10 + 12 = 22"), else as written."""
    parts = _breakdown(c, claims, names)
    if len(parts) == 1:
        return describe(c)
    return f"{' + '.join(describe(p) for p in parts)} = {sum(interval(p)[0] for p in parts):.0f}"


def _a_span_of(part: Claim, whole: Claim) -> bool:
    """'Close to 900 killed over the past three days' beside a total that names no span:
    the days counted may be a part of what the other total covers, so a smaller count for
    them is no contradiction of it."""
    pp, pw = part.get("period") or {}, whole.get("period") or {}
    return part.get("kind") == whole.get("kind") == "aggregate" and \
        bool(pp.get("text") and pp.get("start")) and not pw.get("text") and \
        interval(part)[1] < interval(whole)[0]


def _a_part_below(part: Claim, whole: Claim, claims: list[Claim], names: Names) -> bool:
    """A part set against a larger whole is no contradiction: "nine women and fourteen
    children" beside a toll of 25, or "two more deaths" beside "at least nine". Whether
    the parts add up is checked as arithmetic, not as two accounts."""
    if _a_span_of(part, whole):
        return True
    if interval(part)[1] >= interval(whole)[0] or _body_count(part) != _body_count(whole):
        return False  # "only 10 bodies" of "about two dozen killed" is the point, not a part
    siblings = _siblings(part, claims, names)
    together = sum(interval(x)[0] for x in siblings + [part])
    return _added(part) or _named_in_whole(part, whole) or (bool(siblings) and not _total_of_sentence(part, siblings + [part])
                            and together <= interval(whole)[1])  # parts fit in their whole


def _order(c: Claim) -> tuple[int, int, str]:
    return (c["evidence"]["start"], figure_at(c) or 0, c["key"])


def _revisions(g: list[Claim], names: Names) -> list[tuple[Claim, Claim]]:
    """(earlier, later) pairs: a figure the text calls earlier and the one that replaced
    it, or an update ("has risen to 20") and the figure before it in the text. Which came
    first is what the text says, not where the figures stand ("an earlier report cited
    492" after "the toll has risen to 558")."""
    marks = {c["key"]: mark(c) for c in g}
    pairs: list[tuple[Claim, Claim]] = []

    def rank(e: Claim, c: Claim) -> tuple[Any, ...]:
        return (marks[c["key"]] != "later", not _same_source(e, c, names),
                _group_of(c) != _group_of(e), abs(c["evidence"]["start"] - e["evidence"]["start"]),
                c["key"])
    for e in (c for c in g if marks[c["key"]] == "earlier"):
        later = [c for c in g if marks[c["key"]] != "earlier" and _changed(e, c)
                 and _may_revise(e, c, names)]
        if later:
            pairs.append((e, min(later, key=lambda c: rank(e, c))))
    paired = {b["key"] for _, b in pairs}
    for u in (c for c in g if marks[c["key"]] == "later" and c["key"] not in paired):
        before = [c for c in g if _order(c) < _order(u) and marks[c["key"]] != "later"
                  and _changed(c, u) and _may_revise(c, u, names)
                  and not any(c is e for e, _ in pairs)]
        if before:
            pairs.append((min(before, key=lambda c: (_group_of(c) != _group_of(u),
                                                     not _same_source(u, c, names),
                                                     tuple(-x for x in _order(c)[:2]))), u))
    return pairs


def _changed(a: Claim, b: Claim) -> bool:
    """A new value: not the same figure, and not a vague word the figure fills in
    ("dozens" and 33)."""
    vague = "vague" in ((a.get("value") or {}).get("qualifier"), (b.get("value") or {}).get("qualifier"))
    return not compatible(a, b) or (not vague and point(a) != point(b))


def _may_revise(a: Claim, b: Claim, names: Names) -> bool:
    """A toll is revised by its own source, or replaced by a later count of the same
    party (a ministry's toll after its civil defence's, a wire's count after the police's):
    the other side's figure, or a UN inquiry's after a government's, is a second account
    and a disagreement, not a revision."""
    return _same_source(a, b, names) or one_party(a, b)


def _group_of(c: Claim) -> str:
    return (c.get("victim") or {}).get("group") or "unknown"


def _what(c: Claim) -> str:
    return "event" if c.get("kind") == "incident" else "total"


def _within_group(g: list[Claim], names: Names, all_claims: list[Claim],
                  answering: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    out = []
    g = sorted(g, key=_order)
    seen: set[frozenset[tuple[Any, ...]]] = set()
    superseded: set[str] = set()
    for a, b in _revisions(g, names):
        superseded.add(a["key"])
        values = frozenset((_value_key(a), _value_key(b)))
        if values in seen:
            continue
        seen.add(values)
        if _same_source(a, b, names):
            why = (f"{speaker_or_org(b, names)} revised the figure: {describe(a)} {a['metric']} "
                   f"at first, {describe(b)} later")
        else:
            why = (f"an earlier figure was replaced: {speaker_or_org(a, names)} first gave "
                   f"{describe(a)} {a['metric']}, {speaker_or_org(b, names)} later "
                   f"{describe(b)}")
        out.append(_record("revision", [a, b], why, names))
    current = [c for c in g if c["key"] not in superseded]
    clash = spread = rival = None
    for i, a in enumerate(current):
        for b in current[i + 1:]:
            if not (_account(a) and _account(b) and _counted(a) and _counted(b)) or \
                    {a["key"], b["key"]} & answering:
                continue  # a denier's counter-figure is set against what it denies
            told_apart = _told_as_other(a) or _told_as_other(b)
            apart = not _same_source(a, b, names) or _body_count(a) != _body_count(b) or \
                told_apart
            if not compatible(a, b):
                if clash is None and apart and (told_apart or (
                        not _parts_of(a, b, all_claims) and
                        not _a_part_below(a, b, all_claims, names) and
                        not _a_part_below(b, a, all_claims, names))):
                    clash = (a, b)
            elif apart and rival is None and _set_against(a, b, names):
                rival = (a, b)
                spread = spread or rival
            elif apart and spread is None and _closed(a, b) and \
                    (far_apart(a, b) or _hedge_stretched(a, b)):
                spread = (a, b)
    if clash is not None:
        a, b = clash
        # a part is told with the parts it adds up with, and they are named with it
        parts = [p for c in clash for p in _breakdown(c, all_claims, names)
                 if not any(p is m for m in current)]
        out.append(_record("conflict", current + parts, f"accounts differ: "
                           f"{speaker_or_org(a, names)}: {_as_told(a, all_claims, names)} "
                           f"{a['metric']}; {speaker_or_org(b, names)}: "
                           f"{_as_told(b, all_claims, names)}. Both cannot be true of the same "
                           f"{_what(a)}", names))
    if clash is not None:
        spread = rival if rival is not None and _another_pair(rival, clash, names) else None
    if spread is not None and spread is rival:
        old, new = sorted(spread, key=lambda c: mark(c) != "earlier")
        out.append(_record("divergence", current if clash is None else [old, new],
                           f"two counts of the same {_what(old)}: {speaker_or_org(old, names)} "
                           f"had earlier given {describe(old)} {old['metric']}, "
                           f"{speaker_or_org(new, names)} gives {describe(new)}; one source "
                           f"does not update the other's figure", names))
    elif spread is not None:
        a, b = spread
        out.append(_record("divergence", current if clash is None else [a, b], f"accounts far apart: "
                           f"{speaker_or_org(a, names)}: {describe(a)} {a['metric']}; "
                           f"{speaker_or_org(b, names)}: {describe(b)}. The hedges let both "
                           f"be true, but they do not tell the same story", names))
    return out


def _another_pair(pair: tuple[Claim, Claim], other: tuple[Claim, Claim], names: Names) -> bool:
    """Two sources far apart beside two that clash: a second disagreement when it is
    another source's account ("the Red Cross says at least 95, the militia six; the ministry
    had earlier said more than 200")."""
    sources = {source_of(c, names) for c in other}
    return any(source_of(c, names) not in sources for c in pair)


_OPEN = {"at_least", "more_than", "up_to", "fewer_than"}


def _closed(a: Claim, b: Claim) -> bool:
    """Two floors ("at least 76", "more than 400") are both true of any large toll, and a
    vague word ("dozens") is no figure to set against one: neither is a divergence."""
    qs = [(c.get("value") or {}).get("qualifier") for c in (a, b)]
    return "vague" not in qs and not all(q in _OPEN for q in qs)


_OTHER_ACCOUNT = re.compile(
    r"\b(?:a|another|their|his|her|its)\s+(?:different|conflicting|contrasting|contradictory|"
    r"separate|own)\s+(?:account|version|figure|toll|tally|count|number)s?\b|"
    r"\b(?:disputed|contradicted|contested)\b", re.I)


def _told_as_other(c: Claim) -> bool:
    """"A village head gave a different account, saying 35 were freed": the sentence itself sets
    the figure against the one before it, so it is another account whoever the source is
    taken to be, and not a part of the earlier figure."""
    at = figure_at(c)
    sentence = (c.get("evidence") or {}).get("sentence") or ""
    return at is not None and bool(_OTHER_ACCOUNT.search(sentence[:at]))


def _set_against(a: Claim, b: Claim, names: Names) -> bool:
    """"X had earlier said more than 200" beside another source's "at least 95": the text
    itself sets the two counts against each other, floors or not ("dozens" is no count)."""
    vague = "vague" in ((a.get("value") or {}).get("qualifier"), (b.get("value") or {}).get("qualifier"))
    return not vague and not _same_source(a, b, names) and point(a) != point(b) and \
        (mark(a) == "earlier") != (mark(b) == "earlier")


def _hedge_stretched(a: Claim, b: Claim) -> bool:
    """'13 killed' and 'at least nine': both can be true only because one source hedges;
    the accounts still differ. 'More than 2,000' beside 2,212 is the same figure rounded."""
    qa, qb = (a.get("value") or {}).get("qualifier"), (b.get("value") or {}).get("qualifier")
    if (qa in _OPEN) == (qb in _OPEN) or point(a) is None or point(b) is None:
        return False
    hedged, exact = (a, b) if qa in _OPEN else (b, a)
    if (exact.get("value") or {}).get("qualifier") not in ("exact", None):
        return False
    h, e = point(hedged) or 0, point(exact) or 0
    digits = len(str(int(h)))
    rounded = h >= 10 and h % 10 ** (digits - 1) == 0 and abs(e - h) <= 0.2 * h
    return h != e and not rounded


def _value_key(c: Claim) -> tuple[Any, ...]:
    return (c["metric"], c["value"].get("low"), c["value"].get("high"))


def _parts_over_whole(asserted: list[Claim], names: Names) -> list[dict[str, Any]]:
    """Parts one source gives together in a sentence ("40 by drones and more than 65
    by shelling") cannot add up to more than the whole it gives elsewhere. A sum below
    the whole is no contradiction: the parts named need not be all of it."""
    out = []
    by_sentence: dict[tuple[str, int, str], list[Claim]] = defaultdict(list)
    for c in asserted:
        if not c.get("rate"):
            by_sentence[(c["doc"], c["evidence"]["start"], c["metric"])].append(c)
    for parts in by_sentence.values():
        parts = [p for p in parts if _same_source(p, parts[0], names)]
        if len(parts) < 2:
            continue
        if any(_total_of_sentence(p, parts) for p in parts):
            continue  # "22 dead, 17 police and five civilians" is a whole and its parts
        low = sum(interval(p)[0] for p in parts)
        for whole in asserted:
            if _is_part(whole, by_sentence, names) or \
                    (point(whole) or 0) <= max(point(p) or 0 for p in parts):
                continue  # a whole is more than any of its parts
            if whole["metric"] != parts[0]["metric"] or whole.get("rate") or \
                    _same_sentence(whole, parts[0]) or not _same_source(whole, parts[0], names) \
                    or not all(_same_context(whole, p) and
                               _group_of(whole) in ("unknown", _group_of(p)) for p in parts):
                continue
            if low > interval(whole)[1]:
                terms = " + ".join(describe(p) for p in parts)
                out.append(_record("arithmetic", parts + [whole], f"the parts do not fit the "
                                   f"whole: {speaker_or_org(whole, names)} gives {terms} "
                                   f"{whole['metric']}, at least {low:.0f} together, but "
                                   f"{describe(whole)} in all", names))
    return out


_SUBSET = re.compile(r"^[^0-9]{0,40}?(?:including|among them|among whom|of them|of whom|"
                     r"comprising|consisting of|:|—|–)", re.I)


def _total_of_sentence(c: Claim, siblings: list[Claim]) -> bool:
    """The figure its sentence breaks down: followed by "including", "of them", a colon,
    or the exact sum of the others."""
    at = figure_at(c)
    sentence = (c.get("evidence") or {}).get("sentence") or ""
    if at is not None:
        after = sentence[at + len((c.get("value") or {}).get("text") or ""):]
        if _SUBSET.match(after):
            return True
    others = [point(s) or 0 for s in siblings if s is not c]
    return len(others) > 1 and point(c) == sum(others)


def _is_part(c: Claim, by_sentence: dict[tuple[str, int, str], list[Claim]],
             names: Names) -> bool:
    """One of several figures its source gives together, and not their total."""
    siblings = [s for s in by_sentence.get((c["doc"], c["evidence"]["start"], c["metric"]), [])
                if s is not c and _same_source(s, c, names)]
    return bool(siblings) and not _total_of_sentence(c, siblings + [c])


def _sums(asserted: list[Claim], groups: list[list[Claim]], names: Names
          ) -> list[dict[str, Any]]:
    """killed + wounded against a 'killed or wounded' total of the same people."""
    out = []
    group_of = {c["key"]: g for g in groups for c in g}
    killed = [c for c in asserted if c["metric"] == "killed" and not c.get("rate")]
    wounded = [c for c in asserted if c["metric"] == "wounded" and not c.get("rate")]
    for total in (c for c in asserted if c["metric"] == "casualties" and not c.get("rate")):
        pairs = [(k, w) for k in killed for w in wounded
                 if _same_context(k, total) and _same_context(w, total) and _same_context(k, w)
                 and _same_source(k, w, names) and not _narrower(total, k)]
        if not pairs:
            continue
        # the closest pair in the text (the figures given together), exact figures first:
        # "at least two" killed can be added to anything
        k, w = min(pairs, key=lambda p: (not (_exact(p[0]) and _exact(p[1])),
                                         abs(p[0]["evidence"]["start"] - p[1]["evidence"]["start"]),
                                         p[0]["key"], p[1]["key"]))
        (k0, k1), (w0, w1), (t0, t1) = interval(k), interval(w), interval(total)
        if k0 + w0 <= t1 and t0 <= k1 + w1:
            continue
        pk, pw = point(k) or 0, point(w) or 0
        sum_text = f"{pk:.0f} killed + {pw:.0f} wounded = {pk + pw:.0f}"
        involved = [c for c in group_of.get(k["key"], [k]) if c["metric"] == "killed"] + [w, total]
        if _same_source(k, total, names):
            out.append(_record("arithmetic", involved, f"{sum_text}, against the same source's "
                               f"{describe(total)} killed or wounded", names))
        else:
            out.append(_record("conflict", involved, f"{speaker_or_org(k, names)}: {sum_text}; "
                               f"{speaker_or_org(total, names)}: {describe(total)} killed or "
                               f"wounded", names))
    return out


def _narrower(a: Claim, b: Claim) -> bool:
    """A province's total is a part of the country's: "2,099 of them in Kandahar"."""
    return bool((a.get("place") or {}).get("admin1")) and not (b.get("place") or {}).get("admin1")


def _exact(c: Claim) -> bool:
    v = c["value"]
    return v.get("low") is not None and v.get("low") == v.get("high")


def _rates(asserted: list[Claim], names: Names) -> list[dict[str, Any]]:
    """'more than 30 raids every 24 hours' against '150 raids in the past week'."""
    out = []
    for r in (c for c in asserted if c.get("rate")):
        unit = UNIT_DAYS.get((r["rate"] or {}).get("per", ""), None)
        if not unit:
            continue
        for t in asserted:
            if t is r or t.get("rate") or t["metric"] != r["metric"]:
                continue
            side_r, side_t = r["source"].get("side"), t["source"].get("side")
            if not (_same_source(r, t, names) or (side_r == side_t and side_r == "government")):
                continue
            p = t.get("period") or {}
            if not _within_rate_period(r, t):
                continue
            days = length_days(p.get("text"), p.get("start"), p.get("end"))
            if not days or days < unit:
                continue
            (r0, r1), (t0, t1) = interval(r), interval(t)
            lo, hi = r0 * days / unit, r1 * days / unit
            if lo <= t1 and t0 <= hi:
                continue
            out.append(_record("arithmetic", [r, t], f"{describe(r)} {r['metric']} a "
                               f"{r['rate']['per']} is {lo:.0f} or more over {days} days, "
                               f"against {describe(t)} in {p.get('text') or 'that period'}", names))
    return out


def _within_rate_period(r: Claim, t: Claim) -> bool:
    """'an average of 163 a month in 2023' says nothing of March 2022: a rate given for a
    period of its own checks only totals inside it."""
    pr, pt = r.get("period") or {}, t.get("period") or {}
    if not pr.get("text"):
        return True
    if pr.get("start") and pr.get("end") and pt.get("start") and pt.get("end"):
        return pr["start"] <= pt["start"] and pt["end"] <= pr["end"]
    return _period_words(pr["text"]) == _period_words(pt.get("text") or "")


def _cross_document(g: list[Claim], names: Names, copy_of: dict[str, str],
                    dates: dict[str, date | None] | None = None) -> list[dict[str, Any]]:
    """Sources in different articles that disagree about the same quantity; one source
    whose figure changes from one article to a later one has revised it (in publication
    order: undated articles cannot be ordered, so they give no revision).

    Of each kind, the first pair of the group's originals (in key order) is told. A group
    may hold thousands of figures, so pairs are not tried in full: a revision is looked
    for only among figures of one source, and a conflict only from a figure some later one
    cannot agree with."""
    dates = dates or {}
    originals = [c for c in g if c["key"] not in copy_of]
    out: list[dict[str, Any]] = []
    revised = _first_revision(originals, names, dates)
    if revised is not None:
        a, b = revised
        da, db = dates[a["doc"]], dates[b["doc"]]
        assert da is not None and db is not None
        first, then = (a, b) if da < db else (b, a)
        out.append(_record("revision", [first, then], f"{speaker_or_org(then, names)} "
                           f"revised the figure from {describe(first)} "
                           f"({first['doc']}, {min(da, db)}) to {describe(then)} "
                           f"{then['metric']} ({then['doc']}, {max(da, db)})", names))
    clash = _first_conflict(originals, names)
    if clash is not None:
        a, b = clash
        out.append(_record("conflict", [a, b], f"{speaker_or_org(a, names)} ({a['doc']}) "
                           f"gives {describe(a)}, {speaker_or_org(b, names)} ({b['doc']}) "
                           f"{describe(b)} {a['metric']}: both cannot be true", names))
    return out


def _first_revision(originals: list[Claim], names: Names, dates: dict[str, date | None]
                    ) -> tuple[Claim, Claim] | None:
    """The first pair of one source's figures, changed, in articles dated on two days."""
    dated = [i for i, c in enumerate(originals) if dates.get(c["doc"])]
    if len({dates[originals[i]["doc"]] for i in dated}) < 2:
        return None
    # who may be one source (`_same_source`): the same source, the same organisation, or
    # a generic body ("the ministry") and a body named in full that contains its word
    by_source: dict[tuple[str, ...], list[int]] = defaultdict(list)
    by_org: dict[str, list[int]] = defaultdict(list)
    orgs: dict[int, str] = {}
    for i in dated:
        c = originals[i]
        by_source[source_of(c, names)].append(i)
        org = names.org_of(c)
        if org:
            orgs[i] = org
            by_org[org].append(i)
    generic = {org.lower() for org in orgs.values()} & GENERIC_BODIES
    containing = {w: [i for i, org in orgs.items() if w in org.lower()] for w in generic}
    bodies = {w: [i for i, org in orgs.items() if org.lower() == w] for w in generic}
    for i in dated:
        a = originals[i]
        day = dates[a["doc"]]
        near = set(by_source[source_of(a, names)])
        org = orgs.get(i)
        if org:
            low = org.lower()
            near.update(by_org[org])
            near.update(containing.get(low, ()))
            for w in generic:
                if w in low:
                    near.update(bodies[w])
        for j in sorted(k for k in near if k > i):
            b = originals[j]
            other = dates[b["doc"]]
            if a["doc"] != b["doc"] and other != day and _changed(a, b) and \
                    _same_source(a, b, names):
                return a, b
    return None


def _first_conflict(originals: list[Claim], names: Names) -> tuple[Claim, Claim] | None:
    """The first pair of two sources' figures in two articles that cannot both be true."""
    spans = [interval(c) for c in originals]
    # from each figure on, the lowest ceiling and the highest floor still to come
    lowest_high, highest_low = math.inf, -math.inf
    later: list[tuple[float, float]] = [(math.inf, -math.inf)] * len(originals)
    for i in range(len(originals) - 1, -1, -1):
        later[i] = (lowest_high, highest_low)
        lowest_high, highest_low = min(lowest_high, spans[i][1]), max(highest_low, spans[i][0])
    for i, a in enumerate(originals):
        (lo, hi), (ceiling, floor) = spans[i], later[i]
        if not (ceiling < lo or floor > hi):
            continue  # every later figure allows this one
        for j in range(i + 1, len(originals)):
            b = originals[j]
            b_lo, b_hi = spans[j]
            if (b_hi < lo or b_lo > hi) and a["doc"] != b["doc"] and \
                    not _same_source(a, b, names):
                return a, b
    return None


def link_copies(claims: Sequence[Claim], copies: Sequence[Copy],
                by_copy: dict[str, int] | None = None) -> dict[str, str]:
    """A claim read from a copied passage points to the same figure in the original.
    `by_copy`, when given, is told which of `copies` (its index) linked each claim."""
    at: dict[tuple[str, int], list[Claim]] = defaultdict(list)
    for c in claims:
        at[(c["doc"], c["evidence"]["start"])].append(c)
    out: dict[str, str] = {}
    for i, cp in enumerate(copies):
        originals = at.get((cp.original.doc, cp.original.start), [])
        for c in at.get((cp.copy.doc, cp.copy.start), []):
            match = next((o for o in originals if o["metric"] == c["metric"]
                          and o["value"].get("low") == c["value"].get("low")
                          and o["value"].get("high") == c["value"].get("high")), None)
            if match is not None:
                out[c["key"]] = match["key"]
                if by_copy is not None:
                    by_copy[c["key"]] = i
    return out
