"""What the reads cost on a store of ~21,000 claims: the web API's lists and summary, and
`tally figures` as a table and as JSON; also how long filling the store took (one
store.add_document per document: the write path of an ingest without its extraction).

    python bench/read_speed.py [--claims 21000] [--db /tmp/tally-read-bench.db] [--runs 7]

With --ingest-only the store is only filled (on PostgreSQL this times the write path
of an ingest: the round trips of each document).

The claims are the bundled examples' (extracted once, in a store of their own), copied
into the store with edited ids: in copy k every figure is raised by k, every day moved
k days on, and each named speaker's surname drawn from a pool, so that the copies are
not one figure repeated. A store already at --db is read as it is (delete it to build
it again); --db may be a PostgreSQL URL (its tables must not exist yet).
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from starlette.testclient import TestClient  # noqa: E402

from tally.reconcile.persist import refresh  # noqa: E402
from tally.store import open_store  # noqa: E402
from tally.store.store import Store, StoredDocument  # noqa: E402
from tally.web.app import create_app  # noqa: E402

SURNAMES = ["Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Osei", "Kowalczyk",
            "Barzani", "Quispe", "Nakamura", "Adeyemi", "Petrov", "Salazar", "Mwangi",
            "Fischer", "Rahimi", "Duarte", "Kamara", "Sorensen", "Zubair"]
URLS = ["/api/claims?limit=20", "/api/claims?limit=20&metric=killed&since=2024-06-01",
        "/api/summary", "/api/documents?limit=20", "/api/disagreements?limit=20",
        "/api/figures?limit=20", "/api/events?limit=20", "/api/sources?limit=20"]


def _examples() -> list[tuple[StoredDocument, list[dict[str, Any]]]]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "examples.db")
        subprocess.run([sys.executable, "-m", "tally.cli", "ingest", str(ROOT / "examples"),
                        "--db", db, "--no-reconcile"], check=True, capture_output=True,
                       env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
        with open_store(db) as s:
            return [(d, s.claims(doc=d.id)) for d in s.documents()]


def _day(s: str | None, k: int) -> str | None:
    return (date.fromisoformat(s) + timedelta(days=k)).isoformat() if s else None


def _copy(claim: dict[str, Any], doc_id: str, k: int) -> dict[str, Any]:
    v, p, src = claim["value"], claim["period"], claim["source"]
    speaker = src["speaker"]
    if speaker:
        speaker = f"{speaker.split()[0]} {SURNAMES[(k + len(speaker)) % len(SURNAMES)]}"
    return {**claim, "id": f"{claim['id'][:8]}{k:08x}", "doc": doc_id,
            "value": {**v, "low": None if v["low"] is None else v["low"] + k,
                      "high": None if v["high"] is None else v["high"] + k},
            "period": {**p, "start": _day(p["start"], k), "end": _day(p["end"], k)},
            "source": {**src, "speaker": speaker}}


def build(store: Store, claims: int) -> float:
    """Fill the store with copies of the examples; the seconds spent in add_document."""
    examples = _examples()
    per_copy = sum(len(c) for _, c in examples)
    spent = 0.0
    for k in range(max(1, claims // per_copy)):
        for d, found in examples:
            doc_id = f"{d.id}~{k:04d}"
            doc = replace(_document(d), id=doc_id, text=f"{d.text}\n(copy {k})",
                          date=date.fromisoformat(_day(d.date.isoformat(), k) or "")
                          if d.date else None)
            rows = [_copy(c, doc_id, k) for c in found]
            t0 = time.perf_counter()
            store.add_document(doc, rows, "tally-rules-bench")
            spent += time.perf_counter() - t0
    return spent


def _document(d: StoredDocument) -> Any:
    from tally.documents.model import Document

    return Document(id=d.id, text=d.text, date=d.date, source=d.source, url=d.url,
                    title=d.title, meta=d.meta, origin="bench")


def _median(f: Any, runs: int) -> tuple[float, float]:
    """Median seconds of `runs` calls: on the clock, and of CPU (this process and the
    commands it ran), which a machine busy with other work does not inflate."""
    walls, cpus = [], []
    for _ in range(runs):
        c0, t0 = _cpu(), time.perf_counter()
        f()
        walls.append(time.perf_counter() - t0)
        cpus.append(_cpu() - c0)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _cli(db: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "tally.cli", "figures", "--db", db, *args],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin",
                        "COLUMNS": "160"})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=21_000)
    ap.add_argument("--db", default="/tmp/tally-read-bench.db")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-cli", action="store_true", help="skip `tally figures`")
    ap.add_argument("--ingest-only", action="store_true",
                    help="fill the store, say how long add_document took, and stop")
    a = ap.parse_args()
    fresh = "://" in a.db or not Path(a.db).exists()
    with open_store(a.db) as store:
        if fresh and store.count_claims() == 0:
            took = build(store, a.claims)
            n_docs = store.count_documents()
            print(f"stored {n_docs} documents, {store.count_claims()} claims: add_document "
                  f"{took:.1f} s ({1000 * took / n_docs:.2f} ms per document)")
            if a.ingest_only:
                return
            t0 = time.perf_counter()
            refresh(store)
            print(f"reconciled in {time.perf_counter() - t0:.1f} s")
        print(f"store {a.db}: {store.count_documents()} documents, "
              f"{store.count_claims()} claims")
    with TestClient(create_app(a.db), base_url="http://127.0.0.1") as client:
        for url in URLS:
            def get(url: str = url) -> None:
                r = client.get(url)
                assert r.status_code == 200, (url, r.text[:300])

            first = _median(get, 1)  # what the first reader after a change waits
            wall, cpu = _median(get, a.runs)
            print(f"GET {url}: median {1000 * wall:.0f} ms, CPU {1000 * cpu:.0f} ms "
                  f"(first {1000 * first[0]:.0f} ms, CPU {1000 * first[1]:.0f} ms)")
    if not a.no_cli:
        for args in ((), ("--format", "json")):
            what = " ".join(("tally figures", *args)) + (" (table)" if not args else "")
            wall, cpu = _median(lambda: _cli(a.db, *args), 3)
            print(f"{what}: median {wall:.2f} s, CPU {cpu:.2f} s")


if __name__ == "__main__":
    main()
