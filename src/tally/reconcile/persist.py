"""Keep the stored reconciliation up to date as documents arrive.

A change to some documents recomputes their own disagreements and the figure groups of
the buckets (metric and country) their claims fall in, old claims and new; the rest of
the store is left as it is.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from tally.nlp.lexicon import load
from tally.reconcile.core import Reconciliation, bucket_of, reconcile
from tally.reconcile.syndication import Copy, find_copies
from tally.store import Store


def org_aliases() -> dict[str, str]:
    """The lexicon's names for each organisation ("moi" -> "Ministry of Interior")."""
    return {alias: name for alias, (name, _side) in load().orgs.items()}


def refresh(store: Store, changed: Iterable[str] | None = None,
            old_buckets: Iterable[str] = ()) -> Reconciliation:
    """Recompute for the `changed` document ids (None: everything)."""
    claims = store.keyed_claims()
    documents = [(d.id, d.text, d.date) for d in store.documents()]
    aliases = org_aliases()
    if changed is None:
        rec = reconcile(claims, documents, aliases)
        _store(store, rec, everything=True)
        return rec
    changed = set(changed)
    buckets = {bucket_of(c) for c in claims if c["doc"] in changed} | set(old_buckets)
    # Copies among unchanged documents stay as stored; only pairs with a changed
    # document are looked for again.
    kept = [Copy.from_dict(r) for r in store.reconciled("copy")]
    stale = {c.copy.doc for c in kept if c.copy.doc in changed or c.original.doc in changed}
    kept = [c for c in kept if c.copy.doc not in changed and c.original.doc not in changed]
    new = find_copies(documents, focus=changed)
    rec = reconcile(claims, documents, aliases, only_docs=changed, only_buckets=buckets,
                    copies=kept + new)
    _store(store, rec, docs=changed, buckets=buckets,
           copy_docs=changed | stale | {c.copy.doc for c in new})
    return rec


def _store(store: Store, rec: Reconciliation, everything: bool = False,
           docs: set[str] | None = None, buckets: set[str] | None = None,
           copy_docs: set[str] | None = None) -> None:
    store.replace_reconciled("group", [(None, b, g) for g, b in zip(rec.groups, rec.group_buckets)],
                             buckets=buckets or (), everything=everything)
    store.replace_reconciled("disagreement",
                             [(d, b, r) for r, (d, b) in zip(rec.disagreements,
                                                            rec.disagreement_places)],
                             docs=docs or (), buckets=buckets or (), everything=everything)
    # the claims each copy carries, by (copy doc, original doc)
    carried: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, original in rec.copy_of.items():
        carried[(key.rsplit("#", 1)[0], original.rsplit("#", 1)[0])].append(key)
    store.replace_reconciled(
        "copy", [(c.copy.doc, None, {**c.to_dict(), "claims": carried[(c.copy.doc, c.original.doc)]})
                 for c in rec.copies if everything or c.copy.doc in (copy_docs or ())],
        docs=copy_docs or (), everything=everything)
