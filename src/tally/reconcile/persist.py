"""Keep the stored reconciliation up to date as documents arrive, reading only what a
change touches.

A change to some documents recomputes their own disagreements and the figure groups of
the buckets (metric and country) their claims fall in, old claims and new; the rest of
the store is left as it is, and only those claims are read. What a full pass would work
out across the whole store is kept beside the records, so that a change can take it up
where it stands:
- passage keys: the figures and names of each comparable sentence, so that a new
  document's near-duplicates are the stored sentences sharing two of its keys (an index
  lookup, not a comparison with every sentence);
- copies, one record per copied passage and original, each with the claims it links;
- names: each spelling's cluster. A change that brings no spelling the store has not
  seen in an earlier document leaves every cluster as it is; any other change clusters
  the names of the whole store again, and the documents whose names then change are
  recomputed too.

The documents to take in are the store's `unreconciled` rows, whoever wrote them: a
command killed after storing leaves them for the next one. Everything is read from one
snapshot, and the records are stored with those rows deleted in one transaction; if
another command took some of the same rows in meanwhile, the work is done again from
what is stored then.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tally import faultpoint
from tally.nlp.lexicon import load
from tally.reconcile.core import (Claim, Reconciliation, bare_heads, bucket_of, link_copies,
                                  reconcile)
from tally.reconcile.identity import Names
from tally.reconcile.syndication import (MAX_KEY_PASSAGES, MIN_SHARED_KEYS, Copy, Passage,
                                         copy_of_pair, date_order, features, find_copies,
                                         passages)
from tally.store import Store
from tally.store.store import KeySwap, NameRows, StaleReconciliation, Swap

ATTEMPTS = 20


def org_aliases() -> dict[str, str]:
    """The lexicon's names for each organisation ("moi" -> "Ministry of Interior")."""
    return {alias: name for alias, (name, _side) in load().orgs.items()}


def refresh(store: Store, everything: bool = False) -> Reconciliation:
    """Take in the documents stored since the last reconciliation (`everything`: recompute
    all of it). Returns what was recomputed (empty when nothing was to do)."""
    for _ in range(ATTEMPTS):
        with store.snapshot():
            pending = store.unreconciled()
            if not pending and not everything:
                return Reconciliation()
            changed = None if everything or any(d is None for _, d in pending) else \
                {d for _, d in pending if d is not None}
            work = _full(store) if changed is None else _incremental(store, changed)
        faultpoint.reached("reconciling")
        try:
            store.store_reconciled(work.swaps, [pk for pk, _ in pending], keys=work.keys,
                                   names=work.names)
            return work.rec
        except StaleReconciliation:
            continue  # another command stored newer reconciliation: start from it
    raise StaleReconciliation()


@dataclass
class _Work:
    rec: Reconciliation
    swaps: list[Swap]
    keys: KeySwap | None = None
    names: NameRows | None = None


# Who is who ----------------------------------------------------------------------------


class FrozenNames(Names):
    """The clusters a pass over the whole store found, looked up: a spelling gets the
    same name whichever claims a reconciliation reads."""

    def __init__(self, people: dict[str, str], orgs: dict[str, str],
                 org_aliases: dict[str, str] | None = None) -> None:
        super().__init__(org_aliases)
        self.people_map, self.orgs_map = people, orgs
        self.people = list(dict.fromkeys(people.values()))
        self.orgs = list(dict.fromkeys(orgs.values()))

    def person(self, name: str | None) -> str | None:
        return self.people_map.get(name, name) if name else None

    def org(self, name: str | None) -> str | None:
        return self.orgs_map.get(name, name) if name else None


class _Inputs(Names):
    """What each claim asks of the clusters: its speaker, and its organisation as its
    document names it ('the ministry' read as the one ministry it names in full), each
    with the first document asking it."""

    def __init__(self, org_aliases: dict[str, str] | None, cluster: bool) -> None:
        super().__init__(org_aliases)
        self.cluster = cluster
        self.first_person: dict[str, str] = {}
        self.first_org: dict[str, str] = {}
        self._doc = ""

    def org_of(self, claim: dict) -> str | None:
        self._doc = claim.get("doc") or ""
        return super().org_of(claim)

    def person(self, name: str | None) -> str | None:
        if name:
            self.first_person.setdefault(name, self._doc)
        return super().person(name) if self.cluster else name

    def org(self, name: str | None) -> str | None:
        if name:
            self.first_org.setdefault(name, self._doc)
        return super().org(name) if self.cluster else name


