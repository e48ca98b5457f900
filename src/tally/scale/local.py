"""Extraction in N processes on this machine (`-j N`), by spaCy's own `nlp.pipe(n_process=N)`.

Whole documents cross the process boundary, and the whole of tally's reading of each
(sentence split, parse, rules) happens in the worker: an outer pipeline whose one
component is the "tally" component, fed empty Docs that carry the document in
`doc._.tally_document`. Nothing is tokenised in this process; what travels is the
document's text and metadata one way and its claim records back (every crossing costs
Doc.to_bytes/from_bytes, which is why one parsed sentence per crossing made `-j 2` slower
than `-j 1`).

The workers are forked from this process after the model and its tables are loaded, so
they load nothing again. spaCy hands out batches in turn and gives results back in
input order; small batches keep a long document from holding the others up.
"""
from __future__ import annotations

import gc
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tally.documents.model import Document
from tally.nlp.component import ClaimReader
from tally.scale.batches import Read, one_line, payload, read_batch

if TYPE_CHECKING:
    from tally.nlp.extractor import Extractor

log = logging.getLogger(__name__)

BATCH = 4  # documents a worker reads as one stream (their sentences parsed together)


@lru_cache(maxsize=1)
def _outer() -> Language:
    """The pipeline that carries documents to the workers: no tokenizer runs (its Docs
    are made empty here), one component, which is given its extractor per run."""
    nlp = spacy.blank("en")
    nlp.add_pipe("tally", config={"keep_going": True})
    return nlp


def read_in_processes(extractor: Extractor, docs: Iterable[Document], n_process: int,
                      batch_size: int = BATCH) -> Iterator[tuple[Document, Read]]:
    """Each document with its claim records (or why it failed), in input order."""
    nlp = _outer()
    reader = nlp.get_pipe("tally")
    assert isinstance(reader, ClaimReader)
    reader.extractor = extractor  # the workers fork with it
    _load_everything(extractor)
    it = iter(docs)
    # Python's collector would visit every object the workers inherit, and so copy every
    # page of the model into each of them: the objects of now are left out of collection.
    gc.freeze()
    try:
        yield from _pipe(nlp, extractor, it, n_process, batch_size)
    finally:
        gc.unfreeze()


def _pipe(nlp: Language, extractor: Extractor, it: Iterator[Document], n_process: int,
          batch_size: int) -> Iterator[tuple[Document, Read]]:
    while True:
        pending: deque[Document] = deque()  # given to spaCy, not yet back
        try:
            for carrier in nlp.pipe(_carriers(nlp, it, pending), n_process=n_process,
                                    batch_size=batch_size):
                yield pending.popleft(), (carrier._.claim_records, carrier._.tally_problem)
            return
        except Exception as e:  # a worker lost (killed, out of memory), not a document
            # that failed (the component reports those): what the workers held is read
            # here, one document at a time, then the rest of the input goes on in new ones
            if not pending:
                raise
            log.warning("a worker process was lost (%s): %d documents read again here",
                        one_line(e), len(pending))
            for document in pending:
                yield document, read_batch(extractor, [document])[0]


def _carriers(nlp: Language, docs: Iterator[Document], pending: deque[Document]
              ) -> Iterator[Doc]:
    for document in docs:
        pending.append(document)
        carrier = Doc(nlp.vocab, words=[])
        carrier._.tally_document = payload(document)
        yield carrier


# The model is loaded, but the gazetteer, lexicon and word lists load on first use: read
# one sentence here so that the forked workers share them instead of each loading them.
_WARM_UP = Document(id="warm-up", text="Gunmen killed 3 farmers near Kano on Monday, "
                                       "police said.")


def _load_everything(extractor: Extractor) -> None:
    read_batch(extractor, [_WARM_UP])
