"""`nlp.add_pipe("tally")`: tally's claims on any spaCy pipeline's Docs.

Registered as an entry point (`spacy_factories`), so spaCy finds it without an import.
tally reads a text its own way (its sentence choice, its model, entities on demand), so
the component hands the Doc's text to tally's extractor and sets

- `doc._.claim_records`: the claims as CLAIMS.md dicts, plain data that Doc.to_bytes
  keeps, so that the component also runs in `nlp.pipe(n_process=N)`'s workers;
- `doc._.claims` (read-only): the same as Claim records.

Evidence offsets are character offsets into the text read. A date for relative periods
can be given per Doc in `doc._.tally_date` (a date or "YYYY-MM-DD"). A Doc may instead
carry a whole document in `doc._.tally_document` (`scale.batches.payload`: its text and
what extraction reads of its metadata): then that text is read, not `doc.text`; this is
how `tally -j N` sends documents to spaCy's workers without tokenising them twice.

With `keep_going` (config), a document that cannot be read gets `claim_records` None and
`doc._.tally_problem` says why, in one line, and the stream goes on; without it (the
default), the error is raised, as any spaCy component does.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from tally import faultpoint
from tally.documents.model import Document
from tally.scale.batches import Read, from_payload, read_batch

if TYPE_CHECKING:
    from tally.claims import Claim
    from tally.nlp.extractor import Extractor


def _claims(doc: Doc) -> list[Claim] | None:
    from tally.library import claim_of

    records = doc._.claim_records
    return None if records is None else [claim_of(r) for r in records]


for _name, _how in (("claim_records", {"default": None}), ("claims", {"getter": _claims}),
                    ("tally_date", {"default": None}), ("tally_document", {"default": None}),
                    ("tally_problem", {"default": None})):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, **_how)


@Language.factory("tally", default_config={"keep_going": False})
def make_tally(nlp: Language, name: str, keep_going: bool) -> ClaimReader:
    return ClaimReader(keep_going=keep_going)


class ClaimReader:
    """Doc -> Doc: sets `doc._.claim_records` (and so `doc._.claims`)."""

    def __init__(self, extractor: Extractor | None = None, keep_going: bool = False) -> None:
        self._extractor = extractor  # None: tally's default, loaded when first needed
        self.keep_going = keep_going

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            from tally.nlp.extractor import Extractor

            self._extractor = Extractor.default()
        return self._extractor

    @extractor.setter
    def extractor(self, extractor: Extractor) -> None:
        self._extractor = extractor

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc], batch_size=1))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 8) -> Iterator[Doc]:
        """A batch of Docs is read as one stream, as `tally extract` reads a batch."""
        for batch in minibatch(docs, batch_size):
            reads = self._read([_document(d) for d in batch])
            for doc, (records, problem) in zip(batch, reads):
                doc._.claim_records, doc._.tally_problem = records, problem
                doc._.tally_document = None  # its text need not travel back
                yield doc

    def _read(self, documents: list[Document]) -> list[Read]:
        if self.keep_going:  # tally's own use: in `-j N`'s workers
            faultpoint.reached("worker-read")
            return read_batch(self.extractor, documents)
        return [([c.to_dict() for c in claims], None)
                for _d, claims in self.extractor.extract(documents)]


def _document(doc: Doc) -> Document:
    if doc._.tally_document is not None:
        return from_payload(doc._.tally_document)
    import tally

    return Document(id="text", text=doc.text, date=tally._day(doc._.tally_date))
