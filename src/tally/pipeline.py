"""ingest → extract → store → reconcile, as one call the CLI and the web API share."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tally.documents.model import Document
from tally.errors import DocumentRefused
from tally.store.store import Store

if TYPE_CHECKING:
    from tally.nlp.extractor import Extractor


@dataclass
class IngestResult:
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "version": 0, "same": 0})
    claims: int = 0
    changed: list[str] = field(default_factory=list)
    # (document id, why) for each document the store refused; the others went in.
    refused: list[tuple[str, str]] = field(default_factory=list)
    reconciled: object | None = None  # reconcile.core.Reconciled, when it ran


def with_claims(docs: Iterable[Document], extract: bool = True, processes: int = 1,
                scheduler: str | None = None, extractor: Extractor | None = None,
                ) -> Iterator[tuple[Document, list[dict], str]]:
    """Each document with its claim records and the pipeline that made them: spaCy's own
    processes on this machine, or a Dask cluster when a scheduler address is given."""
    if not extract:
        for d in docs:
            yield d, [], ""
        return
    from tally.nlp.extractor import PIPELINE, Extractor

    if scheduler:
        from tally.scale.cluster import extract_on_cluster

        for doc, claims in extract_on_cluster(docs, scheduler):
            yield doc, claims, PIPELINE
        return
    extractor = extractor or Extractor.default()
    for doc, found in extractor.extract(docs, n_process=processes):
        yield doc, [c.to_dict() for c in found], PIPELINE


def ingest(store: Store, docs: Iterable[Document], *, extract: bool = True,
           processes: int = 1, scheduler: str | None = None, reconcile: bool = True,
           progress: Callable[[], None] | None = None,
           extractor: Extractor | None = None) -> IngestResult:
    """Store documents and their claims; each document in its own transaction, so a
    failure later in the batch loses nothing already stored. Same content is kept once."""
    result = IngestResult()
    for doc, claims, pipeline in with_claims(docs, extract, processes, scheduler, extractor):
        try:
            outcome, _ = store.add_document(doc, claims, pipeline)
        except DocumentRefused as e:  # this document's data: the batch goes on without it
            result.refused.append((e.doc_id, e.problem))
            continue
        result.counts[outcome] += 1
        if outcome != "same":
            result.claims += len(claims)
            result.changed.append(doc.id)
        if progress:
            progress()
    if result.changed and extract and reconcile:
        result.reconciled = refresh(store, result.changed)
    return result


def refresh(store: Store, changed: list[str] | None):
    """Recompute figure groups and disagreements for changed documents (None: all), and
    for the metric|country buckets their claims fall in, old versions included."""
    from tally.reconcile.core import bucket_of
    from tally.reconcile.persist import refresh as persist_refresh

    old = set()
    for doc_id in changed or []:
        old |= {bucket_of(c) for c in store.claims(doc=doc_id, latest_only=False)}
    return persist_refresh(store, changed, old_buckets=old)
