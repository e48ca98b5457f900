"""Keep the stored reconciliation up to date as documents arrive.

A change to some documents recomputes their own disagreements and the figure groups of
the buckets (metric and country) their claims fall in, old claims and new; the rest of
the store is left as it is.

The documents to take in are the store's `unreconciled` rows, whoever wrote them: a
command killed after storing leaves them for the next one. Everything is read from one
snapshot, and the records of all three kinds are stored with those rows deleted in one
transaction; if another command took some of the same rows in meanwhile, the work is
done again from what is stored then.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from tally import faultpoint
from tally.nlp.lexicon import load
from tally.reconcile.core import Reconciliation, bucket_of, reconcile
from tally.reconcile.syndication import Copy, find_copies
from tally.store import Store
from tally.store.store import StaleReconciliation, Swap

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
            rec, swaps = _compute(store, changed)
        faultpoint.reached("reconciling")
        try:
            store.store_reconciled(swaps, [pk for pk, _ in pending])
            return rec
        except StaleReconciliation:
            continue  # another command stored newer reconciliation: start from it
    raise StaleReconciliation()


def _compute(store: Store, changed: set[str] | None) -> tuple[Reconciliation, list[Swap]]:
    claims = store.keyed_claims()
    documents = [(d.id, d.text, d.date) for d in store.documents()]
    aliases = org_aliases()
    if changed is None:
        rec = reconcile(claims, documents, aliases)
        return rec, _swaps(rec, everything=True)
    # the buckets of every version of a changed document: its old figures leave them
    old = {bucket_of(c) for doc_id in changed
           for c in store.claims(doc=doc_id, latest_only=False)}
    buckets = {bucket_of(c) for c in claims if c["doc"] in changed} | old
    # Copies among unchanged documents stay as stored; only pairs with a changed
    # document are looked for again.
    kept = [Copy.from_dict(r) for r in store.reconciled("copy")]
    stale = {c.copy.doc for c in kept if c.copy.doc in changed or c.original.doc in changed}
    kept = [c for c in kept if c.copy.doc not in changed and c.original.doc not in changed]
    new = find_copies(documents, focus=changed)
    rec = reconcile(claims, documents, aliases, only_docs=changed, only_buckets=buckets,
                    copies=kept + new)
    return rec, _swaps(rec, docs=changed, buckets=buckets,
                       copy_docs=changed | stale | {c.copy.doc for c in new})


def _swaps(rec: Reconciliation, everything: bool = False, docs: Iterable[str] = (),
           buckets: Iterable[str] = (), copy_docs: set[str] | None = None) -> list[Swap]:
    docs, buckets, copy_docs = set(docs), set(buckets), copy_docs or set()
    # the claims each copy carries, by (copy doc, original doc)
    carried: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, original in rec.copy_of.items():
        carried[(key.rsplit("#", 1)[0], original.rsplit("#", 1)[0])].append(key)
    return [
        ("group", [(None, b, g) for g, b in zip(rec.groups, rec.group_buckets)],
         (), buckets, everything),
        ("disagreement", [(d, b, r) for r, (d, b) in zip(rec.disagreements,
                                                         rec.disagreement_places)],
         docs, buckets, everything),
        ("copy", [(c.copy.doc, None, {**c.to_dict(), "claims": carried[(c.copy.doc,
                                                                         c.original.doc)]})
                  for c in rec.copies if everything or c.copy.doc in copy_docs],
         copy_docs, (), everything),
    ]
