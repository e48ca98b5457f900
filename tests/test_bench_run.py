"""bench/run.py, the one benchmark command, runs end to end on a tiny corpus and writes a
table with every row; the generated corpus and its variants hold together. No timing is
checked here: timing belongs to the benchmark's own output."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from corpus_gen import generate, variant  # noqa: E402

ROWS = ["corpus (generated)", "bare spaCy, full pipeline (NER on), words/s",
        "bare spaCy, tally's components (NER off), words/s",
        "tally extract (one process), words/s", "ratio tally / full pipeline",
        "ratio tally / same components", "pipeline -j 1, words/s", "pipeline -j 2, words/s",
        "Dask, 1 worker, words/s", "Dask, 2 workers, words/s", "ratio -j 2 / -j 1",
        "ratio Dask 2 workers / -j 1", "ingest into SQLite", "ingest into PostgreSQL",
        "storing documents with their claims", "full reconcile (as `tally reconcile`), 12 ",
        "full reconcile (as `tally reconcile`), 24 ", "full reconcile linear",
        "one-article ingest into 12 ", "one-article ingest into 24 ",
        "ingest peak memory at 24 ", "`GET /api/claims?limit=20`", "`GET /api/summary`",
        "`tally figures` table", "figure grouping", "name clustering",
        "projection: extracting", "projection: full reconcile",
        "projection: a day's articles ingested one at a time"]
MACHINE = ["nproc", "memory", "cpu", "python", "spacy", "load average (1 min)"]


def test_quick_run_writes_every_row(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--docs", "14",
                        "--pool", "12", "--sizes", "12,24", "--grouping-claims", "300",
                        "--out", str(out), "--work", str(tmp_path / "work")],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    text = out.read_text("utf-8")
    table = [line for line in text.splitlines() if line.startswith("| ")][1:]
    for name in ROWS:
        assert [row for row in table if row.startswith(f"| {name}")], f"no row {name!r}:\n{text}"
    assert not [row for row in table if "failed" in row], text
    for name in MACHINE:
        assert f"- {name}: " in text
    # the PostgreSQL row measured, or says why not
    pg = next(row for row in table if row.startswith("| ingest into PostgreSQL"))
    assert "docs/s" in pg or "skipped: no PostgreSQL" in pg


def test_generated_documents_differ_and_some_are_copies() -> None:
    docs = generate(60)
    assert len({d.text for d in docs}) == 60 and len({d.id for d in docs}) == 60
    copies = [d for d in docs if "(Reported by " in d.text]
    assert copies and all(any(c.text.startswith(d.text) for d in docs if d is not c)
                          for c in copies)


def test_a_variant_edits_text_and_claims_alike(extractor) -> None:
    docs = generate(8)
    for doc, found in extractor.extract(docs):
        claims = [c.to_dict() for c in found]
        new, edited = variant(doc, claims, 5)
        assert new.id == f"{doc.id}~5" and new.text != doc.text
        assert len({c["id"] for c in edited} | {c["id"] for c in claims}) == 2 * len(claims)
        for old, c in zip(claims, edited):
            ev = c["evidence"]
            assert new.text[ev["start"]:ev["end"]] == ev["sentence"]
            assert c["doc"] == new.id
            if re.search(r"\d", old["value"]["text"] or ""):
                for bound in ("low", "high"):
                    if old["value"][bound] is not None:
                        assert c["value"][bound] == old["value"][bound] + 5
                assert c["value"]["text"] in new.text
