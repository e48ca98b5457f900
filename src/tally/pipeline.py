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
    """Each document with its claim records and the pipeline that made them: spaCy's own
    processes on this machine, or a Dask cluster when a scheduler address is given.
    A document the extractor fails on is left out and `failed` told why, in one line
    (by default, a warning in the log); the others go on."""
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
    for doc, found in _each_alone_if_need_be(extractor, docs, processes,
                                             failed or _log_failure):
        yield doc, [c.to_dict() for c in found], PIPELINE


CHUNK = 256  # documents extracted together (spaCy batches across them)


def _each_alone_if_need_be(extractor: Extractor, docs: Iterable[Document], processes: int,
                           failed: Callable[[Document, str], None]) -> Iterator[tuple]:
    """Extraction by chunks; a chunk that fails (spaCy refusing a text, a rule raising)
    is done again one document at a time, so that only the document at fault is lost."""
    it = iter(docs)
    while chunk := list(islice(it, CHUNK)):
        try:
            done = list(extractor.extract(chunk, n_process=processes, chunk=CHUNK))
        except Exception:  # which document is at fault is found below
            done = []
            for doc in chunk:
                try:
                    done += list(extractor.extract([doc]))
                except Exception as e:
                    failed(doc, f"extraction failed ({_one_line(e)})")
        yield from done


def _one_line(e: Exception) -> str:
    first = (str(e).strip().splitlines() or [""])[0]
    return f"{type(e).__name__}: {first[:300]}" if first else type(e).__name__


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