# (document, sentence start, claim key, speaker, organisation as written)
Use = tuple[str, int, str, "str | None", "str | None"]


def _uses(claims: Iterable[Claim]) -> list[Use]:
    return [(c["doc"], c["evidence"]["start"], c["key"], (c.get("source") or {}).get("speaker"),
             (c.get("source") or {}).get("org")) for c in claims]


def _cluster(uses: Iterable[Use], aliases: dict[str, str]
             ) -> tuple[FrozenNames, list[tuple[str, str, str, str]]]:
    """Cluster the names of all these claims, as `reconcile` would (first spellings first,
    in document order), and freeze the result; with the rows that store it. Each spelling
    is clustered once, however many claims give it."""
    uses = sorted(uses, key=lambda u: (u[0], u[1], u[2]))
    heads = bare_heads([{"doc": d, "source": {"org": o}} for d, _, _, _, o in uses if o])
    ask = _Inputs(aliases, cluster=False)
    ask.local_orgs = heads
    first_person: dict[str, str] = {}
    for doc, _, _, speaker, org in uses:
        if speaker:
            first_person.setdefault(speaker, doc)
        if org:
            ask.org_of({"doc": doc, "source": {"org": org}})
    names = Names(aliases)
    names.local_orgs = heads
    for s in first_person:
        names.person(s)
    for s in ask.first_org:
        names.org(s)
    people = {s: names.person(s) or s for s in first_person}
    orgs = {s: names.org(s) or s for s in ask.first_org}
    rows = [("person", s, people[s], first_person[s]) for s in people] + \
           [("org", s, orgs[s], ask.first_org[s]) for s in orgs]
    frozen = FrozenNames(people, orgs, aliases)
    frozen.local_orgs = heads
    return frozen, rows


def _asked(claims: Sequence[Claim], aliases: dict[str, str]) -> list[tuple[str, str, str]]:
    """(kind, spelling, document) of each name these claims ask the clusters for."""
    ask = _Inputs(aliases, cluster=False)
    ask.local_orgs = bare_heads(claims)
    out = []
    for c in claims:
        speaker = (c.get("source") or {}).get("speaker")
        if speaker:
            out.append(("person", speaker, c["doc"]))
        before = dict(ask.first_org)
        ask.first_org.clear()
        ask.org_of(c)
        out.extend(("org", s, c["doc"]) for s in ask.first_org)
        ask.first_org.update(before)
    return out


def _frozen_for(store: Store, claims: Sequence[Claim], aliases: dict[str, str]
                ) -> FrozenNames:
    """The stored clusters of the names these claims ask for."""
    docs = {c["doc"] for c in claims}
    # a document's bare 'ministry' is read through all its claims, not only those read
    heads = [{"doc": d, "source": {"org": o}} for d, o in store.orgs_of(docs)]
    ask = _asked(heads + list(claims), aliases)
    people = store.names("person", {s for k, s, _ in ask if k == "person"})
    orgs = store.names("org", {s for k, s, _ in ask if k == "org"})
    frozen = FrozenNames({s: c for s, (c, _) in people.items()},
                         {s: c for s, (c, _) in orgs.items()}, aliases)
    frozen.local_orgs = bare_heads(heads)
    return frozen


def _names_unchanged(store: Store, changed: set[str], claims: Sequence[Claim],
                     aliases: dict[str, str]) -> bool:
    """No cluster can change: every name the changed documents ask for was asked first
    by an earlier, unchanged document, and none of them was the first to ask for one."""
    if store.names_first_in(changed):
        return False
    ask = _asked(claims, aliases)
    known = {"person": store.names("person", {s for k, s, _ in ask if k == "person"}),
             "org": store.names("org", {s for k, s, _ in ask if k == "org"})}
    return all(s in known[k] and known[k][s][1] < doc for k, s, doc in ask)


# Full reconciliation ---------------------------------------------------------------------


def _full(store: Store) -> _Work:
    claims = store.keyed_claims()
    documents = [(d.id, d.text, d.date) for d in store.documents()]
    aliases = org_aliases()
    ordered = sorted(claims, key=lambda c: (c["doc"], c["evidence"]["start"], c["key"]))
    names, name_rows = _cluster(_uses(ordered), aliases)
    copies = find_copies(documents)
    by_copy: dict[str, int] = {}
    copy_of = link_copies(ordered, copies, by_copy)
    rec = reconcile(ordered, names=names, copy_of=copy_of,
                    dates={d: day for d, _, day in documents})
    rec.copies = copies
    key_rows = [(p.doc, p.start, p.end, k) for d, text, _ in documents
                for p, keys in passages(d, text) for k in sorted(keys)]
    return _Work(rec, _swaps(rec, everything=True) +
                 [_copy_swap(copies, copy_of, by_copy, everything=True)],
                 keys=((), key_rows, True), names=name_rows)


