"""`nlp.add_pipe("tally")`: tally's claims on any spaCy pipeline's Docs.

Registered as an entry point (`spacy_factories`), so spaCy finds it without an import.
tally reads a text its own way (its sentence choice, its model, entities on demand), so
the component hands the Doc's text to tally's extractor and sets `doc._.claims` to the
Claim records, whose evidence offsets are character offsets into `doc.text`. A date for
relative periods can be given per Doc in `doc._.tally_date` (a date or "YYYY-MM-DD").
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)
if not Doc.has_extension("tally_date"):
    Doc.set_extension("tally_date", default=None)


@Language.factory("tally", default_config={})
def make_tally(nlp: Language, name: str) -> ClaimReader:
    return ClaimReader()


class ClaimReader:
    """Doc -> Doc: sets `doc._.claims`."""

    def __call__(self, doc: Doc) -> Doc:
        import tally

        doc._.claims = tally.extract(doc.text, date=doc._.tally_date)
        return doc
