"""tally: who claims how many were killed, wounded, kidnapped, arrested, released or attacked.

    import tally
    claims = tally.extract("Gunmen killed 12 villagers on Monday, police said.",
                           date="2024-03-06")
    claims[0].metric, claims[0].value.low, claims[0].to_dict()

`extract` reads one text; `extract_documents` reads many `Document`s in one stream;
`Store(url)` keeps documents and answers claims, events and disagreements.
spaCy users can add the same reading to their own pipeline: `nlp.add_pipe("tally")` sets
`doc._.claims` (the factory is registered by entry point, no import needed).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date as Date
from typing import TYPE_CHECKING

from tally.claims import Claim
from tally.documents.model import Document
from tally.errors import BadValue, TallyError

if TYPE_CHECKING:
    from tally.events import Event
    from tally.library import Store
    from tally.nlp.extractor import Extractor

__version__ = "0.1.0"
__all__ = ["Claim", "Document", "BadValue", "Event", "Store", "TallyError", "extract",
           "extract_documents", "__version__"]

# The library only logs; the CLI decides what is shown.
logging.getLogger(__name__).addHandler(logging.NullHandler())


def extract(text: str, *, date: str | Date | None = None, doc_id: str = "text",
            source: str | None = None, extractor: Extractor | None = None) -> list[Claim]:
    """The claims of one text. `date` (a `datetime.date` or "YYYY-MM-DD") resolves
    relative periods ("last week"); `source` is the publisher, which is never `via`."""
    document = Document(id=doc_id, text=text, date=_day(date), source=source)
    return next(extract_documents([document], extractor=extractor))[1]


def extract_documents(documents: Iterable[Document], *, processes: int = 1,
                      extractor: Extractor | None = None
                      ) -> Iterator[tuple[Document, list[Claim]]]:
    """Each document with its claims, in order; spaCy parses them as one stream."""
    from tally.nlp.extractor import Extractor

    yield from (extractor or Extractor.default()).extract(documents, n_process=processes)


def _day(value: str | Date | None) -> Date | None:
    if value is None or isinstance(value, Date):
        return value
    from tally.documents.headers import BadDate, parse_iso_date

    try:
        return parse_iso_date(value)
    except BadDate as e:
        raise BadValue(str(e)) from None


def __getattr__(name: str) -> object:
    # Store and Event load the store's and reconciliation's modules: only when asked for,
    # so that `tally.extract` stays as light as it was.
    if name == "Store":
        from tally.library import Store

        return Store
    if name == "Event":
        from tally.events import Event

        return Event
    raise AttributeError(f"module 'tally' has no attribute {name!r}")
