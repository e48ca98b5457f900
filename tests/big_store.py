"""A store of many claims made fast: the bundled examples' documents and claims, copied
into variants (each a new document id, its dates moved on by some weeks, its figures
scaled), stored with Store.add_document without extraction, then reconciled. Each variant
is one more copy of the examples' incidents, so groups, disagreements and events grow with
the claims as they would with more articles of the same kind."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tally.claims import claim_id
from tally.documents.model import Document
from tally.reconcile.persist import refresh
from tally.store import open_store

DAYS_APART = 11  # between one variant's incidents and the next one's


def _moved(day: str | None, by: timedelta) -> str | None:
    return (date.fromisoformat(day) + by).isoformat() if day else None


def _scaled(value: dict[str, Any], factor: float) -> dict[str, Any]:
    def s(x: int | None) -> int | None:
        return None if x is None else max(1, round(x * factor))
    low, high = s(value.get("low")), s(value.get("high"))
    text = value.get("text")
    if low is not None and (high is None or high == low) and text and any(
            ch.isdigit() for ch in text):
        text = f"{low:,}" if high == low else f"at least {low:,}"
    return {**value, "low": low, "high": high, "text": text}


def build(examples_db: str, target: str, claims: int) -> int:
    """Fill the store at `target` with about `claims` claims; the number stored."""
    with open_store(examples_db, must_exist=True, upgrade=False) as src:
        docs = [(d, src.claims(doc=d.id)) for d in src.documents()]
    per_round = sum(len(cs) for _, cs in docs)
    stored = 0
    with open_store(target) as store:
        i = 0
        while stored < claims:
            by = timedelta(days=DAYS_APART * i)
            factor = 1 + (i % 7) / 10
            for d, cs in docs:
                doc_id = f"{d.id}-v{i:04d}"
                # a text of its own: the examples' text again would make every variant a
                # syndicated copy of the others (the claims keep their sentences)
                text = f"Variant {i} of {d.id}."
                doc = Document(id=doc_id, text=text, date=(d.date + by) if d.date else None,
                               source=d.source, title=d.title, meta=d.meta)
                records = []
                for seq, c in enumerate(cs):
                    period = c.get("period") or {}
                    records.append({
                        **c, "id": claim_id(doc_id, doc.hash, c.get("pipeline") or "", seq),
                        "doc": doc_id, "value": _scaled(c["value"], factor),
                        "period": {**period, "start": _moved(period.get("start"), by),
                                   "end": _moved(period.get("end"), by)}})
                store.add_document(doc, records, pipeline=cs[0].get("pipeline", "") if cs
                                   else "")
                stored += len(records)
            i += 1
            if per_round == 0:
                break
        refresh(store, everything=True)
    return stored
