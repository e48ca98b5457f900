"""Throughput of extraction in 1 and N processes (`-j`) and on a Dask cluster, same corpus.

    python bench/parallel_speed.py [--copies 12] [--rounds 3] [--workers 2] [--no-dask] [PATH ...]

Corpus: --copies copies of ../shared/dev/articles (or PATH), each copy its own document
id, shuffled with a fixed seed so that no worker always gets the same articles. Every
round runs each way once, in alternation (-j 1, -j N, Dask 1 worker, Dask N workers), so
that load from other jobs falls on all of them alike; medians of the rounds are printed,
with the load average seen. The claims of every way are checked to be -j 1's.

Two measures, since a shared machine blurs the first:

- wall: documents/s and the ratio to -j 1. With the kernel's autogroup scheduling
  (/proc/sys/kernel/sched_autogroup_enabled) each busy session gets an equal share of
  the CPUs whatever its number of processes, so with other sessions busy this ratio
  stays near 1 for any N: it shows parallelism only on a quiet machine.
- CPU: seconds of CPU of this process and of each worker (sampled from /proc). "idle
  estimate" is the ratio to -j 1 that a quiet machine with --workers cores would give:
  -j 1's CPU over max(busiest worker's CPU, all CPU / --workers cores). It leaves out
  time a worker waits for another (spaCy hands batches out in turn).

The model is loaded and the Dask workers warmed up before timing, as in a long run.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from tally.documents import Document, read_inputs  # noqa: E402
from tally.nlp.extractor import Extractor  # noqa: E402
from tally.pipeline import with_claims  # noqa: E402


def corpus(paths: list[str], copies: int) -> list[Document]:
    base = [d for d in read_inputs(paths or [str(SHARED / "dev" / "articles")])
            if isinstance(d, Document)]
    docs = [replace(d, id=f"{d.id}#{k}") for k in range(copies) for d in base]
    random.Random(13).shuffle(docs)
    return docs


def _cpu(p: psutil.Process) -> float:
    t = p.cpu_times()
    return t.user + t.system


class ChildCPU:
    """CPU seconds of each child process started meanwhile (spaCy's forked workers, not
    the Dask cluster's), sampled until it ends."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self._before = {c.pid for c in psutil.Process().children()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.05):
            for child in me.children():
                if child.pid in self._before:
                    continue
                try:
                    self.seen[child.pid] = _cpu(child)
                except psutil.Error:
                    pass

    def __enter__(self) -> ChildCPU:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _warm_worker() -> None:
    from tally.scale.batches import read_batch
    from tally.scale.cluster import _worker_extractor
    from tally.scale.local import _WARM_UP

    read_batch(_worker_extractor(), [_WARM_UP])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--copies", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-dask", action="store_true")
    a = ap.parse_args()
    docs = corpus(a.paths, a.copies)
    ex = Extractor.default()
    me = psutil.Process()

    def run_local(n: int) -> tuple[list, list[float]]:
        with ChildCPU() as kids:
            got = [(d.id, r) for d, r, _ in with_claims(docs, processes=n, extractor=ex)]
        return got, list(kids.seen.values())

    ways = {"-j 1": lambda: run_local(1), f"-j {a.workers}": lambda: run_local(a.workers)}
    clusters = []
    if not a.no_dask:
        from distributed import Client, LocalCluster

        for n in (1, a.workers):
            c = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                             dashboard_address=":0")
            client = Client(c.scheduler_address)
            client.run(_warm_worker)
            workers = [psutil.Process(pid) for pid in client.run(os.getpid).values()]
            client.close()
            clusters.append(c)

            def run_dask(addr: str = c.scheduler_address, workers: list = workers
                         ) -> tuple[list, list[float]]:
                before = [_cpu(w) for w in workers]
                got = [(d.id, r) for d, r, _ in with_claims(docs, scheduler=addr)]
                return got, [_cpu(w) - b for w, b in zip(workers, before)]

            ways[f"dask {n}"] = run_dask
    run_local(1)  # warm-up: model, gazetteer, word lists
    wall: dict[str, list[float]] = {w: [] for w in ways}
    cpu: dict[str, list[tuple[float, list[float]]]] = {w: [] for w in ways}
    loads: list[float] = []
    reference = None
    for _ in range(a.rounds):
        for name, way in ways.items():
            loads.append(os.getloadavg()[0])
            c0, t0 = _cpu(me), time.perf_counter()
            got, workers_cpu = way()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append((_cpu(me) - c0, workers_cpu))
            reference = reference or sorted(got)
            assert sorted(got) == reference, f"{name} gave other claims than -j 1"
    for c in clusters:
        c.close()
    n_claims = sum(len(r) for _, r in reference or [])
    print(f"corpus: {len(docs)} documents ({a.copies} copies), {n_claims} claims; "
          f"{os.cpu_count()} CPUs; load average during runs: min {min(loads):.1f}, "
          f"median {statistics.median(loads):.1f}, max {max(loads):.1f}")
    one_wall = statistics.median(wall["-j 1"])
    one_cpu = statistics.median(own + sum(ws) for own, ws in cpu["-j 1"])
    for name in ways:
        m = statistics.median(wall[name])
        total = statistics.median(own + sum(ws) for own, ws in cpu[name])
        busiest = statistics.median(max(ws) if ws else own for own, ws in cpu[name])
        here = statistics.median(own for own, _ in cpu[name])
        estimate = one_cpu / max(busiest, total / a.workers)
        print(f"{name:7}: wall {len(docs) / m:5.1f} docs/s, ratio {one_wall / m:.2f} "
              f"(median {m:.1f} s of {', '.join(f'{t:.1f}' for t in wall[name])}); "
              f"CPU {total:.1f} s ({total / one_cpu:.2f} of -j 1's; here {here:.1f} s, "
              f"busiest worker {busiest:.1f} s), idle estimate {estimate:.2f}")


if __name__ == "__main__":
    main()
