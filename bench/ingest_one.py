"""What adding one article costs once the store is large: extraction, storing, and the
reconciliation that ingest (and POST /api/documents) runs for it.

    python bench/ingest_one.py [--copies 7] [--db /tmp/tally-bench.db]

Fills a SQLite store with --copies copies of the dev corpus (distinct ids; in each copy
every number is shifted, so the copies are not syndicated versions of each other), then
times ingesting one new article, and prints where the time went.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from extract_speed import corpus  # noqa: E402

from tally import pipeline  # noqa: E402
from tally.documents.model import Document  # noqa: E402
from tally.nlp.extractor import Extractor  # noqa: E402
from tally.store import open_store  # noqa: E402

NEW = Document(id="bench-new", text=(
    "KABUL — Gunmen killed nine guards at a checkpoint in Kunduz province on Tuesday, the "
    "provincial police chief said. The Taliban denied involvement."), source="Bench Wire")


def _shifted(text: str, k: int) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1000 * k), text) if k else text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=7)
    ap.add_argument("--db", default="/tmp/tally-bench-ingest.db")
    a = ap.parse_args()
    Path(a.db).unlink(missing_ok=True)
    ex = Extractor.default()
    base = corpus([])
    docs = [replace(d, id=f"{d.id}~{k}", text=_shifted(d.text, k))
            for k in range(a.copies) for d in base]
    with open_store(a.db) as store:
        t0 = time.perf_counter()
        pipeline.ingest(store, docs, extractor=ex, reconcile=False)
        pipeline.refresh(store, None)
        filled = time.perf_counter() - t0
        n_claims = len(store.claims())
        print(f"store: {len(docs)} documents, {n_claims} claims, filled in {filled:.1f} s")
        t0 = time.perf_counter()
        result = pipeline.ingest(store, [NEW], extractor=ex, reconcile=False)
        stored = time.perf_counter() - t0
        t0 = time.perf_counter()
        pipeline.refresh(store, result.changed)
        refreshed = time.perf_counter() - t0
    print(f"one new article: extract + store {stored:.2f} s, reconcile {refreshed:.2f} s, "
          f"total {stored + refreshed:.2f} s")


if __name__ == "__main__":
    main()
