"""ingest → extract → store → reconcile, as one call the CLI and the web API share."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from tally import faultpoint
from tally.documents.model import Document
from tally.errors import DocumentRefused
from tally.scale.batches import Read, read_batch
from tally.store.store import Store

if TYPE_CHECKING:
    from tally.nlp.extractor import Extractor

log = logging.getLogger(__name__)


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
                failed: Callable[[Document, str], None] | None = None,
                ) -> Iterator[tuple[Document, list[dict], str]]:
    """Each document with its claim records and the pipeline that made them: in this
    process, in spaCy's worker processes (`processes` > 1), or on a Dask cluster when a
    scheduler address is given; every way reads batches with `scale.batches.read_batch`.
    A document the extractor fails on is left out and `failed` told why, in one line
    (by default, a warning in the log); the others go on."""
    if not extract:
        for d in docs:
            yield d, [], ""
        return
    from tally.nlp.extractor import PIPELINE

    failed = failed or _log_failure
    for doc, (records, problem) in _reads(docs, processes, scheduler, extractor):
        if records is None:
            failed(doc, f"extraction failed ({problem})")
        else:
            yield doc, records, PIPELINE


CHUNK = 256  # documents read together in this process (spaCy batches across them)


def _reads(docs: Iterable[Document], processes: int, scheduler: str | None,
           extractor: Extractor | None) -> Iterator[tuple[Document, Read]]:
    if scheduler:
        from tally.scale.cluster import extract_on_cluster

        yield from extract_on_cluster(docs, scheduler)
        return
    from tally.nlp.extractor import Extractor

    extractor = extractor or Extractor.default()
    if processes > 1:
        from tally.scale.local import read_in_processes

        yield from read_in_processes(extractor, docs, processes)
        return
    it = iter(docs)
    while chunk := list(islice(it, CHUNK)):
        yield from zip(chunk, read_batch(extractor, chunk))


def _log_failure(doc: Document, problem: str) -> None:
    log.warning("%s: %s", doc.id, problem)


def ingest(store: Store, docs: Iterable[Document], *, extract: bool = True,
           processes: int = 1, scheduler: str | None = None, reconcile: bool = True,
           progress: Callable[[], None] | None = None,
           extractor: Extractor | None = None) -> IngestResult:
    """Store documents and their claims; each document in its own transaction, so a
    failure later in the batch loses nothing already stored. Same content is kept once."""
    result = IngestResult()

    def failed(doc: Document, problem: str) -> None:
        result.refused.append((doc.id, problem))

    for doc, claims, pipeline in with_claims(docs, extract, processes, scheduler, extractor,
                                             failed):
        try:
            outcome, _ = store.add_document(doc, claims, pipeline)
        except DocumentRefused as e:  # this document's data: the batch goes on without it
            result.refused.append((e.doc_id, e.problem))
            continue
        faultpoint.reached("stored")
        result.counts[outcome] += 1
        if outcome != "same":
            result.claims += len(claims)
            result.changed.append(doc.id)
        if progress:
            progress()
    if extract and reconcile and needs_refresh(store, result):
        result.reconciled = refresh(store, result.changed)
    return result


def needs_refresh(store: Store, result: IngestResult) -> bool:
    """This ingest changed documents, or an earlier command stored some and was stopped
    before it reconciled them."""
    return bool(result.changed) or bool(store.unreconciled())


def refresh(store: Store, changed: list[str] | None):
    """Bring figure groups and disagreements up to date with every document stored
    (`changed` None: recompute everything). The documents to take in are those the
    store marked when it stored them, `changed` among them, and also those of a command
    that was killed or is running beside this one."""
    from tally.reconcile.persist import refresh as persist_refresh

    return persist_refresh(store, everything=changed is None)