# Incremental reconciliation --------------------------------------------------------------


@dataclass
class _Copies:
    focus: set[str]  # documents whose copies were looked for again
    found: list[Copy]  # the copies with a passage of those documents
    key_rows: list[tuple[str, int, int, str]]  # the changed documents' passage keys
    linked: set[str] = field(default_factory=set)  # documents whose copies are rewritten


def _incremental(store: Store, changed: set[str]) -> _Work:
    aliases = org_aliases()
    mine = store.claims_for(docs=changed)
    buckets = {bucket_of(c) for c in mine} | store.buckets_of(changed)
    docs = set(changed)
    # who is who: the stored clusters, unless the change can alter them
    name_rows: NameRows | None = None
    if not _names_unchanged(store, changed, mine, aliases):
        _names, name_rows = _cluster(store.name_uses(), aliases)
        before = {(k, s): c for k in ("person", "org")
                  for s, (c, _) in store.names(k).items()}
        after = {(k, s): c for k, s, c, _ in name_rows}
        moved = {ks for ks in before.keys() | after.keys() if before.get(ks) != after.get(ks)}
        renamed = store.docs_naming({s for k, s in moved if k == "person"},
                                    {s for k, s in moved if k == "org"})
        # a bare 'ministry' takes its document's fuller name: its document names that too
        docs |= renamed
        buckets |= store.buckets_of(renamed)
    # syndicated copies: those of the changed documents are looked for again
    found = _find_new_copies(store, changed)
    dropped = store.copies_of(docs=found.focus, originals=found.focus)
    linked = {r["copy"]["doc"] for r in dropped} | {c.copy.doc for c in found.found}
    kept = [Copy.from_dict(r) for r in store.copies_of(docs=linked)]
    kept = [c for c in kept if c.copy.doc not in found.focus and
            c.original.doc not in found.focus]
    pairs = sorted(kept + found.found, key=Copy.order)
    ends = store.claims_for(docs=linked | {c.original.doc for c in pairs})
    by_copy: dict[str, int] = {}
    links = link_copies(ends, pairs, by_copy)
    old_links = {k: o for r in store.copies_of(docs=linked)
                 for k, o in (r.get("links") or {}).items()}
    relinked = {k for k in links.keys() | old_links.keys() if links.get(k) != old_links.get(k)}
    buckets |= {bucket_of(c) for c in ends if c["key"] in relinked}
    # the claims of the buckets and documents to recompute, and what they need
    claims = store.claims_for(docs=docs, buckets=buckets)
    names = _frozen_for(store, claims, aliases) if name_rows is None else \
        _frozen_for_rows(name_rows, store, claims, aliases)
    read = {c["doc"] for c in claims}
    copy_of = {k: o for r in store.copies_of(docs=read - linked)
               for k, o in (r.get("links") or {}).items()}
    copy_of.update({k: o for k, o in links.items() if k.rsplit("#", 1)[0] in linked})
    rec = reconcile(claims, names=names, copy_of=copy_of, dates=store.dates(read),
                    only_docs=docs, only_buckets=buckets)
    rec.copies = found.found
    copies = _copy_swap(pairs, links, by_copy, docs=linked, originals=found.focus)
    return _Work(rec, _swaps(rec, docs=docs, buckets=buckets) + [copies],
                 keys=(changed, found.key_rows, False), names=name_rows)


def _frozen_for_rows(rows: NameRows, store: Store, claims: Sequence[Claim],
                     aliases: dict[str, str]) -> FrozenNames:
    frozen = FrozenNames({s: c for k, s, c, _ in rows if k == "person"},
                         {s: c for k, s, c, _ in rows if k == "org"}, aliases)
    frozen.local_orgs = bare_heads([{"doc": d, "source": {"org": o}}
                                    for d, o in store.orgs_of({c["doc"] for c in claims})])
    return frozen


