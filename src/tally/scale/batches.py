"""One batch of documents read into claim records: the unit of work of every path.

`tally ingest/extract` in one process, in spaCy's worker processes (`-j N`, see `local`)
and on a Dask cluster (`cluster`) all call `read_batch`, so that they give the same
claims and lose the same documents. Results are plain data (dicts, lists, strings), which
cross a process boundary as they are.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tally.documents.model import Document

if TYPE_CHECKING:
    from tally.nlp.extractor import Extractor

# The claim records of one document (CLAIMS.md dicts), or None and why (one line).
Read = tuple[list[dict] | None, str | None]


def read_batch(extractor: Extractor, documents: list[Document]) -> list[Read]:
    """The claim records of each document, in order. The batch is read as one stream
    (spaCy parses its sentences together); if that fails (spaCy refusing a text, a rule
    raising), each document is read again alone, so that only the one at fault is lost."""
    try:
        return [([c.to_dict() for c in claims], None)
                for _doc, claims in extractor.extract(documents)]
    except Exception:  # which document is at fault is found below
        pass
    reads: list[Read] = []
    for document in documents:
        try:
            reads.append(([c.to_dict() for c in extractor.extract_one(document)], None))
        except Exception as e:
            reads.append((None, one_line(e)))
    return reads


def one_line(e: BaseException) -> str:
    first = (str(e).strip().splitlines() or [""])[0]
    return f"{type(e).__name__}: {first[:300]}" if first else type(e).__name__


# What extraction reads of a Document, as plain data: the text, its id (claim ids), date
# (relative periods) and source (the publisher, never `via`); url and title ride along.
# `meta` stays behind: it may hold anything a table row held.
def payload(document: Document) -> dict[str, Any]:
    return {"id": document.id, "text": document.text,
            "date": document.date.isoformat() if document.date else None,
            "source": document.source, "url": document.url, "title": document.title}


def from_payload(p: dict[str, Any]) -> Document:
    return Document(id=p["id"], text=p["text"],
                    date=date.fromisoformat(p["date"]) if p.get("date") else None,
                    source=p.get("source"), url=p.get("url"), title=p.get("title"))
