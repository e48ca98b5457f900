"""One benchmark command: extraction, parallelism, ingest, reconciliation and reads, with
the machine they ran on, as one markdown table beside the targets.

    python bench/run.py              # full run (1,000 documents; stores of 1k, 5k, 20k)
    python bench/run.py --quick      # small sizes: a smoke test, the numbers mean little
    python bench/run.py --docs 600 --sizes 1000,5000,20000 --out bench/results.md

The corpus is generated (bench/corpus_gen.py: templates written for this benchmark,
towns from tally's gazetteer, about one document in seven a syndicated near-copy).
Every step runs in a subprocess of its own (bench/steps.py), so that one step's memory
and warm caches do not count for the next; its peak memory is the largest sum of resident
memory over the subprocess and everything it started (bench/measuring.py). Words/s of one
process are given over CPU seconds as well as wall seconds (on a shared machine CPU time
varies far less); ratios between parallel runs are over wall time, the only one that
shows parallelism.

Stores of thousands of documents are not made by extracting thousands of documents: a
pool of extracted documents is stored again and again as variants (figures, surnames and
dates edited in the text and in the claims alike, new ids; see corpus_gen.variant)
through Store.add_document, then reconciled as `tally reconcile` does it.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from corpus_gen import generate  # noqa: E402
from measuring import LOADS, SAMPLE_EVERY, Measured, machine, measure  # noqa: E402
from steps import write_corpus  # noqa: E402

PG_URL = os.environ.get("TALLY_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ARTICLES_PER_DAY = 200_000
TIMEOUT = 600.0  # seconds one step may take before it is stopped and reported as such


@dataclass
class Plan:
    docs: int
    pool: int
    sizes: list[int]
    grouping_claims: int
    name_claims: int
    names: int
    read_claims: int
    read_runs: int


FULL = Plan(docs=1000, pool=400, sizes=[1000, 5000, 20000], grouping_claims=80_000,
            name_claims=5000, names=2500, read_claims=21_000, read_runs=9)
QUICK = Plan(docs=40, pool=20, sizes=[60, 120], grouping_claims=1000, name_claims=500,
             names=250, read_claims=400, read_runs=3)


@dataclass
class Row:
    measure: str
    value: str
    peak: str = ""
    target: str = ""
    met: str = ""


def _mb(m: Measured | None) -> str:
    return f"{m.peak_mb:.0f} MB" if m and m.peak_mb else ""


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "NOT met")


def _num(x: float | None, unit: str = "", digits: int = 0) -> str:
    return "failed" if x is None else f"{x:,.{digits}f}{unit}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _wps(m: Measured, clock: str = "wall") -> float | None:
    return m.result["words"] / m.result[clock] if m.ok and m.result.get(clock) else None


def pg_schema() -> tuple[str | None, str, Callable[[], None]]:
    """(URL of a fresh schema in the PostgreSQL server, or None; why not; a function that
    drops the schema)."""
    from sqlalchemy import create_engine, text

    schema = f"tally_bench_{os.getpid()}"
    try:
        admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with admin.begin() as c:
            c.execute(text(f'create schema "{schema}"'))
    except Exception as e:  # any failure to connect: the PostgreSQL row says skipped, and why
        first = (str(e).strip().splitlines() or [""])[0][:120]
        return None, f"no PostgreSQL at {PG_URL} ({type(e).__name__}: {first})", lambda: None

    def drop() -> None:
        with admin.begin() as c:
            c.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()

    return f"{PG_URL}?options=-csearch_path%3D{schema}", "", drop


@dataclass
class Bench:
    plan: Plan
    work: Path
    pg: bool
    rows: list[Row] = field(default_factory=list)
    res: dict[str, Measured] = field(default_factory=dict)
    words_per_doc: float = 0.0
    stores: dict[int, Path] = field(default_factory=dict)
    claims_at: dict[int, int] = field(default_factory=dict)
    per_k: dict[int, float] = field(default_factory=dict)  # full reconcile, s per 1k docs

    def step(self, key: str, name: str, *args: str, timeout: float = TIMEOUT) -> Measured:
        m = measure([sys.executable, str(ROOT / "bench" / "steps.py"), name, str(self.work),
                     *args], timeout)
        self.res[key] = m
        print(f"  {key}: {m.wall:.1f} s, {m.peak_mb:.0f} MB"
              + ("" if m.ok else f"  FAILED {m.error}"), flush=True)
        return m

    def cli(self, key: str, *args: str) -> Measured:
        m = measure([sys.executable, "-m", "tally.cli", *args], TIMEOUT)
        self.res[key] = m
        print(f"  {key}: {m.wall:.1f} s, {m.peak_mb:.0f} MB"
              + ("" if m.ok else f"  FAILED {m.error}"), flush=True)
        return m

    def row(self, *cells: str) -> None:
        self.rows.append(Row(*cells))

    # sections, in the order they run -----------------------------------------------------

    def extraction(self) -> None:
        print("extraction", flush=True)
        docs = generate(self.plan.docs)
        write_corpus(self.work / "corpus.jsonl", docs)
        words = sum(len(d.text.split()) for d in docs)
        self.words_per_doc = words / len(docs)
        full = self.step("spacy-full", "spacy", "full")
        same = self.step("spacy-same", "spacy", "same")
        tally = self.step("extract", "extract")
        copies = sum("(Reported by " in d.text for d in docs)
        self.row("corpus (generated)", f"{len(docs)} documents, {words:,} words, "
                 f"{tally.result.get('claims', 0):,} claims, {copies} syndicated copies")
        for label, m in (("bare spaCy, full pipeline (NER on)", full),
                         ("bare spaCy, tally's components (NER off)", same),
                         ("tally extract (one process)", tally)):
            self.row(f"{label}, words/s", f"{_num(_wps(m, 'cpu'))} (CPU), "
                     f"{_num(_wps(m))} (wall)", _mb(m))
        for label, other, target in (("full pipeline", full, 1.5),
                                     ("same components", same, 1.0)):
            r = _ratio(_wps(tally, "cpu"), _wps(other, "cpu"))
            self.row(f"ratio tally / {label} (CPU)", _num(r, digits=2), "", f"≥ {target}",
                     _verdict(None if r is None else r >= target))

    def parallel(self) -> None:
        print("parallel extraction", flush=True)
        for j in (1, 2):
            self.step(f"j{j}", "pipeline", str(j))
        for n in (1, 2):
            self.step(f"dask{n}", "dask", str(n))
        for key, label in (("j1", "pipeline -j 1"), ("j2", "pipeline -j 2"),
                           ("dask1", "Dask, 1 worker"), ("dask2", "Dask, 2 workers")):
            self.row(f"{label}, words/s (wall)", _num(_wps(self.res[key])), _mb(self.res[key]))
        j1 = _wps(self.res["j1"])
        for key, label, target in (("j2", "-j 2", 1.7), ("dask2", "Dask 2 workers", 1.8)):
            r = _ratio(_wps(self.res[key]), j1)
            self.row(f"ratio {label} / -j 1 (wall)", _num(r, digits=2), "", f"≥ {target}",
                     _verdict(None if r is None else r >= target))

    def ingest(self) -> None:
        print("ingest", flush=True)
        m = self.step("ingest-sqlite", "ingest", str(self.work / "ingest.db"))
        self.row("ingest into SQLite (extract + store + reconcile), docs/s",
                 _num(m.result["docs"] / m.result["wall"], digits=1) if m.ok
                 else f"failed: {m.error}", _mb(m))
        url, why, drop = pg_schema() if self.pg else (None, "--no-pg given", lambda: None)
        if not url:
            self.row("ingest into PostgreSQL", f"skipped: {why}")
            return
        try:
            m = self.step("ingest-pg", "ingest", url)
        finally:
            drop()
        self.row("ingest into PostgreSQL (extract + store + reconcile), docs/s",
                 _num(m.result["docs"] / m.result["wall"], digits=1) if m.ok
                 else f"failed: {m.error}", _mb(m))

    def build_stores(self) -> None:
        """Each size the one before, copied and extended."""
        print("stores", flush=True)
        built = 0
        wall = docs = 0.0
        for size in sorted(self.plan.sizes):
            db = self.work / f"store-{size}.db"
            if self.stores:
                shutil.copy(self.stores[built], db)
            m = self.step(f"build-{size}", "build", str(db), str(built), str(size),
                          str(self.pool))
            if not m.ok:
                self.row(f"store of {size:,} documents", f"build failed: {m.error}")
                break
            wall += m.result["wall"]
            docs += m.result["docs"]
            self.claims_at[size] = m.result["claims"]
            self.stores[size] = db
            built = size
        self.row("storing documents with their claims (Store.add_document, no extraction), "
                 "docs/s", _num(docs / wall if wall else None))

    @property
    def pool(self) -> int:
        return min(self.plan.pool, self.plan.docs)

    def reconcile(self) -> None:
        for size, db in self.stores.items():
            m = self.step(f"reconcile-{size}", "reconcile", str(db))
            if m.ok:
                self.per_k[size] = m.result["wall"] / (size / 1000)
            self.row(f"full reconcile (as `tally reconcile`), {size:,} documents "
                     f"({self.claims_at[size]:,} claims)",
                     f"{m.result['wall']:.1f} s, {self.per_k[size]:.2f} s per 1k documents"
                     if m.ok else f"failed: {m.error}", _mb(m))
        if len(self.per_k) >= 2:
            lo, hi = min(self.per_k), max(self.per_k)
            self.row("full reconcile linear: s per 1k documents at each size (met: the "
                     "largest size's within 1.5× the smallest's)",
                     ", ".join(f"{self.per_k[s]:.2f} at {s:,}" for s in sorted(self.per_k)),
                     "", "linear", _verdict(self.per_k[hi] <= 1.5 * self.per_k[lo]))

    def one_article(self) -> None:
        sizes = sorted(self.stores)
        for size in dict.fromkeys(sizes[:1] + sizes[-1:]):
            last = size == sizes[-1]
            if size not in self.per_k:  # its documents would all be reconciled by this ingest
                self.row(f"one-article ingest into {size:,} stored documents",
                         "skipped: the store's full reconcile did not finish", "",
                         "< 1 s and < 400 MB" if last else "", "NOT met" if last else "")
                continue
            m = self.step(f"one-{size}", "one", str(self.stores[size]))
            self.row(f"one-article ingest into {size:,} stored documents (extract, store, "
                     "reconcile)", f"{m.result['wall']:.2f} s" if m.ok else f"failed: {m.error}",
                     _mb(m), "< 1 s and < 400 MB" if last else "",
                     _verdict(m.ok and m.result["wall"] < 1 and m.peak_mb < 400) if last else "")
        if sizes:
            top = sizes[-1]
            peaks = [self.res[k].peak_mb for k in (f"one-{top}", f"reconcile-{top}")
                     if k in self.res and self.res[k].ok]
            peak = max(peaks) if peaks else None
            self.row(f"ingest peak memory at {top:,} documents, the largest size measured (the "
                     "larger of one-article ingest and full reconcile)", _num(peak, " MB"), "",
                     "< 1 GB at 50k", _verdict(None if peak is None else peak < 1024))

    def reads(self) -> None:
        print("reads", flush=True)
        db, claims = self._store_for_reads()
        if db is None:
            self.row("web API reads and `tally figures`", "skipped: no store was built")
            return
        m = self.step("reads", "reads", str(db), str(self.plan.read_runs))
        if m.ok:
            for url, limit in (("/api/claims?limit=20", 0.050), ("/api/summary", 0.100)):
                t = m.result[url]
                self.row(f"`GET {url}` on {claims:,} claims (median)",
                         f"{t * 1000:.0f} ms", "", f"< {limit * 1000:.0f} ms", _verdict(t < limit))
        else:
            self.row("web API reads", f"failed: {m.error}", _mb(m))
        m = self.cli("figures", "figures", "--db", str(db))
        self.row(f"`tally figures` table on {claims:,} claims (the whole command)",
                 f"{m.wall:.2f} s" if m.ok else f"failed: {m.error}", _mb(m), "< 3 s",
                 _verdict(m.ok and m.wall < 3))

    def _store_for_reads(self) -> tuple[Path | None, int]:
        """A reconciled store of about plan.read_claims claims: one built already if it is
        within 25% (5,000 generated documents hold about 25,000), else one built for the
        purpose (its full reconcile costs minutes)."""
        want = self.plan.read_claims
        near = [s for s in self.stores if abs(self.claims_at[s] - want) <= 0.25 * want]
        if near:
            size = min(near, key=lambda s: abs(self.claims_at[s] - want))
            return self.stores[size], self.claims_at[size]
        if not self.claims_at:
            return None, 0
        per_doc = max(self.claims_at[s] / s for s in self.claims_at)
        db = self.work / "store-reads.db"
        m = self.step("build-reads", "build", str(db), "0", str(max(1, round(want / per_doc))),
                      str(self.pool))
        if not m.ok or not self.step("reconcile-reads", "reconcile", str(db)).ok:
            return None, 0
        return db, m.result["claims"]

    def grouping(self) -> None:
        print("grouping", flush=True)
        # stopped at some 25 times its target: past that the number says no more than "not met"
        n = self.plan.grouping_claims
        m = self.step("grouping", "grouping", str(n), timeout=120)
        self.row(f"figure grouping, {n:,} claims on one day",
                 f"{m.result['wall']:.2f} s" if m.ok else f"failed: {m.error}", _mb(m),
                 "< 5 s (80k claims)", _verdict(m.ok and m.result["wall"] < 5))
        n, k = self.plan.name_claims, self.plan.names
        m = self.step("names", "names", str(n), str(k), timeout=60)
        self.row(f"name clustering, {n:,} claims × {k:,} names",
                 f"{m.result['wall']:.2f} s ({m.result['clusters']:,} clusters)" if m.ok
                 else f"failed: {m.error}", _mb(m), "< 2 s (5k × 2,500)",
                 _verdict(m.ok and m.result["wall"] < 2))

    def projection(self) -> None:
        """200,000 articles a day at the measured rates."""
        for words in (self.words_per_doc, 500.0):
            parts = []
            for j in (1, 2):
                rate = _wps(self.res[f"j{j}"]) if f"j{j}" in self.res else None
                if rate:
                    hours = ARTICLES_PER_DAY * words / rate / 3600
                    parts.append(f"{hours:.1f} h on {j} core{'s' if j > 1 else ''}")
            self.row(f"projection: extracting {ARTICLES_PER_DAY:,} articles a day of "
                     f"{words:.0f} words (at the -j 1 / -j 2 rates above)",
                     "; ".join(parts) or "no throughput measured", "", "< 24 h")
        if len(self.per_k) >= 2:
            (n1, s1), (n2, s2) = min(self.per_k.items()), max(self.per_k.items())
            t1, t2 = s1 * n1 / 1000, s2 * n2 / 1000
            b = math.log(t2 / t1) / math.log(n2 / n1) if t1 > 0 and t2 > 0 else 1.0
            self.row(f"projection: full reconcile of one day's {ARTICLES_PER_DAY:,} articles",
                     f"{s2 * ARTICLES_PER_DAY / 1000 / 60:.0f} min at the {n2:,}-document rate; "
                     f"{t2 * (ARTICLES_PER_DAY / n2) ** b / 60:.0f} min on the measured growth "
                     f"(time ∝ documents^{b:.2f} between {n1:,} and {n2:,})")
        ones = [k for k in self.res if k.startswith("one-") and self.res[k].ok]
        if ones:
            size = max(int(k[4:]) for k in ones)
            t = self.res[f"one-{size}"].result["wall"]
            self.row("projection: a day's articles ingested one at a time",
                     f"{ARTICLES_PER_DAY * t / 3600:.1f} h at the cost measured at {size:,} "
                     "documents (more as the store grows, if that cost grows with it)")


def render(bench: Bench, info: dict[str, str]) -> str:
    plan = bench.plan
    lines = ["# tally benchmark", "",
             "Written by `python bench/run.py` (its docstring says what each row measures).",
             "", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += ["", "## Results", "",
              "| measure | measured | peak memory | target | |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r.measure} | {r.value} | {r.peak} | {r.target} | {r.met} |" for r in bench.rows]
    lines += ["", "## How it was measured", "",
              f"- Corpus: {plan.docs} documents generated by bench/corpus_gen.py from sentence "
              "templates written for this benchmark; towns from tally's gazetteer; about one "
              "in seven a syndicated near-copy of an earlier document.",
              "- Each step ran in its own subprocess (bench/steps.py); peak memory is the "
              "largest sum of RSS over that subprocess and its children (spaCy and Dask "
              f"workers), sampled every {SAMPLE_EVERY} s from /proc, or the largest single process's peak "
              "if higher. Loading the model and start-up are outside the timed part of every "
              "step except `tally figures`, which is timed whole, as a user waits for it. A "
              f"step is stopped after {TIMEOUT:.0f} s (grouping 120 s, names 60 s) and "
              "reported as failed.",
              "- One-process words/s are over CPU seconds and wall seconds; ratios of tally to "
              "bare spaCy are over CPU seconds (steadier on a shared machine), ratios between "
              "parallel runs over wall seconds. -j N is tally.pipeline.with_claims(processes=N) "
              "with the model loaded; Dask is distributed.LocalCluster (N worker processes, one "
              "thread each) reached through the scheduler address as `--scheduler` does, "
              "after a warm-up pass that loads the model on the workers.",
              f"- Stores of {', '.join(f'{s:,}' for s in sorted(plan.sizes))} documents were "
              f"NOT made by extraction: the first {bench.pool} extracted documents were stored "
              "again and again as variants (every figure in digits raised by k, surnames "
              "swapped, dates moved k weeks, in the text and the claims alike; new ids) through "
              "Store.add_document, each store the previous one copied and extended, then "
              "reconciled with pipeline.refresh(store, None), as `tally reconcile` does. Towns, "
              "sentence shapes and sources repeat across variants, so figure groups are larger "
              "than in a real corpus of that size.",
              "- The one-article ingest is tally.pipeline.ingest of one new generated article "
              "into the reconciled store, the model loaded (as `POST /api/documents` runs it); "
              "its peak memory includes the model's.",
              "- Figure grouping and name clustering use bench/group_speed.py's generated "
              "claims (grouping: every period set to one day; names: speakers drawn from "
              "made-up names), through tally.reconcile.core's reconcile and source_names.", ""]
    return "\n".join(lines)


def run(plan: Plan, work: Path, out: Path, pg: bool) -> str:
    started = time.perf_counter()
    info = machine()
    load_start = os.getloadavg()[0]
    print(f"machine: {info}; load {load_start:.1f}", flush=True)
    bench = Bench(plan, work, pg)
    for section in (bench.extraction, bench.parallel, bench.ingest, bench.build_stores,
                    bench.reconcile, bench.one_article, bench.reads, bench.grouping,
                    bench.projection):
        section()
    loads = LOADS or [os.getloadavg()[0]]
    info["load average (1 min)"] = (f"{load_start:.1f} at start; while the steps ran min "
                                    f"{min(loads):.1f}, median {statistics.median(loads):.1f}, "
                                    f"max {max(loads):.1f}; {os.getloadavg()[0]:.1f} at end")
    info["run"] = (f"{(time.perf_counter() - started) / 60:.1f} min, ended "
                   f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; command: "
                   f"`python bench/run.py {' '.join(sys.argv[1:])}`")
    text = render(bench, info)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    ap.add_argument("--docs", type=int, help="documents in the generated corpus")
    ap.add_argument("--pool", type=int, help="extracted documents the big stores are made of")
    ap.add_argument("--sizes", help="store sizes, comma-separated (e.g. 1000,5000,20000)")
    ap.add_argument("--grouping-claims", type=int, help="claims on one day to group")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    ap.add_argument("--work", type=Path, help="folder for the corpus and stores "
                    "(default: a temporary one, removed afterwards)")
    ap.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL ingest")
    a = ap.parse_args()
    given = {"docs": a.docs, "pool": a.pool, "grouping_claims": a.grouping_claims,
             "sizes": [int(s) for s in a.sizes.split(",")] if a.sizes else None}
    plan = Plan(**{**asdict(QUICK if a.quick else FULL),
                   **{k: v for k, v in given.items() if v}})
    if a.work:
        a.work.mkdir(parents=True, exist_ok=True)
        run(plan, a.work, a.out, not a.no_pg)
    else:
        with tempfile.TemporaryDirectory(prefix="tally-bench-") as tmp:
            run(plan, Path(tmp), a.out, not a.no_pg)


if __name__ == "__main__":
    main()