def _find_new_copies(store: Store, changed: set[str]) -> _Copies:
    """The copies with a passage of a changed document, found through the stored passage
    keys. A key in more than MAX_KEY_PASSAGES passages says nothing; where a change takes
    a key across that line, the copies of every document with the key are looked for
    again, as a full pass would see them."""
    texts = {d: (t, day) for d, t, day in store.texts(changed)}
    own = {d: passages(d, t) for d, (t, _) in texts.items()}
    key_rows = [(p.doc, p.start, p.end, k) for ps in own.values() for p, keys in ps
                for k in sorted(keys)]
    new_own = Counter(k for _, _, _, k in key_rows)
    old_own = Counter(k for _, _, _, k in store.keys_of(changed))
    others = store.key_counts(new_own.keys() | old_own.keys(), exclude=changed)

    def total(k: str) -> int:
        return others.get(k, 0) + new_own.get(k, 0)

    crossing = {k for k in new_own.keys() | old_own.keys()
                if (others.get(k, 0) + old_own.get(k, 0) <= MAX_KEY_PASSAGES) !=
                (total(k) <= MAX_KEY_PASSAGES)}
    focus = set(changed)
    if crossing:
        extra = store.docs_with_keys(crossing) - changed
        for d, t, day in store.texts(extra):
            texts[d] = (t, day)
            own[d] = passages(d, t)
        focus |= extra
        more = {k for d in extra for _, keys in own[d] for k in keys} - others.keys()
        others.update(store.key_counts(more, exclude=changed))
    # passages of the focus documents, then the stored ones sharing a usable key
    found: list[Passage] = [p for ps in own.values() for p, _ in ps]
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_, keys) in enumerate(kp for ps in own.values() for kp in ps):
        for k in keys:
            if total(k) <= MAX_KEY_PASSAGES:
                index[k].append(i)
    mine = len(found)
    stored: dict[tuple[str, int], int] = {}
    for d, start, stop, k in store.passages_with(index, exclude=focus):
        at = stored.get((d, start))
        if at is None:
            at = stored[(d, start)] = len(found)
            found.append(Passage(d, start, stop))
        index[k].append(at)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in index.values():
        for x, a in enumerate(members):
            if a >= mine:
                break  # members list the focus passages first
            for b in members[x + 1:]:
                if found[a].doc != found[b].doc:
                    shared[(a, b)] += 1
    pairs = [(a, b) for (a, b), n in shared.items() if n >= MIN_SHARED_KEYS]
    others_docs = {found[b].doc for _, b in pairs if b >= mine}
    for d, t, day in store.texts(others_docs):
        texts[d] = (t, day)
    order = {d: date_order(day, d) for d, (_, day) in texts.items()}

    def passage(i: int) -> Passage:
        p = found[i]
        return p if p.text else Passage(p.doc, p.start, p.end, texts[p.doc][0][p.start:p.end])

    out = []
    feats: dict[int, Any] = {}
    for a, b in pairs:
        pa, pb = passage(a), passage(b)
        fa = feats.get(a) or feats.setdefault(a, features(pa.text))
        fb = feats.get(b) or feats.setdefault(b, features(pb.text))
        cp = copy_of_pair(pa, pb, fa, fb, order)
        if cp is not None:
            out.append(cp)
    return _Copies(focus, sorted(out, key=Copy.order), key_rows)


# Records ---------------------------------------------------------------------------------


def _copy_swap(pairs: Sequence[Copy], links: dict[str, str], by_copy: dict[str, int],
               everything: bool = False, docs: Iterable[str] = (),
               originals: Iterable[str] = ()) -> Swap:
    """One record per copied passage and original, with the claims it links (each claim
    in the record of the copy that links it): linear in the copies, whatever the number
    of claims each pair of documents shares."""
    carried: dict[int, dict[str, str]] = defaultdict(dict)
    for key, i in by_copy.items():
        carried[i][key] = links[key]
    docs = set(docs)
    rows = [(c.copy.doc, None, {**c.to_dict(), "claims": sorted(carried[i]),
                                "links": dict(sorted(carried[i].items()))}, c.original.doc)
            for i, c in enumerate(pairs) if everything or c.copy.doc in docs]
    return ("copy", rows, docs, set(originals), everything)


def _swaps(rec: Reconciliation, everything: bool = False, docs: Iterable[str] = (),
           buckets: Iterable[str] = ()) -> list[Swap]:
    docs, buckets = set(docs), set(buckets)
    return [
        ("group", [(None, b, g) for g, b in zip(rec.groups, rec.group_buckets)],
         (), buckets, everything),
        ("disagreement", [(d, b, r) for r, (d, b) in zip(rec.disagreements,
                                                         rec.disagreement_places)],
         docs, buckets, everything),
    ]
